"""Attack review of check-ins (issue 20): foreign ids, the sender recording, explicit
nulls, control characters and huge notes, indexes at and past the end, races, and
check-ins whose referral no longer has a basis (consent withdrawn, a statute's sight
ended) — which nobody may answer, so nobody is reminded of them either."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from graph import check_in_repo, session
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.errors import PublicError, ValidationFailed
from referral_hub.referrals import check_in_services
from referral_hub.referrals import tasks as referral_tasks
from tests.conftest import member, subject_audit_events
from tests.referrals.flows import REGISTER, create, give_consent, move
from tests.referrals.test_check_ins import LIST, READ, RECORD, _make_due, completed, record
from tests.referrals.test_statutory import statutory

RECORD_RAW = """
mutation($input: RecordCheckInInput!) {
  recordCheckIn(input: $input) { referral { id } errors { field code } }
}"""


def _states(people, referral):
    items = people["welfare"](READ, {"id": referral})["data"]["referral"]["checkIns"]
    return [i["state"] for i in items]


def _outbox(referral):
    return session.read(
        lambda tx: tx.rows(
            "MATCH (o:OutboxEntry {referralId: $id}) WHERE o.kind STARTS WITH 'CHECK_IN' "
            "RETURN o.kind AS kind, o.checkIn AS index ORDER BY o.kind, o.checkIn",
            id=referral,
        )
    )


def _overdue(referral, index=0):
    """Past its due day and its escalation."""
    session.write(
        lambda tx: tx.run(
            "MATCH (:Referral {id: $id})-[:HAS_CHECK_IN]->(c:CheckIn {index: $index}) "
            "SET c.dueAt = datetime() - duration({days: 10}), "
            "    c.escalateAt = datetime() - duration({days: 1})",
            id=referral,
            index=index,
        ).consume()
    )


def _second_referral(case):
    """Another completed connection of another pupil of the same school, to the same
    service (so the same receiver)."""
    network, people, _ = case
    other = people["counsellor"](REGISTER)["data"]["registerSubject"]["subject"]["id"]
    return completed((network, people, other))


def test_a_check_in_id_of_another_referral_is_not_found(case):
    _, people, _ = case
    mine = completed(case)
    theirs = _second_referral(case)
    foreign = people["welfare"](READ, {"id": theirs})["data"]["referral"]["checkIns"][0]["id"]
    answer = record(people["welfare"], mine, checkIn=foreign, answer="STOPPED")
    assert answer["errors"] == [{"field": "checkInId", "code": "NOT_FOUND"}]
    assert _states(people, mine) == ["DUE", "DUE"]
    assert _states(people, theirs) == ["DUE", "DUE"]
    assert _outbox(theirs) == []


def test_a_caseworker_of_the_sending_organisation_finds_no_referral(case):
    network, people, _ = case
    referral = completed(case)
    sender_caseworker = member("school-cw", network["school"], Role.CASEWORKER)
    answer = record(sender_caseworker, referral, index=0, answer="STOPPED")
    assert answer["errors"] == [{"field": "referralId", "code": "NOT_FOUND"}]
    assert sender_caseworker(LIST)["data"]["checkIns"]["edges"] == []
    # An ORG_ADMIN of the receiver is not a caseworker: refused by role.
    admin = member("w-admin", network["welfare"], Role.ORG_ADMIN)
    refused = admin(RECORD, {"referral": referral, "index": 0, "answer": "STOPPED"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert _states(people, referral) == ["DUE", "DUE"]


def test_an_unknown_or_malformed_referral_id(case):
    _, people, _ = case
    completed(case)
    unknown = record(
        people["welfare"], "00000000-0000-4000-8000-000000000000", index=0, answer="STOPPED"
    )
    assert unknown["errors"] == [{"field": "referralId", "code": "NOT_FOUND"}]
    malformed = record(people["welfare"], "not-a-uuid", index=0, answer="STOPPED")
    assert malformed["errors"] == [{"field": "referralId", "code": "INVALID"}]


def test_a_referral_not_completed_has_no_check_in(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    sent = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    answer = record(people["welfare"], sent["id"], index=0, answer="STILL_ATTENDING")
    assert answer["errors"] == [{"field": "checkInId", "code": "NOT_FOUND"}]


@pytest.mark.parametrize(
    ("extra", "errors"),
    [
        # explicit nulls: the other one names the check-in
        ({"checkInId": None, "index": 0, "note": None}, []),
        ({"checkInId": None, "index": None}, [{"field": "checkInId", "code": "REQUIRED"}]),
        # N = 2 check-ins: N - 1 is the last, N and N + 1 are not there, -1 is out of range
        ({"index": 1}, []),
        ({"index": 2}, [{"field": "checkInId", "code": "NOT_FOUND"}]),
        ({"index": 3}, [{"field": "checkInId", "code": "NOT_FOUND"}]),
        ({"index": -1}, [{"field": "index", "code": "OUT_OF_RANGE"}]),
        ({"index": 0, "note": ""}, []),
        ({"index": 0, "note": "あ" * 2000}, []),
        ({"index": 0, "note": "あ" * 2001}, [{"field": "note", "code": "TOO_LONG"}]),
    ],
)
def test_nulls_bounds_and_note_lengths(case, extra, errors):
    _, people, _ = case
    referral = completed(case)
    body = people["welfare"](
        RECORD_RAW,
        {"input": {"referralId": referral, "answer": "STILL_ATTENDING", **extra}},
    )["data"]["recordCheckIn"]
    assert body["errors"] == errors
    assert _states(people, referral).count("ANSWERED") == (0 if errors else 1)


@pytest.mark.parametrize(
    "extra",
    [
        {"index": 0, "answer": None},
        {"index": 0, "answer": "SOMETHING"},
        {"index": 2**31},
        {"index": 0, "referralId": None},
    ],
)
def test_malformed_graphql_input_writes_nothing(case, extra):
    _, people, _ = case
    referral = completed(case)
    body = people["welfare"](
        RECORD_RAW,
        {"input": {"referralId": referral, "answer": "STILL_ATTENDING", **extra}},
        expect_status=None,
    )
    assert body.get("errors"), body
    assert _states(people, referral) == ["DUE", "DUE"]


@pytest.mark.parametrize("note", ["来て\x00いない", "\x1b[31m", "a\x7fb", "\u0085"])
def test_control_characters_in_the_note_are_refused(case, note):
    _, people, _ = case
    referral = completed(case)
    body = people["welfare"](
        RECORD_RAW,
        {"input": {"referralId": referral, "index": 0, "answer": "STOPPED", "note": note}},
        expect_status=None,
    )
    refused = body.get("errors") or body["data"]["recordCheckIn"]["errors"]
    assert refused, body
    assert _states(people, referral) == ["DUE", "DUE"]
    assert _outbox(referral) == []


def test_a_huge_note_is_refused_and_nothing_written(case):
    _, people, _ = case
    referral = completed(case)
    body = people["welfare"](
        RECORD_RAW,
        {"input": {"referralId": referral, "index": 0, "answer": "STOPPED", "note": "x" * 500_000}},
        expect_status=None,
    )
    refused = body.get("errors") or body["data"]["recordCheckIn"]["errors"]
    assert refused, body
    assert _states(people, referral) == ["DUE", "DUE"]


def test_two_recordings_at_once_answer_once(case):
    network, _, subject = case
    referral = completed(case)
    actor = Actor(
        username="caseworker",
        organisation_id=network["welfare"],
        roles=frozenset({Role.CASEWORKER}),
    )

    def attempt(answer):
        try:
            check_in_services.check_in_record(
                actor=actor, referral_id=referral, index=0, answer=answer
            )
        except (ValidationFailed, PublicError) as refused:
            return type(refused).__name__
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(attempt, ["STOPPED", "STOPPED", "STOPPED", "STOPPED"]))
    assert sorted(results) == ["PublicError", "PublicError", "PublicError", "ok"]
    audited = [e for e in subject_audit_events(subject) if e["action"] == "CHECK_IN_RECORD"]
    assert len(audited) == 1
    assert _outbox(referral) == [{"kind": "CHECK_IN_STOPPED", "index": 0}]


def test_overlapping_beat_runs_announce_once(case):
    referral = completed(case)
    _overdue(referral, 0)

    def run(kind):
        return check_in_repo.overdue_mark(kind=kind, limit=50)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(run, ["CHECK_IN_REMIND", "CHECK_IN_REMIND", "CHECK_IN_ESCALATE"] * 2))
    assert _outbox(referral) == [
        {"kind": "CHECK_IN_ESCALATE", "index": 0},
        {"kind": "CHECK_IN_REMIND", "index": 0},
    ]
    assert referral_tasks.check_check_ins() == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 0}


def _withdraw_the_consent(people, referral):
    consent = session.read(
        lambda tx: tx.single(
            "MATCH (:Referral {id: $id})-[:UNDER]->(c:Consent) RETURN c.id AS id", id=referral
        )
    )["id"]
    withdrawn = people["counsellor"](
        "mutation($id: ID!) { withdrawConsent(id: $id) { errors { code } } }", {"id": consent}
    )
    assert withdrawn["data"]["withdrawConsent"]["errors"] == []


def test_a_check_in_nobody_may_answer_is_neither_listed_reminded_nor_escalated(case):
    """Once the consent is withdrawn the receiver may not record anything about the person
    (CONSENT_REQUIRED), so reminding it to follow them up, escalating that to its admins
    and keeping the row on its list for ever would press it to contact someone who
    withdrew."""
    _, people, _ = case
    referral = completed(case)
    _overdue(referral, 0)
    _withdraw_the_consent(people, referral)
    assert record(people["welfare"], referral, index=0, answer="STOPPED")["errors"] == [
        {"field": "referralId", "code": "CONSENT_REQUIRED"}
    ]
    assert people["welfare"](LIST)["data"]["checkIns"]["edges"] == []
    assert referral_tasks.check_check_ins() == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 0}
    assert _outbox(referral) == []


def test_a_new_consent_brings_the_check_in_back(case):
    network, people, subject = case
    referral = completed(case)
    _make_due(referral, 0)
    _withdraw_the_consent(people, referral)
    assert people["welfare"](LIST)["data"]["checkIns"]["edges"] == []
    give_consent(people, subject, organisationIds=[network["welfare"]])
    (edge,) = people["welfare"](LIST)["data"]["checkIns"]["edges"]
    assert edge["node"]["referral"]["id"] == referral
    assert referral_tasks.check_check_ins() == {"CHECK_IN_REMIND": 1, "CHECK_IN_ESCALATE": 0}
    assert record(people["welfare"], referral, index=0, answer="STILL_ATTENDING")["errors"] == []


def test_a_completed_statutory_referral_s_check_ins_wait_for_a_consent(case):
    """A statute lets the receiver see the person while the referral is open only: once it
    is completed the receiver has no basis, so its check-ins cannot be answered and are
    not pressed on it, until the person consents."""
    network, people, subject = case
    referral = statutory(people, subject, network)["referral"]
    version = referral["version"]
    for action, extra in (
        ("ACKNOWLEDGE", {}),
        ("ACCEPT", {}),
        ("START", {}),
        ("COMPLETE", {"outcome": "CONNECTED"}),
    ):
        step = move(people["welfare"], referral["id"], action, version, **extra)
        assert step["errors"] == [], (action, step)
        version = step["referral"]["version"]
    _overdue(referral["id"], 0)
    answer = record(people["welfare"], referral["id"], index=0, answer="STILL_ATTENDING")
    assert answer["errors"] == [{"field": "referralId", "code": "CONSENT_REQUIRED"}]
    assert people["welfare"](LIST)["data"]["checkIns"]["edges"] == []
    assert referral_tasks.check_check_ins() == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 0}


def test_next_best_and_notes_after_the_stop_and_a_withdrawal(case):
    _, people, subject = case
    referral = completed(case)
    assert (
        record(people["welfare"], referral, index=0, answer="STOPPED", note="来なくなった")[
            "errors"
        ]
        == []
    )
    _withdraw_the_consent(people, referral)
    # The receiver no longer reads the note; the sender, who registered the person, still
    # does (its own record), and nobody but the sender is offered a next place.
    seen = people["welfare"](READ, {"id": referral})["data"]["referral"]
    assert [i["note"] for i in seen["checkIns"]] == [None, None]
    assert seen["nextBest"] == []
    npo = people["npo"](READ, {"id": referral})
    assert npo["data"]["referral"] is None or npo.get("errors")
    # Every read of the referral is audited with the basis it rested on.
    reads = [e for e in subject_audit_events(subject) if e["action"] == "REFERRAL_READ"]
    assert reads
    assert reads[-1]["basis"] is None


def test_a_welfare_volunteer_of_the_receiving_organisation_sees_and_records_nothing(case):
    """A 民生委員 held in the receiver's membership is not its caseworker: the check-ins,
    the referral (by its own lookup or as a node) and a recommendation for the subject
    are all refused or null."""
    network, people, subject = case
    referral = completed(case)
    _make_due(referral, 0)
    volunteer = member("minsei", network["welfare"], Role.WELFARE_VOLUNTEER)
    for document, variables in (
        (LIST, {}),
        (RECORD, {"referral": referral, "index": 0, "answer": "STOPPED"}),
        (READ, {"id": referral}),
    ):
        body = volunteer(document, variables)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", document
    node = volunteer(
        "query($id: ID!) { node(id: $id) { id ... on Referral { summary } } }", {"id": referral}
    )
    assert node["data"]["node"] is None
    asked = volunteer(
        "query($o: ID!, $s: ID!) { recommend(fromOrganisation: $o, needTags: "
        '["school_non_attendance"], area: "141313", forSubject: $s) { exchangeFirst } }',
        {"o": network["welfare"], "s": subject},
    )
    assert asked["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert _states(people, referral) == ["DUE", "DUE"]
    assert not [e for e in subject_audit_events(subject) if e["user"] == "minsei"]
