"""School absence → welfare: referrals under consent, the handoff, conflicts and cascades."""

from concurrent.futures import ThreadPoolExecutor

from graph import session
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.errors import PublicError
from referral_hub.referrals import handoff, services
from tests.conftest import graph_counts, subject_audit_events
from tests.referrals.flows import MOVE, READ, create, give_consent, move


def test_the_whole_handoff_from_school_to_welfare(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    created = create(people, subject, network["consult"])["data"]["createReferral"]
    assert created["errors"] == []
    referral = created["referral"]
    assert (referral["state"], referral["version"], referral["urgency"]) == ("SENT", 1, "PRIORITY")
    assert referral["deadline"] is not None
    assert referral["receiver"] == {"name": "世田谷区福祉事務所"}

    welfare = people["welfare"]
    assert welfare(READ, {"id": referral["id"]})["data"]["referral"]["summary"].startswith("9月")
    version = 1
    for action, extra in (
        ("ACKNOWLEDGE", {}),
        ("ACCEPT", {}),
        ("START", {}),
        ("COMPLETE", {"outcome": "CONNECTED"}),
    ):
        step = move(welfare, referral["id"], action, version, **extra)
        assert step["errors"] == [], (action, step)
        version = step["referral"]["version"]
    final = step["referral"]
    assert (final["state"], final["outcome"], final["version"]) == ("COMPLETED", "CONNECTED", 5)
    assert [e["toState"] for e in final["timeline"]] == [
        "SENT",
        "RECEIVED",
        "ACCEPTED",
        "IN_PROGRESS",
        "COMPLETED",
    ]
    audited = [e for e in subject_audit_events(subject) if e["target_type"] == "Referral"]
    assert len(audited) >= 6  # create, four moves, and the reads


def test_without_consent_nothing_is_sent(case):
    network, people, subject = case
    before = graph_counts()
    body = create(people, subject, network["consult"])["data"]["createReferral"]
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("subjectId", "CONSENT_REQUIRED")]
    assert body["referral"] is None
    # A consent for other data categories does not do either.
    give_consent(people, subject, organisationIds=[network["welfare"]], categories=["CONTACT"])
    before = graph_counts()
    body = create(people, subject, network["consult"], categories=["CONTACT", "HEALTH"])
    assert body["data"]["createReferral"]["errors"][0]["code"] == "CONSENT_REQUIRED"
    assert graph_counts() == before


def test_a_second_open_referral_to_the_same_organisation_is_a_duplicate(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    first = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    again = create(people, subject, network["consult"])["data"]["createReferral"]
    assert again["errors"][0]["code"] == "DUPLICATE_REFERRAL"
    assert first["id"] in again["errors"][0]["message"]


def test_a_full_service_takes_referrals_only_onto_its_waiting_list(case):
    network, people, subject = case
    give_consent(people, subject, organisationKinds=["NPO"], areaCode="141305")
    refused = create(people, subject, network["freeschool"])["data"]["createReferral"]
    assert [e["code"] for e in refused["errors"]] == ["SERVICE_FULL"]
    waiting = create(people, subject, network["freeschool"], acceptWaitlist=True)
    assert waiting["data"]["createReferral"]["referral"]["waitlisted"] is True


def test_moves_outside_the_table_and_stale_versions_are_refused(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"][
        "id"
    ]
    before = graph_counts()

    def code(caller, action, version, **extra):
        body = people[caller](MOVE, {"id": referral, "action": action, "version": version, **extra})
        return [e["code"] for e in body["data"]["transitionReferral"]["errors"]]

    assert code("welfare", "COMPLETE", 1, outcome="CONNECTED") == ["INVALID_TRANSITION"]
    assert code("counsellor", "ACKNOWLEDGE", 1) == ["INVALID_TRANSITION"]  # sender cannot
    assert code("welfare", "ACKNOWLEDGE", 7) == ["CONFLICT"]
    assert code("welfare", "DECLINE", 1) == ["REQUIRED"]  # a decline needs its reason
    assert code("npo", "ACKNOWLEDGE", 1) == ["NOT_FOUND"]  # not a party to it
    assert graph_counts() == before


def test_a_decline_that_suggests_another_service_leaves_the_sender_a_draft(case):
    network, people, subject = case
    give_consent(
        people,
        subject,
        organisationIds=[network["welfare"]],
        organisationKinds=["NPO"],
        areaCode="141305",
    )
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"][
        "id"
    ]
    declined = move(
        people["welfare"],
        referral,
        "DECLINE",
        1,
        reason="SERVICE_NOT_PROVIDED",
        suggested=network["study"],
    )
    assert declined["errors"] == []
    assert declined["referral"]["state"] == "DECLINED"
    follow_on = declined["referral"]["followedBy"]
    assert follow_on is not None
    draft = people["counsellor"](READ, {"id": follow_on})["data"]["referral"]
    assert (draft["state"], draft["follows"]) == ("DRAFT", referral)
    sent = move(people["counsellor"], follow_on, "SEND", 1)
    assert sent["referral"]["state"] == "SENT"


def test_withdrawing_consent_withdraws_open_referrals_and_hides_the_summary(case):
    network, people, subject = case
    consent_id = give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"][
        "id"
    ]
    people["counsellor"](
        "mutation($id: ID!) { withdrawConsent(id: $id) { errors { code } } }", {"id": consent_id}
    )
    seen = people["welfare"](READ, {"id": referral})["data"]["referral"]
    assert (seen["state"], seen["summary"], seen["consentState"]) == ("WITHDRAWN", None, "INACTIVE")
    assert people["counsellor"](READ, {"id": referral})["data"]["referral"]["summary"]


def test_fifty_concurrent_accepts_give_exactly_one_success(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"][
        "id"
    ]
    caseworker = Actor(
        username="caseworker",
        organisation_id=network["welfare"],
        roles=frozenset({Role.CASEWORKER}),
    )
    services.referral_transition(
        actor=caseworker, referral_id=referral, action=handoff.Action.ACKNOWLEDGE, version_seen=1
    )

    def accept(_: int) -> str:
        try:
            services.referral_transition(
                actor=caseworker, referral_id=referral, action=handoff.Action.ACCEPT, version_seen=2
            )
        except PublicError as refused:
            return refused.code.value
        return "OK"

    with ThreadPoolExecutor(max_workers=25) as pool:
        results = list(pool.map(accept, range(50)))
    assert results.count("OK") == 1
    assert set(results) == {"OK", "CONFLICT"}
    events = session.read(
        lambda tx: tx.single(
            "MATCH (:Referral {id: $id})-[:HAS_EVENT]->(e {toState: 'ACCEPTED'}) "
            "RETURN count(e) AS n",
            id=referral,
        )
    )
    assert events["n"] == 1
