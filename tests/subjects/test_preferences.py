"""The subject's own choices (issue 19, item 1): recorded and lifted by the registering
counsellor (audited, history kept), enforced in the statements that create and send a
referral and that recommend, and overridden only by a statutory child-protection
referral, which is audited as such."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from graph import audit_log, session
from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import graph_counts, member, subject_audit_events
from tests.meetings.flows import cited_meeting
from tests.referrals.flows import MOVE, REGISTER, build_case, create, give_consent

SET = """
mutation($input: SetSubjectPreferenceInput!) {
  setSubjectPreference(input: $input) {
    preference { id state version doNotRefer exchangeOnly noContactBefore contactRoute
                 avoidMentioning givenBy recordedBy liftedAt }
    errors { field code message }
  }
}"""
LIFT = """
mutation($input: LiftSubjectPreferenceInput!) {
  liftSubjectPreference(input: $input) {
    preference { id state liftedAt liftedBy } errors { field code message }
  }
}"""
READ = """
query($id: ID!) {
  subject(id: $id) {
    id
    preference { id version doNotRefer exchangeOnly contactRoute avoidMentioning }
    preferenceHistory { id state version }
  }
}"""
RECOMMEND = """
query($o: ID!, $needs: [String!], $area: String, $subject: ID) {
  recommend(fromOrganisation: $o, needTags: $needs, area: $area, forSubject: $subject) {
    leftOutByPreference { preference count }
    items { service { name mode } }
  }
}"""
CHILD_ABUSE_WHY = (
    "児童虐待の防止等に関する法律第6条に基づく通告。本人は連絡を望んでいないが、"
    "身体に複数のあざが確認され、家庭での安全が確認できないため。"
)
SWA_WHY = (
    "支援会議(社会福祉法第106条の6)で共有が決定。保護者と連絡が取れず同意を得られないが、"
    "児童の欠席が続き生活状況の確認が急がれるため。"
)
_OVERRIDES = """
MATCH (e:AuditEvent {action: 'PREFERENCE_OVERRIDDEN_STATUTORY'})
RETURN e.targetType AS type, e.targetId AS target, e.legalBasis AS basis,
       e.statutory AS statutory, e.subjects AS subjects
"""
_OVERRODE = "MATCH (r:Referral {id: $id}) RETURN r.overrodePreference AS preference"


@pytest.fixture
def case(graph_db, db, redis_db):
    return build_case()


def prefer(people, subject, **choices):
    data = {"subjectId": subject, "givenBy": "GUARDIAN", **choices}
    return people["counsellor"](SET, {"input": data})["data"]["setSubjectPreference"]


def preferred(people, subject, **choices):
    payload = prefer(people, subject, **choices)
    assert payload["errors"] == [], payload["errors"]
    return payload["preference"]


def created(people, subject, service, **changes):
    return create(people, subject, service, **changes)["data"]["createReferral"]


def test_a_preference_is_recorded_replaced_and_lifted_with_its_history_audited(case):
    _, people, subject = case
    first = preferred(people, subject, exchangeOnly=True, contactRoute="VIA_GUARDIAN")
    assert (first["state"], first["version"], first["doNotRefer"], first["exchangeOnly"]) == (
        "ACTIVE",
        1,
        False,
        True,
    )
    second = preferred(people, subject, doNotRefer=True, avoidMentioning="  父親のこと  ")
    assert (second["version"], second["avoidMentioning"]) == (2, "父親のこと")
    read = people["counsellor"](READ, {"id": subject})["data"]["subject"]
    assert read["preference"]["id"] == second["id"]
    assert [(p["version"], p["state"]) for p in read["preferenceHistory"]] == [
        (2, "ACTIVE"),
        (1, "LIFTED"),
    ]
    lifted = people["counsellor"](LIFT, {"input": {"subjectId": subject}})["data"][
        "liftSubjectPreference"
    ]
    assert lifted["errors"] == []
    assert (lifted["preference"]["id"], lifted["preference"]["state"]) == (second["id"], "LIFTED")
    assert lifted["preference"]["liftedBy"] == "counsellor"
    assert people["counsellor"](READ, {"id": subject})["data"]["subject"]["preference"] is None
    actions = [
        (e["action"], e["target_id"], e["basis"])
        for e in subject_audit_events(subject)
        if e["action"].startswith("PREFERENCE_")
    ]
    assert actions == [
        ("PREFERENCE_SET", first["id"], "OWN_RECORD"),
        ("PREFERENCE_SET", second["id"], "OWN_RECORD"),
        ("PREFERENCE_LIFT", second["id"], "OWN_RECORD"),
    ]
    assert all(broken is None for _, _, broken in audit_log.verify_all())


def test_what_not_to_mention_is_stored_only_sealed(case):
    _, people, subject = case
    preferred(people, subject, avoidMentioning="父親のこと")
    stored = session.read(
        lambda tx: tx.single(
            "MATCH (:Subject {id: $id})-[:HAS_PREFERENCE]->(p) RETURN properties(p) AS p",
            id=subject,
        )
    )["p"]
    assert not any("父親" in str(value) for value in stored.values())
    assert stored["avoidMentioningSealed"]


def test_a_subjects_preferences_come_with_its_read_at_no_extra_round_trip(case):
    _, people, subject = case
    preferred(people, subject, doNotRefer=True)
    preferred(people, subject, exchangeOnly=True)
    with count_round_trips() as plain:
        people["counsellor"]("query($id: ID!) { subject(id: $id) { id } }", {"id": subject})
    with count_round_trips() as trips:
        read = people["counsellor"](READ, {"id": subject})["data"]["subject"]
    assert len(read["preferenceHistory"]) == 2
    # The subject's one audited read (its statement, then the audit chain's).
    assert trips.count == plain.count == 3


def test_do_not_refer_refuses_a_referral_naming_the_preference_and_writes_nothing(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"], network["cafe_org"]])
    preferred(people, subject, doNotRefer=True)
    before = graph_counts()
    refused = created(people, subject, network["consult"])
    assert refused["referral"] is None
    assert refused["errors"] == [
        {
            "field": "subjectId",
            "code": "SUBJECT_PREFERENCE",
            "message": "The subject asked not to be referred (doNotRefer).",
        }
    ]
    # Even an exchange-type place: not connecting is the subject's right.
    assert created(people, subject, network["cafe"])["errors"][0]["code"] == "SUBJECT_PREFERENCE"
    assert graph_counts() == before


def test_a_draft_may_be_kept_but_not_sent_while_the_preference_forbids_it(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    draft = created(people, subject, network["consult"], send=False)
    assert draft["errors"] == []
    referral = draft["referral"]["id"]
    preferred(people, subject, doNotRefer=True)
    before = graph_counts()
    sent = people["counsellor"](MOVE, {"id": referral, "action": "SEND", "version": 1})["data"][
        "transitionReferral"
    ]
    assert sent["errors"] == [{"field": "subjectId", "code": "SUBJECT_PREFERENCE"}]
    assert graph_counts() == before
    people["counsellor"](LIFT, {"input": {"subjectId": subject}})
    sent = people["counsellor"](MOVE, {"id": referral, "action": "SEND", "version": 1})["data"][
        "transitionReferral"
    ]
    assert (sent["errors"], sent["referral"]["state"]) == ([], "SENT")


def test_exchange_only_refuses_support_type_services_and_allows_exchange_type(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"], network["cafe_org"]])
    preferred(people, subject, exchangeOnly=True)
    refused = created(people, subject, network["consult"])
    assert refused["errors"] == [
        {
            "field": "subjectId",
            "code": "SUBJECT_PREFERENCE",
            "message": "The subject asked to be referred only to exchange-type places "
            "(exchangeOnly); this service is support-type.",
        }
    ]
    assert created(people, subject, network["cafe"])["errors"] == []


def test_no_contact_before_a_day_refuses_until_that_day(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    later = date.today() + timedelta(days=30)
    preferred(people, subject, noContactBefore=later.isoformat())
    refused = created(people, subject, network["consult"])
    assert refused["errors"] == [
        {
            "field": "subjectId",
            "code": "SUBJECT_PREFERENCE",
            "message": f"The subject asked not to be contacted before {later.isoformat()} "
            "(noContactBefore).",
        }
    ]
    # From today on, nothing stands in the way.
    preferred(people, subject, noContactBefore=date.today().isoformat())
    assert created(people, subject, network["consult"])["errors"] == []


def test_only_a_statutory_child_protection_referral_overrides_and_it_is_audited(case):
    network, people, subject = case
    preference = preferred(people, subject, doNotRefer=True)
    meeting = cited_meeting(people, subject)
    before = graph_counts()
    swa = created(
        people,
        subject,
        network["consult"],
        legalBasis="STATUTORY_SWA_106_6",
        justification=SWA_WHY,
        meetingId=meeting,
    )
    assert swa["errors"][0]["code"] == "SUBJECT_PREFERENCE"
    assert graph_counts() == before
    protection = created(
        people,
        subject,
        network["consult"],
        legalBasis="STATUTORY_CHILD_ABUSE_PREVENTION",
        justification=CHILD_ABUSE_WHY,
    )
    assert protection["errors"] == []
    referral = protection["referral"]["id"]
    overrides = session.read(lambda tx: tx.rows(_OVERRIDES))
    assert overrides == [
        {
            "type": "Referral",
            "target": referral,
            "basis": "STATUTORY_CHILD_ABUSE_PREVENTION",
            "statutory": True,
            "subjects": [subject],
        }
    ]
    assert session.read(lambda tx: tx.single(_OVERRODE, id=referral)) == {
        "preference": preference["id"]
    }
    assert all(broken is None for _, _, broken in audit_log.verify_all())


def test_sending_a_statutory_child_protection_draft_audits_the_override_at_the_send(case):
    network, people, subject = case
    draft = created(
        people,
        subject,
        network["consult"],
        legalBasis="STATUTORY_CHILD_ABUSE_PREVENTION",
        justification=CHILD_ABUSE_WHY,
        send=False,
    )["referral"]["id"]
    preference = preferred(people, subject, exchangeOnly=True)
    assert session.read(lambda tx: tx.rows(_OVERRIDES)) == []
    sent = people["counsellor"](MOVE, {"id": draft, "action": "SEND", "version": 1})["data"][
        "transitionReferral"
    ]
    assert sent["errors"] == []
    assert [row["target"] for row in session.read(lambda tx: tx.rows(_OVERRIDES))] == [draft]
    assert session.read(lambda tx: tx.single(_OVERRODE, id=draft)) == {
        "preference": preference["id"]
    }


def test_recommend_leaves_out_what_the_preference_excludes_and_says_so(case):
    network, people, subject = case
    asked = {
        "o": network["school"],
        "needs": ["meal_provision", "school_non_attendance"],
        "area": directory_fixtures.KAWASAKI,
        "subject": subject,
    }

    def recommend():
        body = people["counsellor"](RECOMMEND, asked)
        assert "errors" not in body, body
        found = body["data"]["recommend"]
        return found["leftOutByPreference"], sorted(i["service"]["name"] for i in found["items"])

    assert recommend() == ([], ["みんなの子ども食堂", "フリースクール", "学習支援教室"])
    preferred(people, subject, exchangeOnly=True)
    assert recommend() == ([{"preference": "exchangeOnly", "count": 2}], ["みんなの子ども食堂"])
    preferred(people, subject, doNotRefer=True)
    assert recommend() == ([{"preference": "doNotRefer", "count": 3}], [])
    # Without a subject there is no preference to respect.
    body = people["counsellor"](RECOMMEND, {**asked, "subject": None})
    assert body["data"]["recommend"]["leftOutByPreference"] == []
    assert len(body["data"]["recommend"]["items"]) == 3


ADULT = date.today().year - 20


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"subjectId": "not-a-uuid"}, "subjectId", "INVALID"),
        ({"subjectId": "00000000-0000-4000-8000-000000000000"}, "subjectId", "NOT_FOUND"),
        ({"doNotRefer": None, "exchangeOnly": None}, "doNotRefer", "REQUIRED"),
        ({"avoidMentioning": "   "}, "doNotRefer", "REQUIRED"),
        ({"doNotRefer": True, "avoidMentioning": "あ" * 1001}, "avoidMentioning", "TOO_LONG"),
        (
            {"doNotRefer": True, "noContactBefore": (date.today() - timedelta(days=1)).isoformat()},
            "noContactBefore",
            "OUT_OF_RANGE",
        ),
        (
            {"doNotRefer": True, "noContactBefore": date(date.today().year + 4, 1, 1).isoformat()},
            "noContactBefore",
            "OUT_OF_RANGE",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(case, changes, field, code):
    _, people, subject = case
    before = graph_counts()
    payload = prefer(people, subject, **changes)
    assert payload["preference"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert graph_counts() == before


def test_control_characters_are_refused_at_the_edge_and_write_nothing(case):
    _, people, subject = case
    before = graph_counts()
    body = people["counsellor"](
        SET,
        {"input": {"subjectId": subject, "givenBy": "GUARDIAN", "avoidMentioning": "父\x00親"}},
        expect_status=None,
    )
    assert body.get("data") is None or body["data"]["setSubjectPreference"]["errors"]
    assert graph_counts() == before


def test_a_guardian_no_longer_speaks_for_an_adult(case):
    _, people, _ = case
    adult = people["counsellor"](REGISTER.replace("2012", str(ADULT)))["data"]["registerSubject"][
        "subject"
    ]["id"]
    before = graph_counts()
    payload = prefer(people, adult, doNotRefer=True)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("givenBy", "INVALID")]
    assert graph_counts() == before
    assert prefer(people, adult, givenBy="SUBJECT", doNotRefer=True)["errors"] == []


def test_only_the_registering_organisations_counsellor_may_set_or_lift(case):
    _, people, subject = case
    preferred(people, subject, doNotRefer=True)
    before = graph_counts(audit=False)
    other_school = directory_fixtures._org("B中学校", "SCHOOL", directory_fixtures.KAWASAKI_KU)
    stranger = member("b-counsellor", other_school, Role.COUNSELLOR)
    for document, data in (
        (SET, {"subjectId": subject, "givenBy": "GUARDIAN", "exchangeOnly": True}),
        (LIFT, {"subjectId": subject}),
    ):
        payload = next(iter(stranger(document, {"input": data})["data"].values()))
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("subjectId", "NOT_FOUND")]
        body = people["welfare"](document, {"input": data})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The new school is the only thing written (refusals leave at most audit events).
    assert graph_counts(audit=False)[0] == before[0] + 1
    people["counsellor"](LIFT, {"input": {"subjectId": subject}})
    again = people["counsellor"](LIFT, {"input": {"subjectId": subject}})["data"][
        "liftSubjectPreference"
    ]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("subjectId", "NOT_FOUND")]


RECEIVED = """
query($id: ID!) {
  referral(id: $id) { id subjectPreference { contactRoute avoidMentioning exchangeOnly } }
}"""


def test_the_receiver_sees_how_to_contact_the_subject_and_what_not_to_mention(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = created(people, subject, network["consult"])["referral"]["id"]
    assert people["welfare"](RECEIVED, {"id": referral})["data"]["referral"] == {
        "id": referral,
        "subjectPreference": None,
    }
    preferred(people, subject, contactRoute="VIA_GUARDIAN", avoidMentioning="父親のこと")
    seen = people["welfare"](RECEIVED, {"id": referral})["data"]["referral"]
    assert seen["subjectPreference"] == {
        "contactRoute": "VIA_GUARDIAN",
        "avoidMentioning": "父親のこと",
        "exchangeOnly": False,
    }
