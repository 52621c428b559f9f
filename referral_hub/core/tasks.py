"""Tasks every deployment has: a ping that proves the broker and a worker work end to end."""

from __future__ import annotations

from celery import shared_task

from graph import neo4j_health


@shared_task(name="hub.core.ping")
def ping() -> str:
    return "pong"


@shared_task(name="hub.core.graph_version")
def graph_version() -> str | None:
    """Proves a worker can reach Neo4j with its own driver."""
    return neo4j_health.server_components()["version"]
