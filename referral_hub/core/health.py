"""Health of the parts the service depends on: Neo4j, Redis and the Celery workers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import redis
from django.conf import settings

from graph import neo4j_health
from graph.errors import GraphError
from referral_hub.core import worker_heartbeat

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

    @property
    def down(self) -> list[str]:
        """The parts asked about that did not answer, for a 503's body."""
        parts = [("neo4j", self.neo4j.reachable), ("redis", self.redis)]
        if self.celery_required:
            parts.append(("celery", self.celery))
        return [name for name, up in parts if not up]


def check_neo4j() -> Neo4jHealth:
    try:
        components = neo4j_health.server_components()
    except GraphError:
        log.warning("health: neo4j unreachable", exc_info=True)
        return Neo4jHealth(reachable=False)
    return Neo4jHealth(reachable=True, version=components["version"], edition=components["edition"])


def check_redis() -> bool:
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        return bool(client.ping())
    except redis.RedisError:
        log.warning("health: redis unreachable", exc_info=True)
        return False


def check_celery() -> bool:
    """True when at least one worker's heartbeat is alive (core/worker_heartbeat.py)."""
    try:
        return bool(worker_heartbeat.alive(settings.CELERY_BROKER_URL))
    except redis.RedisError:
        log.warning("health: worker heartbeats unreadable", exc_info=True)
        return False


# Checks run side by side on a small pool of their own; a check that has not answered by
# the deadline counts as down (issue 13: the health check answers within 1 s whatever is
# down — a silent host must not hold the answer for its connection timeout).
HEALTH_DEADLINE_SECONDS = 0.8
_pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="health")
_running: dict[str, Future[Any]] = {}
_running_lock = threading.Lock()


def _check(name: str, check: Callable[[], Any]) -> Future[Any]:
    """At most one check of each kind runs at a time: probes that arrive while one is
    still waiting on a silent host share its answer instead of queueing behind it."""
    with _running_lock:
        running = _running.get(name)
        if running is None or running.done():
            running = _running[name] = _pool.submit(check)
        return running


def check_all(*, include_celery: bool = True) -> Health:
    neo4j = _check("neo4j", check_neo4j)
    broker = _check("redis", check_redis)
    worker = _check("celery", check_celery) if include_celery else None
    deadline = time.monotonic() + HEALTH_DEADLINE_SECONDS

    def answer(future: Future[Any], down: Any) -> Any:
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            log.warning("health: no answer within %.1f s", HEALTH_DEADLINE_SECONDS)
            return down

    broker_ok = bool(answer(broker, False))
    return Health(
        neo4j=answer(neo4j, Neo4jHealth(reachable=False)),
        redis=broker_ok,
        celery=worker is not None and broker_ok and bool(answer(worker, False)),
        celery_required=include_celery,
    )
