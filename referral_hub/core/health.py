"""Health of the parts the service depends on: Neo4j, Redis and the Celery workers."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
from django.conf import settings

from graph import health as graph_health
from graph.errors import GraphError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Neo4jHealth:
    reachable: bool
    version: str | None = None
    edition: str | None = None


@dataclass(frozen=True)
class Health:
    neo4j: Neo4jHealth
    redis: bool
    celery: bool
    celery_required: bool = False

    @property
    def ok(self) -> bool:
        """Every part asked for answers: the graph and the broker always (serving needs
        them), a worker when the caller asked about one. Saying "ok" while a part that was
        asked about is down would be the dishonest answer a load balancer acts on."""
        return self.neo4j.reachable and self.redis and (self.celery or not self.celery_required)


def check_neo4j() -> Neo4jHealth:
    try:
        components = graph_health.server_components()
    except GraphError:
        log.warning("health: neo4j unreachable", exc_info=True)
        return Neo4jHealth(reachable=False)
    return Neo4jHealth(reachable=True, version=components["version"], edition=components["edition"])


def check_redis() -> bool:
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1.0)
        return bool(client.ping())
    except redis.RedisError:
        log.warning("health: redis unreachable", exc_info=True)
        return False


def check_celery(timeout: float = 1.0) -> bool:
    """True when at least one worker answers a broadcast ping within `timeout` seconds."""
    from referral_hub.celery import app

    try:
        return bool(app.control.ping(timeout=timeout))
    except Exception:  # kombu raises transport-specific errors; any of them means "no answer"
        log.warning("health: celery ping failed", exc_info=True)
        return False


def check_all(*, include_celery: bool = True) -> Health:
    neo4j = check_neo4j()
    broker_ok = check_redis()
    return Health(
        neo4j=neo4j,
        redis=broker_ok,
        celery=include_celery and broker_ok and check_celery(),
        celery_required=include_celery,
    )
