"""A worker killed in the middle of a task: the task is handed out again, completes, and
its side effects happen once (acks_late + reject_on_worker_lost + idempotent batches)."""

import os
import signal
import time

import pytest

from graph import audit_log, session
from referral_hub.devservices import process
from referral_hub.subjects import tasks as subject_tasks

pytestmark = pytest.mark.celery

CONSENTS = 6000
_EXPIRED_CONSENTS = """
UNWIND range(1, $n) AS i
CREATE (:Subject {id: randomUUID(), birthYear: 2012, areaCode: '141313'})-[:GAVE]->
       (:Consent {id: randomUUID(), state: 'ACTIVE', purposes: ['REFERRAL'],
                  categories: ['CONTACT'], organisationKinds: [], kindAreaCodes: [],
                  validFrom: date() - duration('P30D'), validUntil: date() - duration('P1D')})
"""
_PROGRESS = "MATCH (c:Consent {state: 'EXPIRED'}) RETURN count(c) AS n"
# Grouped once, not a scan of the log per subject (which outlived the 30 s transaction
# timeout): every subject is named (covered == subjects), each exactly once.
_EVENTS_PER_SUBJECT = """
CALL () { MATCH (s:Subject) RETURN count(s) AS subjects }
CALL () {
  MATCH (e:AuditEvent {action: 'CONSENT_EXPIRE'})-[:MENTIONS]->(m:AuditMention)
  WITH m.subject AS target, count(*) AS events
  MATCH (s:Subject {id: target})
  RETURN count(s) AS covered, min(events) AS fewest, max(events) AS most
}
RETURN subjects, covered, fewest, most
"""


def expired() -> int:
    return session.read(lambda tx: tx.single(_PROGRESS))["n"]


def test_a_task_killed_half_way_completes_once_after_the_restart(
    graph_db, redis_db, celery_worker_process, test_profile
):
    session.write(lambda tx: tx.run(_EXPIRED_CONSENTS, n=CONSENTS).consume())
    subject_tasks.expire_consents.delay()

    deadline = time.monotonic() + 60
    while expired() == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    half_way = expired()
    assert 0 < half_way < CONSENTS, "the task finished before it could be interrupted"
    main = process.read_pid(test_profile.worker.pid_file)
    for child in process.children(main):
        os.kill(child, signal.SIGKILL)  # the pool restarts them; the message is requeued
    # Killed before the end: only the redelivered task can finish the work.
    assert expired() < CONSENTS

    deadline = time.monotonic() + 120
    while expired() < CONSENTS and time.monotonic() < deadline:
        time.sleep(0.2)
    assert expired() == CONSENTS
    counts = session.read(lambda tx: tx.single(_EVENTS_PER_SUBJECT))
    assert counts == {"subjects": CONSENTS, "covered": CONSENTS, "fewest": 1, "most": 1}
    # The killed worker's half-written transaction left no trace in its chain.
    assert [link for _, _, link in audit_log.verify_all() if link is not None] == []
