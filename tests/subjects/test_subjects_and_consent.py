"""Personal data under consent: encrypted at rest, read only when permitted, always audited."""

from datetime import date, timedelta

import pytest

from graph import session
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import graph_counts, member, subject_audit_events
from tests.referrals.flows import consent_input

REGISTER = """
mutation($input: SubjectInput!) {
  registerSubject(input: $input) {
    subject { id birthYear areaCode name } possibleDuplicates errors { field code }
  }
}"""
CONSENT = """
mutation($input: ConsentInput!) {
  recordConsent(input: $input) { consent { id state organisationIds } errors { field code } }
}"""
WITHDRAW = "mutation($id: ID!) { withdrawConsent(id: $id) { consent { state } errors { code } } }"
READ_CONTACT = "query($id: ID!) { subject(id: $id) { id name contact erased } }"
READ_NOTES = "query($id: ID!) { subject(id: $id) { id notes } }"
PERSON = {
    "birthYear": 2012,
    "areaCode": "141313",
    "name": "山田 太郎",
    "nameKana": "ヤマダ タロウ",
    "contact": "090-1111-2222",
    "guardianName": "山田 花子",
    "notes": "9月から欠席が続く",
}
UNTIL = (date.today() + timedelta(days=180)).isoformat()


@pytest.fixture
def cast(graph_db, db, redis_db):
    network = directory_fixtures.build()
    return network, {
        "counsellor": member("counsellor", network["school"], Role.COUNSELLOR),
        "welfare": member("caseworker", network["welfare"], Role.CASEWORKER),
        "npo": member("npo-worker", network["npo"], Role.CASEWORKER),
    }


def register(counsellor, **changes):
    payload = counsellor(REGISTER, {"input": {**PERSON, **changes}})["data"]["registerSubject"]
    assert payload["errors"] == [], payload["errors"]
    return payload


def consent(counsellor, subject_id, **changes):
    data = {
        "subjectId": subject_id,
        "givenBy": "GUARDIAN",
        "guardianRelationship": "母",
        "purposes": ["REFERRAL"],
        "categories": ["CONTACT", "SCHOOL_ATTENDANCE"],
        "validUntil": UNTIL,
        "method": "WRITTEN",
        "evidenceSha256": "ab" * 32,
        **changes,
    }
    return counsellor(CONSENT, {"input": data})["data"]["recordConsent"]


def events(subject_id, **match):
    """The events that mention the subject, oldest first, those matching `match`."""
    return [
        e for e in subject_audit_events(subject_id) if all(e.get(k) == v for k, v in match.items())
    ]


def test_personal_fields_are_stored_only_as_ciphertext(cast):
    _, people = cast
    subject = register(people["counsellor"])["subject"]
    stored = session.read(
        lambda tx: tx.single(
            "MATCH (s:Subject {id: $id}) RETURN properties(s) AS s", id=subject["id"]
        )
    )["s"]
    assert not any("山田" in str(value) or "090-1111" in str(value) for value in stored.values())
    assert people["counsellor"](READ_CONTACT, {"id": subject["id"]})["data"]["subject"] == {
        "id": subject["id"],
        "name": "山田 太郎",
        "contact": "090-1111-2222",
        "erased": False,
    }


def test_a_likely_duplicate_is_flagged_by_keyed_hash(cast):
    _, people = cast
    first = register(people["counsellor"])["subject"]["id"]
    again = register(people["counsellor"], name="山田太郎", nameKana="やまだ たろう")
    assert again["possibleDuplicates"] == [first]
    other = register(people["counsellor"], nameKana="ヤマダ ジロウ")
    assert other["possibleDuplicates"] == []


def test_duplicate_hints_never_reveal_another_organisations_subject(cast):
    """Issue 12, finding 1: a hint names only subjects the registrant may already see."""
    _, people = cast
    hanako = {"name": "試験 花子", "nameKana": "しけん はなこ", "birthYear": 2014}
    registered = register(people["counsellor"], **hanako)["subject"]
    school_b = directory_fixtures._org("B中学校", "SCHOOL", "141313")
    other_school = member("b-counsellor", school_b, Role.COUNSELLOR)
    with_match = register(other_school, **hanako)
    without_match = register(other_school, **{**hanako, "nameKana": "しけん さきこ"})
    assert with_match["possibleDuplicates"] == without_match["possibleDuplicates"] == []
    # Under a consent that names it, the other school may see the subject, so the hint
    # may name it too.
    consent = people["counsellor"](
        CONSENT, {"input": consent_input(registered["id"], organisationIds=[school_b])}
    )["data"]["recordConsent"]
    assert consent["errors"] == []
    again = register(other_school, **hanako)
    assert registered["id"] in again["possibleDuplicates"]


def test_others_see_the_subject_only_under_a_consent_and_only_what_it_covers(cast):
    network, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    assert people["welfare"](READ_CONTACT, {"id": subject})["data"]["subject"] is None

    recorded = consent(people["counsellor"], subject, organisationIds=[network["welfare"]])
    assert recorded["errors"] == []
    seen = people["welfare"](READ_CONTACT, {"id": subject})["data"]["subject"]
    assert seen["name"] == "山田 太郎"
    # NOTES is not covered: asking for it is refused as a whole.
    assert people["welfare"](READ_NOTES, {"id": subject})["data"]["subject"] is None
    # The NPO is not named.
    assert people["npo"](READ_CONTACT, {"id": subject})["data"]["subject"] is None

    outcomes = [e["outcome"] for e in events(subject, action="SUBJECT_READ")]
    assert outcomes == ["DENIED", "OK", "DENIED", "DENIED"]


def test_a_consent_for_a_kind_in_an_area(cast):
    _, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    consent(people["counsellor"], subject, organisationKinds=["NPO"], areaCode="141305")
    assert people["npo"](READ_CONTACT, {"id": subject})["data"]["subject"]["name"] == "山田 太郎"
    assert people["welfare"](READ_CONTACT, {"id": subject})["data"]["subject"] is None


def test_withdrawal_takes_effect_at_once(cast):
    network, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    consent_id = consent(people["counsellor"], subject, organisationIds=[network["welfare"]])[
        "consent"
    ]["id"]
    assert people["welfare"](READ_CONTACT, {"id": subject})["data"]["subject"] is not None

    withdrawn = people["counsellor"](WITHDRAW, {"id": consent_id})["data"]["withdrawConsent"]
    assert withdrawn == {"consent": {"state": "WITHDRAWN"}, "errors": []}
    assert people["welfare"](READ_CONTACT, {"id": subject})["data"]["subject"] is None
    due = session.read(
        lambda tx: tx.single(
            "MATCH (s:Subject {id: $id}) RETURN s.erasureDueAt IS NOT NULL AS due", id=subject
        )
    )
    assert due["due"] is True
    again = people["counsellor"](WITHDRAW, {"id": consent_id})["data"]["withdrawConsent"]
    assert again["errors"] == [{"code": "NOT_FOUND"}]


def test_a_subject_whose_key_was_destroyed_reads_as_erased(cast):
    _, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    session.write(
        lambda tx: tx.run(
            "MATCH (:Subject {id: $id})-[:HAS_KEY]->(k:SubjectKey) DETACH DELETE k", id=subject
        ).consume()
    )
    read = people["counsellor"](READ_CONTACT, {"id": subject})
    assert "errors" not in read
    assert read["data"]["subject"] == {"id": subject, "name": None, "contact": None, "erased": True}


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"givenBy": "SUBJECT"}, "givenBy", "INVALID"),  # born 2012: a guardian must consent
        ({"evidenceSha256": None}, "evidenceSha256", "REQUIRED"),
        ({"validUntil": "2020-01-01"}, "validUntil", "OUT_OF_RANGE"),
        ({"organisationKinds": ["NPO"]}, "areaCode", "REQUIRED"),
        ({"subjectId": "00000000-0000-4000-8000-000000000000"}, "subjectId", "NOT_FOUND"),
    ],
)
def test_bad_consents_are_refused_and_write_nothing(cast, changes, field, code):
    network, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    before = graph_counts()
    payload = consent(
        people["counsellor"], subject, organisationIds=[network["welfare"]], **changes
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert graph_counts() == before


def test_only_the_registering_organisation_records_consent(cast):
    network, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    other_school = member("other", network["npo"], Role.COUNSELLOR)
    payload = consent(other_school, subject, organisationIds=[network["npo"]])
    assert payload["errors"] == [{"field": "subjectId", "code": "NOT_FOUND"}]
