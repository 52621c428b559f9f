"""Prometheus metrics of the web processes and the workers (docs/serving.md#metrics).

With the official prometheus_client. gunicorn runs several processes, and a Celery worker
runs its tasks in pool processes, so both run in the client's multiprocess mode: each
process writes its samples to files in PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py
empties it on start and marks dead processes), and a scrape adds them up. Without that
variable (runserver, the tests) the process's own registry is read.

Requests are labelled by the URL pattern they matched (`accounts/invitation/<str:secret>/`),
never by the raw path: ids in paths would make a series per referral and leak them.
Queue lengths and live workers are read from Redis at scrape time (`BrokerCollector`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

from referral_hub.core import worker_heartbeat

log = logging.getLogger(__name__)
access_log = logging.getLogger("referral_hub.access")

REQUESTS = Counter(
    "hub_http_requests",
    "HTTP requests answered, by route and status",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "hub_http_request_duration_seconds",
    "Wall time from the request reaching the app to its response",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASKS = Counter(
    "hub_celery_tasks", "Celery task outcomes: succeeded, failed, retried", ["task", "outcome"]
)
TASK_SECONDS = Histogram(
    "hub_celery_task_duration_seconds",
    "Wall time of one Celery task run, whatever its outcome",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800),
)

# Labels for what matched no URL pattern: a 404, or a file WhiteNoise served before routing.
UNMATCHED = "<unmatched>"
STATIC = "<static>"


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return str(match.route)
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return STATIC
    return UNMATCHED


class RequestMetricsMiddleware:
    """Counts and times every response, and writes its access record (HUB_REQUEST_LOG)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = route_of(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(method, route).observe(seconds)
        if settings.HUB_REQUEST_LOG:
            access_log.info(
                "%s %s %s",
                method,
                route,
                response.status_code,
                extra={
                    "method": method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
        return response


# Anything else is one label, so a client cannot make new series by inventing methods.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class BrokerCollector(Collector):
    """Read at scrape time: messages waiting in each of the hub's queues (Redis LLEN of the
    queue's list) and the workers whose heartbeat is alive. A broker that does not answer
    yields no samples (and its absence is what an alert on the series notices)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        url = settings.CELERY_BROKER_URL
        try:
            client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
            try:
                lengths = [(queue, client.llen(queue)) for queue in settings.CELERY_TASK_QUEUES_ALL]
            finally:
                client.close()
            alive = worker_heartbeat.alive(url)
        except redis.RedisError:
            log.warning("metrics: the broker did not answer")
            return
        queued = GaugeMetricFamily(
            "hub_celery_queue_length", "Messages waiting in a Celery queue", labels=["queue"]
        )
        for queue, length in lengths:
            queued.add_metric([queue], float(length))
        yield queued
        yield GaugeMetricFamily(
            "hub_celery_workers_alive",
            "Workers whose heartbeat is alive (referral_hub/core/worker_heartbeat.py)",
            value=float(len(alive)),
        )

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return []  # nothing to check at registration: the samples depend on the broker


_broker = BrokerCollector()
REGISTRY.register(_broker)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def scrape_registry() -> CollectorRegistry:
    """Every process's samples (multiprocess mode) or this process's, and the broker's."""
    if multiprocess_dir() is None:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_broker)
    return registry


CONTENT_TYPE = CONTENT_TYPE_LATEST


def exposition() -> bytes:
    return generate_latest(scrape_registry())


def empty_multiprocess_dir(path: str) -> None:
    """Samples of processes from an earlier run must not be added to this run's."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


# --- Celery: task outcomes and the worker's own /metrics port -------------------------------
_started: dict[str, float] = {}


def task_started(task_id: str) -> None:
    _started[task_id] = time.perf_counter()


def task_finished(task_id: str, task_name: str) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_SECONDS.labels(task_name).observe(time.perf_counter() - started)


def task_outcome(task_name: str, outcome: str) -> None:
    TASKS.labels(task_name, outcome).inc()


def serve_worker_metrics(port: str) -> Any:
    """The worker's main process serves every pool process's samples on `port`
    (HUB_WORKER_METRICS_PORT), before it forks its pool. None when it cannot: the pool's
    samples would be invisible without PROMETHEUS_MULTIPROC_DIR."""
    folder = multiprocess_dir()
    if folder is None:
        log.error(
            "HUB_WORKER_METRICS_PORT is set without PROMETHEUS_MULTIPROC_DIR: no worker "
            "metrics are served (the tasks run in pool processes)"
        )
        return None
    empty_multiprocess_dir(folder)
    server, _thread = start_http_server(int(port), registry=scrape_registry())
    log.info("worker metrics on port %s", port)
    return server
