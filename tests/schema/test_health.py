import pytest
from django.test import Client

HEALTH = "{ health { ok neo4j { reachable version edition } redis celery } }"


def test_health_reports_a_neo4j_5_community_server_and_redis(gql, redis_server):
    health = gql(HEALTH)["data"]["health"]

    assert health["neo4j"]["reachable"] is True
    assert health["neo4j"]["version"].startswith("5.")
    assert health["neo4j"]["edition"] == "community"
    assert health["redis"] is True
    assert health["ok"] is True


@pytest.mark.celery
def test_health_sees_a_running_worker(gql, celery_worker_process):
    assert gql(HEALTH)["data"]["health"]["celery"] is True


def test_healthz_for_load_balancers(neo4j_server, redis_server):
    response = Client().get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["neo4j"]["edition"] == "community"
    assert response["X-Request-ID"]
