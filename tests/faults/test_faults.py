"""The faults of issue 13, injected into a running hub by killing a part by its pid in
the middle of a bounded load. Each test asserts what a user relies on: no acknowledged
write lost, none made twice, no notification lost, typed errors within 2 s, the audit
log intact; and records its figures in .data/faults/report.json (quoted in docs/operations.md)."""

from __future__ import annotations

import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from referral_hub.core import worker_heartbeat
from referral_hub.devservices import neo4j, process, redis
from tests.faults.conftest import (
    DATA,
    FAULTS,
    Hub,
    Reply,
    eventually,
    kill,
    manage,
    start_worker,
)

_REFERRALS = """
MATCH (r:Referral)-[:FOR]->(s:Subject) WHERE s.id IN $subjects
RETURN r.id AS id, s.id AS subject
"""
_OUTBOX = """
MATCH (o:OutboxEntry {kind: 'SENT'}) WHERE o.referralId IN $ids RETURN o.referralId AS id
"""


def report(name: str, **figures: object) -> None:
    path = DATA / "report.json"
    found = json.loads(path.read_text()) if path.exists() else {}
    found[name] = figures
    path.write_text(json.dumps(found, indent=2, ensure_ascii=False))
    print(f"\n{name}: {figures}")


def load(hub: Hub, subjects: list[str], *, threads: int, fault_after: int, fault) -> tuple:
    """createReferral for every subject from `threads` clients; `fault()` runs once
    `fault_after` replies are in. Returns (replies by subject, the fault's time)."""
    replies: dict[str, Reply] = {}
    struck: list[float] = []

    def one(subject: str) -> None:
        replies[subject] = hub.refer(subject)
        if len(replies) == fault_after and not struck:
            struck.append(time.monotonic())
            fault()
        time.sleep(0.05)  # a steady load, not a burst that ends before the fault

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, subjects))
    return replies, struck[0]


def acknowledged(reply: Reply) -> str | None:
    payload = (reply.body.get("data") or {}).get("createReferral") or {}
    if payload.get("errors") == [] and payload.get("referral"):
        return payload["referral"]["id"]
    return None


def delivered_keys(hub: Hub) -> set[str]:
    return {key.split(":")[0] for key in hub.receiver.keys if ":SENT:" in key}


def test_neo4j_killed_mid_load_loses_nothing_and_fails_fast(hub: Hub):
    subjects = hub.consented_subjects(100)
    replies, killed_at = load(
        hub, subjects, threads=6, fault_after=30, fault=lambda: kill(FAULTS.neo4j.pid_file)
    )
    ok = {s: acknowledged(r) for s, r in replies.items() if acknowledged(r)}
    refused = {s: r for s, r in replies.items() if s not in ok}
    # Every reply is an acknowledgement or the typed error, and the error came fast.
    assert {r.code for r in refused.values()} == {"GRAPH_UNAVAILABLE"}
    assert max(r.seconds for r in refused.values()) < 2.0
    first_error = min(r.ended for r in refused.values()) - killed_at
    status, health_seconds = hub.get("/readyz")
    assert status == 503
    assert health_seconds < 1.0

    neo4j.start(FAULTS.neo4j)
    hub.wait_ready()
    stored = hub.graph(_REFERRALS, subjects=subjects)
    by_subject: dict[str, list[str]] = {}
    for row in stored:
        by_subject.setdefault(row["subject"], []).append(row["id"])
    assert all(len(ids) == 1 for ids in by_subject.values())  # none made twice
    assert all(by_subject.get(s) == [ref] for s, ref in ok.items())  # none lost
    # A write whose commit landed as the server died may exist unacknowledged; never more
    # of those than requests were in flight.
    in_doubt = [s for s in refused if s in by_subject]
    assert len(in_doubt) <= 6
    ids = {row["id"] for row in stored}
    assert {row["id"] for row in hub.graph(_OUTBOX, ids=list(ids))} == ids
    eventually(lambda: ids <= delivered_keys(hub), 60, "every referral announced")
    audit = manage("verify_audit")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    report(
        "neo4j_killed",
        writes_attempted=len(replies),
        acknowledged=len(ok),
        lost=0,
        refused_typed=len(refused),
        committed_unacknowledged=len(in_doubt),
        slowest_typed_error_s=round(max(r.seconds for r in refused.values()), 3),
        first_typed_error_after_kill_s=round(first_error, 3),
        readyz_during_outage_s=round(health_seconds, 3),
    )


def test_redis_killed_mid_load_delays_notifications_and_loses_none(hub: Hub):
    subjects = hub.consented_subjects(20)
    outage: dict[str, float] = {}

    def stop_redis() -> None:
        kill(FAULTS.redis.pid_file)
        outage["from"] = time.monotonic()

    replies, _ = load(hub, subjects, threads=2, fault_after=5, fault=stop_redis)
    ids = {acknowledged(r) for r in replies.values()}
    assert None not in ids  # the broker is not needed to write
    assert len(ids) == 20
    during = [r.seconds for r in replies.values() if r.started >= outage["from"]]
    assert max(during) < 2.0  # nor is any request held up by it
    # During the outage the ORG_ADMIN already sees what is owed: WAITING in the outbox,
    # or PENDING if a relay planned it just before the broker went.
    owed = hub.deliveries()
    waiting = {d["referralId"] for d in owed if d["status"] == "WAITING"}
    pending = {d["referralId"] for d in owed if d["status"] == "PENDING"}
    undelivered = ids - delivered_keys(hub)
    assert undelivered <= waiting | pending
    assert waiting  # the outage really held some back
    status, health_seconds = hub.get("/readyz")
    assert status == 503
    assert health_seconds < 1.0

    redis.start(FAULTS.redis)
    back = time.monotonic()
    # Celery 5.7's worker can exit on a broker outage (an AttributeError in its connection
    # cleanup: "Unrecoverable error"), so workers run under a supervisor that starts them
    # again (docs/operations.md); this is that supervisor's step.
    worker_exited = process.read_pid(FAULTS.worker.pid_file) is None
    start_worker()
    eventually(lambda: ids <= delivered_keys(hub), 60, "every referral announced")
    after = time.monotonic() - back
    sent = [k for k in hub.receiver.keys if k.split(":")[0] in ids]
    assert len(sent) == len(set(sent)) == 20  # once each
    report(
        "redis_killed",
        writes_attempted=20,
        acknowledged=len(ids),
        lost=0,
        notifications_waiting_during_outage=len(waiting & ids),
        notifications_pending_during_outage=len(pending & ids),
        delivered_after_restart=len(undelivered),
        all_delivered_s_after_restart=round(after, 2),
        duplicates=0,
        slowest_write_during_outage_s=round(max(during), 3),
        worker_exited_during_outage=worker_exited,
        readyz_during_outage_s=round(health_seconds, 3),
    )


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed orphan waits for init to reap it, and in a
    container init may never do so)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def test_worker_killed_mid_delivery_says_what_happened_and_loses_nothing(hub: Hub):
    hub.receiver.hold = 2.0  # each POST is held: the kill lands while attempts are in flight
    try:
        subjects = hub.consented_subjects(6)
        ids = {acknowledged(hub.refer(s)) for s in subjects}

        def ours_in_flight() -> bool:
            return any(key.split(":")[0] in ids for key in set(hub.receiver.in_flight))

        eventually(ours_in_flight, 30, "an attempt of ours in flight")
        main = process.read_pid(FAULTS.worker.pid_file)
        pool = process.children(main)
        assert pool
        os.kill(main, signal.SIGKILL)
        # The pool goes with its parent (no orphan keeps a claim or a socket).
        eventually(lambda: not any(_running(p) for p in pool), 5, "pool gone")
        mid = {d["referralId"]: d for d in hub.deliveries() if d["referralId"] in ids}
        in_flight = [d for d in mid.values() if d["status"] == "SENDING"]
        assert in_flight  # said as it is: an attempt was made, not "PENDING, 0 attempts"
        assert all(d["attempts"] >= 1 for d in in_flight)
    finally:
        hub.receiver.hold = 0.0
    start_worker()

    def all_delivered() -> bool:
        found = [d for d in hub.deliveries() if d["referralId"] in ids]
        return len(found) == 6 and all(d["status"] == "DELIVERED" for d in found)

    eventually(all_delivered, 90, "every delivery done")
    done = {d["referralId"]: d["attempts"] for d in hub.deliveries() if d["referralId"] in ids}
    posts = {i: sum(1 for k in hub.receiver.keys if k.startswith(f"{i}:")) for i in ids}
    # Each POST the receiver saw is an attempt the hub counted; an attempt counted but not
    # seen can only be one the kill cut between its claim and its connection.
    assert all(1 <= posts[i] <= done[i] for i in ids)
    assert sum(done.values()) - sum(posts.values()) <= len(in_flight)
    report(
        "worker_killed",
        deliveries=6,
        in_flight_at_kill=len(in_flight),
        delivered=6,
        lost=0,
        repeated_posts_same_key=sum(posts.values()) - 6,
        orphan_pool_processes=0,
    )


def test_a_worker_down_is_said_within_its_heartbeat_and_answered_within_1_s(hub: Hub):
    assert hub.get("/readyz?worker=1")[0] == 200
    killed = time.monotonic()
    kill(FAULTS.worker.pid_file)
    try:
        answers = []

        def down() -> bool:
            answers.append(hub.get("/readyz?worker=1"))
            return answers[-1][0] == 503

        eventually(down, worker_heartbeat.TTL + 1, "readiness says the worker is down")
        noticed = time.monotonic() - killed
        assert max(seconds for _, seconds in answers) < 1.0
        assert hub.get("/livez")[0] == 200  # the web process itself is fine
    finally:
        start_worker()
    assert hub.get("/readyz?worker=1")[0] == 200
    report(
        "worker_down",
        readyz_status=503,
        said_down_after_s=round(noticed, 2),
        slowest_readyz_s=round(max(seconds for _, seconds in answers), 3),
    )


_IMPORT = "query($id: ID!) { directoryImport(id: $id) { state } }"
_IMPORT_ROWS = (
    "from referral_hub.directory.models import DirectoryImport; "
    "print(DirectoryImport.objects.count())"
)


def test_an_upload_with_redis_down_is_refused_fast_keeps_nothing_and_then_works(hub: Hub):
    before = manage("shell", "-c", _IMPORT_ROWS)
    assert before.returncode == 0, before.stderr
    kill(FAULTS.redis.pid_file)
    try:
        refused = hub.upload("admin", b'{"organization": []}')
    finally:
        redis.start(FAULTS.redis)
    # The rate limiter and the broker share Redis: the limiter refuses first, at once.
    assert (refused.status, refused.code) == (200, "RATE_LIMITED")
    assert refused.seconds < 2.0
    assert manage("shell", "-c", _IMPORT_ROWS).stdout == before.stdout  # nothing kept

    start_worker()  # the supervisor's step after a broker outage (see the test above)
    hub.wait_ready()
    accepted = hub.upload("admin", b'{"organization": []}')
    payload = accepted.body["data"]["startDirectoryImport"]
    assert payload["errors"] == []

    def finished() -> str | None:
        # The supervisor again, as it runs: a worker still dying of the outage when it was
        # first asked to start (its "Unrecoverable error") is started once it has exited.
        start_worker()
        state = hub.call("admin", _IMPORT, {"id": payload["directoryImport"]["id"]}).body
        found = state["data"]["directoryImport"]["state"]
        return found if found not in ("QUEUED", "RUNNING") else None

    # The worker's consumer reconnects with a growing back-off: up to a minute and more.
    assert eventually(finished, 180, "the import after the restart") == "DONE"
    report(
        "upload_with_redis_down",
        refused_code="RATE_LIMITED",
        refused_in_s=round(refused.seconds, 3),
    )


@pytest.fixture(autouse=True)
def _whole_hub_after(hub: Hub):
    yield
    # A test that failed half-way must not leave the next one a part down.
    neo4j.start(FAULTS.neo4j)
    redis.start(FAULTS.redis)
    start_worker()
    hub.wait_ready()
