"""Liveness and readiness: /livez answers whatever is down; /readyz names what is."""

import socket
from dataclasses import replace

import pytest
from django.test import Client, override_settings

from graph import driver


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once it is closed


@pytest.fixture
def neo4j_down(neo4j_server):
    """The graph layer points at a port where nothing listens, for one test."""
    original = driver.current_settings()
    driver.configure(replace(original, uri=f"bolt://127.0.0.1:{closed_port()}"))
    yield
    driver.configure(original)


@pytest.mark.celery
def test_readiness_needs_neo4j_redis_and_a_worker(celery_worker_process, redis_server):
    response = Client().get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert (body["ok"], body["redis"], body["celery"]) == (True, True, True)
    assert body["neo4j"]["reachable"] is True
    assert "down" not in body


def test_readiness_is_503_without_a_worker_heartbeat(no_worker, redis_db):
    response = Client().get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert (body["ok"], body["down"]) == (False, ["celery"])
    assert (body["neo4j"]["reachable"], body["redis"]) == (True, True)


def test_health_without_worker_keeps_its_meaning(no_worker, redis_db):
    """/healthz asks about a worker only when told to (load balancers of issue 13)."""
    assert Client().get("/healthz").status_code == 200
    answer = Client().get("/healthz?worker=1")
    assert (answer.status_code, answer.json()["down"]) == (503, ["celery"])


def test_neo4j_down_is_not_ready_and_still_live(neo4j_down, redis_db):
    ready = Client().get("/readyz")
    live = Client().get("/livez")

    assert ready.status_code == 503
    assert ready.json()["down"] == ["neo4j", "celery"]  # no worker runs in this test either
    assert ready.json()["neo4j"]["reachable"] is False
    assert (live.status_code, live.json()) == (200, {"ok": True})


def test_redis_down_is_not_ready_and_still_live(neo4j_server):
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    with override_settings(CELERY_BROKER_URL=dead):
        ready = Client().get("/readyz")
        live = Client().get("/livez")

    assert ready.status_code == 503
    # The worker's heartbeat lives in the broker: with it gone, no worker can be seen.
    assert ready.json()["down"] == ["redis", "celery"]
    assert live.status_code == 200
