"""Consent expiry and erasure end to end, through Redis and a real Celery worker.

Time is moved by the test (the consent's end and the erasure date are set in the past
in the graph), never waited for.
"""

import pytest

from graph import audit_log, session
from referral_hub.subjects import tasks
from tests.conftest import subject_audit_events
from tests.referrals.flows import READ, build_case, create, give_consent, move
from tests.referrals.test_statutory import statutory

pytestmark = pytest.mark.celery


@pytest.fixture
def case(graph_db, db, redis_db):
    return build_case()


READ_SUBJECT = "query($id: ID!) { subject(id: $id) { id name erased } }"
_PAST_END = """
MATCH (c:Consent {id: $id})
SET c.validFrom = date() - duration('P30D'), c.validUntil = date() - duration('P2D')
"""
_STATE = """
MATCH (s:Subject {id: $subject})-[:GAVE]->(c:Consent)
RETURN c.state AS consent, s.erasureDueAt IS NOT NULL AS erasure_due,
       EXISTS { (s)-[:HAS_KEY]->() } AS has_key, s.dupKey IS NOT NULL AS has_dup_key
"""


def run(task):
    return task.apply_async().get(timeout=60)


def test_expiry_cascades_and_erasure_shreds_the_key(case, celery_worker_process):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    assert run(tasks.expire_consents) == 0  # nothing due: nothing happens
    session.write(lambda tx: tx.run(_PAST_END, id=consent).consume())

    assert run(tasks.expire_consents) == 1
    assert run(tasks.expire_consents) == 0  # twice is harmless
    state = session.read(lambda tx: tx.single(_STATE, subject=subject))
    assert state == {
        "consent": "EXPIRED",
        "erasure_due": True,
        "has_key": True,
        "has_dup_key": True,
    }
    seen = people["welfare"](READ, {"id": referral["id"]})["data"]["referral"]
    assert (seen["state"], seen["summary"]) == ("WITHDRAWN", None)
    assert people["welfare"](READ_SUBJECT, {"id": subject})["data"]["subject"] is None

    assert run(tasks.erase_due_subjects) == 0  # the retention period has not passed
    _erasure_due_now(subject)
    assert run(tasks.erase_due_subjects) == 1
    assert run(tasks.erase_due_subjects) == 0
    state = session.read(lambda tx: tx.single(_STATE, subject=subject))
    assert state == {
        "consent": "EXPIRED",
        "erasure_due": False,
        "has_key": False,
        "has_dup_key": False,
    }
    erased = people["counsellor"](READ_SUBJECT, {"id": subject})["data"]["subject"]
    assert erased == {"id": subject, "name": None, "erased": True}
    # The sender's referral still reads, without the summary nobody can open any more.
    kept = people["counsellor"](READ, {"id": referral["id"]})["data"]["referral"]
    assert (kept["state"], kept["summary"]) == ("WITHDRAWN", None)

    # Each maintenance batch is one event naming its subjects, with no basis (it read nothing).
    maintenance = [
        e
        for e in subject_audit_events(subject)
        if e["action"] in ("CONSENT_EXPIRE", "SUBJECT_ERASE")
    ]
    assert [e["action"] for e in maintenance] == ["CONSENT_EXPIRE", "SUBJECT_ERASE"]
    assert [(e["basis"], e["statutory"], e["subjects"]) for e in maintenance] == [
        (None, False, [subject])
    ] * 2
    assert all(broken is None for _, _, broken in audit_log.verify_all())


# The worker's HUB_ERASURE_RETENTION_DAYS is the default, 30.
_CLOSED_LONG_AGO = "MATCH (r:Referral {id: $id}) SET r.closedAt = datetime() - duration('P31D')"


def _erasure_due_now(subject):
    """The retention period has passed: since the consent ended, and since every referral
    of the subject closed (a withdrawal closes them at the same moment)."""
    session.write(
        lambda tx: tx.run(
            "MATCH (s:Subject {id: $id}) SET s.erasureDueAt = datetime() - duration('P1D') "
            "WITH s MATCH (s)<-[:FOR]-(r:Referral) WHERE r.closedAt IS NOT NULL "
            "SET r.closedAt = datetime() - duration('P31D')",
            id=subject,
        ).consume()
    )


def test_no_erasure_while_a_consent_is_active_or_a_statutory_referral_is_open(
    case, celery_worker_process
):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["npo"]])
    _erasure_due_now(subject)
    assert run(tasks.erase_due_subjects) == 0  # an ACTIVE consent still needs the subject

    withdrawn = people["counsellor"](
        "mutation($id: ID!) { withdrawConsent(id: $id) { errors { code } } }", {"id": consent}
    )
    assert withdrawn["data"]["withdrawConsent"]["errors"] == []
    referral = statutory(people, subject, network)["referral"]["id"]
    _erasure_due_now(subject)
    assert run(tasks.erase_due_subjects) == 0  # the open statutory referral still needs it

    assert move(people["welfare"], referral, "DECLINE", 1, reason="NOT_ELIGIBLE")["errors"] == []
    assert run(tasks.erase_due_subjects) == 0  # closed today: the retention period runs
    session.write(lambda tx: tx.run(_CLOSED_LONG_AGO, id=referral).consume())
    assert run(tasks.erase_due_subjects) == 1
