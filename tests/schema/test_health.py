import pytest
from django.test import Client

HEALTH = "{ health { ok neo4j { reachable version edition } redis celery } }"


def test_health_reports_a_neo4j_5_community_server_and_redis(gql, redis_server):
    # Without `celery` selected no worker is asked about, so none is needed for ok.
    health = gql(HEALTH.replace(" celery", ""))["data"]["health"]

    assert health["neo4j"]["reachable"] is True
    assert health["neo4j"]["version"].startswith("5.")
    assert health["neo4j"]["edition"] == "community"
    assert health["redis"] is True
    assert health["ok"] is True


@pytest.mark.celery
def test_health_sees_a_running_worker(gql, celery_worker_process):
    health = gql(HEALTH)["data"]["health"]
    assert (health["celery"], health["ok"]) == (True, True)


def test_healthz_for_load_balancers(neo4j_server, redis_server):
    response = Client().get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["neo4j"]["edition"] == "community"
    assert response["X-Request-ID"]


def test_liveness_asks_no_other_part(db):
    from graph.session import count_round_trips

    with count_round_trips() as trips:
        response = Client().get("/livez")
    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert trips.count == 0


@pytest.mark.celery
def test_readiness_is_the_health_check_with_a_worker(celery_worker_process, redis_server):
    """Issue 18: ready means a worker too (tests/production/test_probes.py: 503 without)."""
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert (response.json()["ok"], response.json()["celery"]) == (True, True)


def test_ok_is_false_when_a_part_that_was_asked_about_is_down():
    """Issue 13: `?celery=1` answered ok while no worker did."""
    from referral_hub.core.health import Health, Neo4jHealth

    up = Neo4jHealth(reachable=True, version="5", edition="community")
    assert Health(neo4j=up, redis=True, celery=False).ok is True
    assert Health(neo4j=up, redis=True, celery=False, celery_required=True).ok is False
    assert Health(neo4j=up, redis=True, celery=True, celery_required=True).ok is True
    assert Health(neo4j=up, redis=False, celery=True, celery_required=True).ok is False
