"""Tasks every deployment has: a ping that proves the broker and a worker work end to end
(with the graph, and with read-your-writes), the audit log's signed checkpoint, and beat's
own heartbeat."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from graph import neo4j_health, session
from referral_hub.core import beat_ticks
from referral_hub.core.checkpoints import write_checkpoint


@shared_task(name="hub.core.ping")
def ping() -> str:
    return "pong"


@shared_task(name="hub.core.graph_version")
def graph_version() -> str | None:
    """Proves a worker can reach Neo4j with its own driver."""
    return neo4j_health.server_components()["version"]


@shared_task(name="hub.core.started_after")
def started_after() -> list[str]:
    """The bookmarks a worker ran this task from: proves work enqueued after a write
    carries the writer's place in the graph's history (docs/consistency.md)."""
    return list(session.current_bookmarks())


@shared_task(name="hub.maintenance.audit_checkpoint")
def audit_checkpoint() -> int | None:
    """Sign the audit chains' heads (referral_hub/core/checkpoints.py); the new
    checkpoint's id, or None when nothing changed since the last one."""
    checkpoint = write_checkpoint()
    return None if checkpoint is None else checkpoint.pk


@shared_task(name="hub.maintenance.beat_tick", bind=True, ignore_result=True)
def beat_tick(self: Any) -> None:
    """Record this run and the scheduler that sent it (referral_hub/core/beat_ticks.py)."""
    beat_ticks.record(
        settings.CELERY_BROKER_URL,
        task_id=str(self.request.id),
        origin=str(self.request.origin or "unknown"),
    )
