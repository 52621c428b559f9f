"""/metrics: refused to strangers, and the figures it gives (requests by route, Neo4j round
trips, Celery outcomes and queue lengths)."""

import pytest
import redis
from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

from referral_hub.celery import app as celery_app


def scrape(**headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = Client().get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.content.decode())


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_served_to_this_machine_when_no_token_is_set(neo4j_server, redis_db):
    before = value(scrape(), "hub_http_requests_total", method="GET", route="livez", status="200")
    Client().get("/livez")
    Client().get("/livez")

    after = scrape()
    assert value(after, "hub_http_requests_total", method="GET", route="livez", status="200") == (
        before + 2
    )
    assert value(after, "hub_http_request_duration_seconds_count", method="GET", route="livez") >= 2


def test_metrics_are_refused_from_another_host_and_through_a_proxy(db):
    assert Client().get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    # A proxy on this machine connects from loopback: what it forwards is not local.
    forwarded = Client().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert forwarded.status_code == 403
    assert forwarded.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    "header",
    ["HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED", "HTTP_X_REAL_IP"],
)
def test_any_header_a_proxy_adds_makes_a_request_not_local(db, header):
    # nginx's proxy_pass adds no X-Forwarded-For by itself; a TLS proxy sets the scheme's.
    assert Client().get("/metrics", **{header: "https"}).status_code == 403


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_SCHEME", "https"))
def test_the_header_the_tls_proxy_names_the_scheme_in_counts_too(neo4j_server, redis_db):
    assert Client().get("/metrics", HTTP_X_SCHEME="https").status_code == 403
    assert Client().get("/metrics").status_code == 200


@override_settings(HUB_METRICS_TOKEN="scrape-secret-0123456789")
def test_with_a_token_set_only_the_token_is_let_in(neo4j_server, redis_db):
    assert Client().get("/metrics").status_code == 403  # loopback is not enough then
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-012345678")
    assert wrong.status_code == 403
    right = Client().get(
        "/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789"
    )
    assert right.status_code == 200


def test_routes_are_patterns_never_raw_paths(db, neo4j_server, redis_db):
    Client().get("/accounts/invitation/a-secret-of-someone/")
    Client().get("/no/such/page/42")

    found = scrape()
    routes = {dict(labels).get("route") for name, labels in found if name.startswith("hub_http")}
    assert "accounts/invitation/<str:secret>/" in routes
    assert "<unmatched>" in routes
    assert not [route for route in routes if route and ("a-secret" in route or "42" in route)]


def test_neo4j_round_trips_are_counted_by_access_mode(gql, redis_db):
    before = scrape()
    gql("{ health { ok } }")
    gql("{ organisations(first: 5) { edges { node { id } } } }")

    after = scrape()
    for name, labels in [
        ("hub_neo4j_statements_total", {"access": "read"}),
        ("hub_neo4j_transaction_duration_seconds_count", {"access": "read", "outcome": "ok"}),
    ]:
        assert value(after, name, **labels) > value(before, name, **labels), name


def test_queue_lengths_and_live_workers_are_read_from_the_broker(no_worker, redis_db):
    broker = redis.Redis.from_url(redis_db)
    broker.rpush("maintenance", b"one", b"two")
    try:
        found = scrape()
    finally:
        broker.delete("maintenance")

    assert value(found, "hub_celery_queue_length", queue="maintenance") == 2
    assert value(found, "hub_celery_queue_length", queue="notifications") == 0
    assert ("hub_celery_queue_length", (("queue", "default"),)) in found
    assert value(found, "hub_celery_workers_alive") == 0


@celery_app.task(name="tests.production.succeeds")
def succeeds() -> str:
    return "done"


@celery_app.task(name="tests.production.fails")
def fails() -> None:
    raise RuntimeError("on purpose")


def test_task_outcomes_by_task_name(neo4j_server, redis_db):
    def outcome(task: str, what: str) -> float:
        return value(scrape(), "hub_celery_tasks_total", task=task, outcome=what)

    ok_before = outcome("tests.production.succeeds", "succeeded")
    failed_before = outcome("tests.production.fails", "failed")

    assert succeeds.apply().get() == "done"
    assert fails.apply().failed()

    assert outcome("tests.production.succeeds", "succeeded") == ok_before + 1
    assert outcome("tests.production.fails", "failed") == failed_before + 1
    found = scrape()
    assert (
        value(found, "hub_celery_task_duration_seconds_count", task="tests.production.fails") >= 1
    )
