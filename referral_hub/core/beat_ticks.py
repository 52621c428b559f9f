"""Beat's own heartbeat: a cheap periodic task whose every run leaves a mark.

Celery beat must run as exactly one process (docs/operations.md): a second scheduler
sends every periodic task a second time. The hub's real periodic tasks are idempotent
on purpose (a second relay or checkpoint finds nothing to do), so a duplicate scheduler
leaves no trace in their results. This tick does: each run records the task id and the
scheduler that sent it (the message's `origin`, unique per beat process) in Redis, so
an operator, and tests/production/test_many_processes.py, can count schedulers and runs
per period. HUB_BEAT_TICK_SECONDS sets the period.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import redis

KEY = "hub:beat:ticks"
# The newest runs kept: a day at the default minute, minutes in a test's second.
KEEP = 2000


@dataclass(frozen=True)
class Tick:
    task_id: str
    origin: str
    at: float


def _client(broker_url: str) -> redis.Redis:
    return redis.Redis.from_url(broker_url, socket_timeout=1.0, socket_connect_timeout=1.0)


def record(broker_url: str, *, task_id: str, origin: str) -> None:
    """Note one run (newest first, the list capped at KEEP)."""
    entry = json.dumps({"task_id": task_id, "origin": origin, "at": time.time()})
    client = _client(broker_url)
    try:
        pipe = client.pipeline()
        pipe.lpush(KEY, entry)
        pipe.ltrim(KEY, 0, KEEP - 1)
        pipe.execute()
    finally:
        client.close()


def recent(broker_url: str) -> list[Tick]:
    """The recorded runs, oldest first."""
    client = _client(broker_url)
    try:
        raw = client.lrange(KEY, 0, -1)
    finally:
        client.close()
    return [Tick(**json.loads(item)) for item in reversed(raw)]  # stored newest first
