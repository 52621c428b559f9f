"""Check-ins after a connection (issue 20): scheduled with the completion, recorded by the
receiver only, under the referral's basis, audited; STOPPED tells the sender."""

from datetime import UTC, datetime

import pytest

from graph import session
from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from referral_hub.referrals import check_ins
from tests.conftest import member, subject_audit_events
from tests.referrals.flows import create, give_consent, move

READ = """
query($id: ID!) { referral(id: $id) {
  id state nextBest { service { name } }
  checkIns { id index days state answer dueAt escalateAt answeredBy note }
} }"""
RECORD = """
mutation($referral: ID!, $checkIn: ID, $index: Int, $answer: CheckInAnswer!, $note: String) {
  recordCheckIn(input: {referralId: $referral, checkInId: $checkIn, index: $index,
                       answer: $answer, note: $note}) {
    referral { id checkIns { index state answer note answeredBy } }
    errors { field code }
  }
}"""
LIST = """
query($overdue: Boolean, $first: Int, $after: String) {
  checkIns(overdue: $overdue, first: $first, after: $after) {
    edges { node { id index days dueAt overdue referral { id state outcome }
                   service { name } sender { name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
UPDATE_SERVICE = """
mutation($id: ID!, $input: ServiceUpdateInput!) {
  updateService(id: $id, input: $input) { service { checkInDays } errors { field code } }
}"""


def completed(case, outcome="CONNECTED"):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    version = 1
    for action, extra in (
        ("ACKNOWLEDGE", {}),
        ("ACCEPT", {}),
        ("START", {}),
        ("COMPLETE", {"outcome": outcome}),
    ):
        step = move(people["welfare"], referral["id"], action, version, **extra)
        assert step["errors"] == [], (action, step)
        version = step["referral"]["version"]
    return referral["id"]


def record(caller, referral, **arguments):
    return caller(RECORD, {"referral": referral, **arguments})["data"]["recordCheckIn"]


def test_a_connection_schedules_check_ins_at_30_and_90_working_days(case):
    _network, people, _ = case
    before = datetime.now(UTC)
    referral = completed(case)
    after = datetime.now(UTC)
    for reader in ("welfare", "counsellor"):
        items = people[reader](READ, {"id": referral})["data"]["referral"]["checkIns"]
        assert [(i["index"], i["days"], i["state"]) for i in items] == [
            (0, 30, "DUE"),
            (1, 90, "DUE"),
        ]
    expected = [
        {
            check_ins.schedule(completed_at=moment, days=[30, 90])[i].due_at
            for moment in (before, after)
        }
        for i in (0, 1)
    ]
    for item, due in zip(items, expected, strict=True):
        assert datetime.fromisoformat(item["dueAt"]) in due
    # Only the connecting completion scheduled them, in its own transaction.
    assert session.read(lambda tx: tx.single("MATCH (c:CheckIn) RETURN count(c) AS n"))["n"] == 2


@pytest.mark.parametrize("outcome", ["CLIENT_DECLINED", "COULD_NOT_CONTACT"])
def test_other_outcomes_schedule_nothing(case, outcome):
    _, people, _ = case
    referral = completed(case, outcome)
    assert people["welfare"](READ, {"id": referral})["data"]["referral"]["checkIns"] == []


def test_a_service_s_own_days_and_their_limits(case):
    network, _, _ = case
    admin = member("w-admin", network["welfare"], Role.ORG_ADMIN)

    def update(days):
        answer = admin(UPDATE_SERVICE, {"id": network["consult"], "input": {"checkInDays": days}})
        return answer["data"]["updateService"]

    assert update([1, 2, 3, 4, 5])["errors"] == [{"field": "checkInDays", "code": "TOO_LONG"}]
    assert update([0, 30])["errors"] == [{"field": "checkInDays", "code": "OUT_OF_RANGE"}]
    assert update([30, 366])["errors"] == [{"field": "checkInDays", "code": "OUT_OF_RANGE"}]
    assert update([90, 30])["errors"] == [{"field": "checkInDays", "code": "INVALID"}]
    assert update([7, 14, 60, 365]) == {"service": {"checkInDays": [7, 14, 60, 365]}, "errors": []}
    assert update(None)["service"]["checkInDays"] == [30, 90]  # back to the defaults
    assert update([7, 60])["errors"] == []
    referral = completed(case)
    items = case[1]["welfare"](READ, {"id": referral})["data"]["referral"]["checkIns"]
    assert [i["days"] for i in items] == [7, 60]


def test_the_receiver_records_once_with_a_sealed_note_and_an_audit(case):
    _, people, subject = case
    referral = completed(case)
    answer = record(
        people["welfare"], referral, index=0, answer="STILL_ATTENDING", note="毎週来ています"
    )
    assert answer["errors"] == []
    first, second = answer["referral"]["checkIns"]
    assert (first["state"], first["answer"], first["note"]) == (
        "ANSWERED",
        "STILL_ATTENDING",
        "毎週来ています",
    )
    assert first["answeredBy"] == "caseworker"
    assert second["state"] == "DUE"
    stored = session.read(
        lambda tx: tx.single("MATCH (c:CheckIn {index: 0}) RETURN c.noteSealed AS note")
    )
    assert "毎週" not in stored["note"]  # sealed with the subject's key
    audited = [e for e in subject_audit_events(subject) if e["action"] == "CHECK_IN_RECORD"]
    assert len(audited) == 1
    assert audited[0]["basis"] == "CONSENT"
    # Once answered, it stays answered: a second recording is a conflict, nothing written.
    again = record(people["welfare"], referral, index=0, answer="STOPPED")
    assert again["errors"] == [{"field": "checkInId", "code": "CONFLICT"}]
    # By id, the second one.
    check_in_id = people["welfare"](READ, {"id": referral})["data"]["referral"]["checkIns"][1]["id"]
    by_id = record(people["welfare"], referral, checkIn=check_in_id, answer="MOVED_ON")
    assert by_id["errors"] == []
    assert [i["answer"] for i in by_id["referral"]["checkIns"]] == ["STILL_ATTENDING", "MOVED_ON"]


def test_only_the_receiving_organisation_records(case):
    _network, people, _ = case
    referral = completed(case)
    # The sender (a counsellor) is refused by role; another organisation's caseworker finds
    # no referral; nothing is written either way.
    refused = people["counsellor"](RECORD, {"referral": referral, "index": 0, "answer": "STOPPED"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    other = record(people["npo"], referral, index=0, answer="STOPPED")
    assert other["errors"] == [{"field": "referralId", "code": "NOT_FOUND"}]
    states = people["welfare"](READ, {"id": referral})["data"]["referral"]["checkIns"]
    assert {i["state"] for i in states} == {"DUE"}


@pytest.mark.parametrize(
    ("arguments", "errors"),
    [
        ({"index": 2}, [{"field": "checkInId", "code": "NOT_FOUND"}]),
        ({"index": 4}, [{"field": "index", "code": "OUT_OF_RANGE"}]),
        ({}, [{"field": "checkInId", "code": "REQUIRED"}]),
        (
            {"index": 0, "checkIn": "00000000-0000-4000-8000-000000000000"},
            [{"field": "checkInId", "code": "REQUIRED"}],
        ),
        ({"checkIn": "not-a-uuid"}, [{"field": "checkInId", "code": "INVALID"}]),
        ({"index": 0, "note": "x" * 2001}, [{"field": "note", "code": "TOO_LONG"}]),
    ],
)
def test_bad_recordings_write_nothing(case, arguments, errors):
    _, people, _ = case
    referral = completed(case)
    assert record(people["welfare"], referral, answer="STOPPED", **arguments)["errors"] == errors
    states = people["welfare"](READ, {"id": referral})["data"]["referral"]["checkIns"]
    assert {i["state"] for i in states} == {"DUE"}


def test_stopped_tells_the_sender_and_offers_the_next_best_place(case):
    _, people, _ = case
    referral = completed(case)
    assert people["counsellor"](READ, {"id": referral})["data"]["referral"]["nextBest"] == []
    assert record(people["welfare"], referral, index=0, answer="STOPPED")["errors"] == []
    kinds = session.read(
        lambda tx: tx.rows(
            "MATCH (o:OutboxEntry {referralId: $id}) RETURN o.kind AS kind, o.checkIn AS at "
            "ORDER BY o.createdAt",
            id=referral,
        )
    )
    assert {"kind": "CHECK_IN_STOPPED", "at": 0} in kinds
    # The directory fixture has no other accepting service for the need in the sender's
    # area (tests/pathways/test_check_in_next_best.py has one that does).
    assert people["counsellor"](READ, {"id": referral})["data"]["referral"]["nextBest"] == []
    # The receiver is never offered the sender's next place.
    assert people["welfare"](READ, {"id": referral})["data"]["referral"]["nextBest"] == []


def test_moved_on_tells_no_one(case):
    _, people, _ = case
    referral = completed(case)
    assert record(people["welfare"], referral, index=0, answer="MOVED_ON")["errors"] == []
    kinds = session.read(
        lambda tx: tx.rows(
            "MATCH (o:OutboxEntry {referralId: $id}) RETURN o.kind AS kind", id=referral
        )
    )
    assert "CHECK_IN_STOPPED" not in {row["kind"] for row in kinds}
    assert people["counsellor"](READ, {"id": referral})["data"]["referral"]["nextBest"] == []


def _make_due(referral, index):
    session.write(
        lambda tx: tx.run(
            "MATCH (:Referral {id: $id})-[:HAS_CHECK_IN]->(c:CheckIn {index: $index}) "
            "SET c.dueAt = datetime() - duration({days: 1}), "
            "    c.escalateAt = datetime() + duration({days: 3})",
            id=referral,
            index=index,
        ).consume()
    )


def test_the_receivers_due_list_in_one_round_trip(case):
    _, people, _ = case
    referral = completed(case)
    assert people["welfare"](LIST)["data"]["checkIns"]["edges"] == []  # not due yet
    _make_due(referral, 0)
    with count_round_trips() as trips:
        body = people["welfare"](LIST, {"first": 10})
    assert trips.count == 1, trips.statements
    (edge,) = body["data"]["checkIns"]["edges"]
    node = edge["node"]
    assert (node["index"], node["days"], node["overdue"]) == (0, 30, False)
    assert node["referral"] == {"id": referral, "state": "COMPLETED", "outcome": "CONNECTED"}
    assert node["sender"]["name"] == "川崎市立桜中学校"
    assert people["welfare"](LIST, {"overdue": True})["data"]["checkIns"]["edges"] == []
    # Another organisation's caseworker sees none of them; a counsellor may not ask.
    assert people["npo"](LIST)["data"]["checkIns"]["edges"] == []
    refused = people["counsellor"](LIST)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Answered, it leaves the list.
    record(people["welfare"], referral, index=0, answer="STILL_ATTENDING")
    assert people["welfare"](LIST)["data"]["checkIns"]["edges"] == []


def test_no_recording_once_the_consent_is_withdrawn(case):
    network, people, _ = case
    referral = completed(case)
    consent = session.read(
        lambda tx: tx.single(
            "MATCH (:Referral {id: $id})-[:UNDER]->(c:Consent) RETURN c.id AS id", id=referral
        )
    )["id"]
    withdrawn = people["counsellor"](
        "mutation($id: ID!) { withdrawConsent(id: $id) { errors { code } } }", {"id": consent}
    )
    assert withdrawn["data"]["withdrawConsent"]["errors"] == []
    answer = record(people["welfare"], referral, index=0, answer="STOPPED", note="来ない")
    assert answer["errors"] == [{"field": "referralId", "code": "CONSENT_REQUIRED"}]
    assert session.read(
        lambda tx: tx.single("MATCH (c:CheckIn {index: 0}) RETURN c.state AS state")
    ) == {"state": "DUE"}
    # Nor does the receiver read the check-ins' notes any more (none was written).
    items = people["welfare"](READ, {"id": referral})["data"]["referral"]["checkIns"]
    assert {i["note"] for i in items} == {None}
    assert network  # the sender still sees its own referral's check-ins
    assert len(people["counsellor"](READ, {"id": referral})["data"]["referral"]["checkIns"]) == 2
