"""Attack probes for the public finder (review wtatk19); a failing test is a finding."""

from __future__ import annotations

import pytest
from django.test import Client

from graph.session import count_round_trips
from tests import finder_fixtures
from tests.conftest import GraphQLClient

CHOICES = "{ publicFinderChoices { interestTags { code } } }"


@pytest.fixture
def network(graph_db, db, redis_db):
    return finder_fixtures.build()


def test_a_bogus_bearer_header_does_not_lift_the_public_rate_limit(network, settings):
    """_admit treats any 'Authorization: Bearer …' as signed in; the public fields need no
    actor, so nothing ever validates the token."""
    settings.HUB_PUBLIC_RATE = 2
    forged = GraphQLClient(token="not-a-token")
    answers = [forged(CHOICES, expect_status=None) for _ in range(6)]
    codes = [
        [e.get("extensions", {}).get("code") for e in a.get("errors") or []] for a in answers
    ]
    assert any("RATE_LIMITED" in c or "UNAUTHENTICATED" in c for c in codes), codes


def test_aliases_do_not_multiply_graph_reads_per_counted_request(network, settings):
    """One anonymous HTTP request counts once, whatever it asks; aliases with distinct
    arguments each miss the cache and each cost a Neo4j round trip."""
    settings.HUB_PUBLIC_RATE = 1
    fields = " ".join(
        f'a{i}: publicPlaces(first: {i % 50 + 1}, interestTags: ["reading"]) '
        "{ edges { cursor } }"
        for i in range(40)
    )
    with count_round_trips() as trips:
        answer = GraphQLClient()("{ " + fields + " }", expect_status=None)
    assert trips.count <= 5, (trips.count, str(answer)[:300])


def test_a_batched_body_counts_each_operation(network, settings):
    settings.HUB_PUBLIC_RATE = 2
    body = [{"query": CHOICES}] * 5
    response = Client(REMOTE_ADDR="192.0.2.9").post(
        "/graphql", body, content_type="application/json"
    )
    text = response.content.decode()
    # Either batches are refused, or the third operation is rate limited.
    assert response.status_code >= 400 or text.count("RATE_LIMITED") >= 1, text[:400]


def test_get_on_graphql_is_limited_like_post(network, settings):
    settings.HUB_PUBLIC_RATE = 2
    client = Client(REMOTE_ADDR="192.0.2.10")
    statuses = []
    for _ in range(4):
        r = client.get("/graphql", {"query": CHOICES})
        statuses.append((r.status_code, r.content.decode()[:120]))
    assert any(
        s >= 400 or "RATE_LIMITED" in body for s, body in statuses[2:]
    ), statuses


def test_places_page_sets_no_cookie_even_for_a_signed_in_browser(network):
    client = Client()
    r = client.get("/places/", {"tag": "reading"})
    assert r.status_code == 200, r.status_code
    assert not r.cookies, r.cookies
    r2 = client.get("/places/", {"tag": "reading", "lang": "x" * 5000, "area": "\x00\x1b"})
    assert r2.status_code < 500, r2.status_code
    assert not r2.cookies


def test_node_and_introspection_reach_no_private_field_anonymously(network):
    anon = GraphQLClient()
    probe = anon(
        '{ __type(name: "PublicPlace") { fields { name } } '
        'node(id: "U2VydmljZTox") { id ... on Service { name capacityStatus } } }',
        expect_status=None,
    )
    data = probe.get("data") or {}
    assert not (data.get("node") or {}).get("capacityStatus"), probe


def test_residents_behind_the_deployments_reverse_proxy_do_not_share_one_limit(
    network, settings
):
    """Deployed, gunicorn sits behind the municipality's TLS proxy (compose publishes it on
    127.0.0.1; k8s behind an Ingress), so REMOTE_ADDR is the proxy for every resident and
    client_address() reads nothing else: HUB_PUBLIC_RATE becomes one global bucket. (An
    untrusted client's own X-Forwarded-For must still not be believed.)"""
    settings.HUB_PUBLIC_RATE = 1

    def ask(resident: str) -> dict:
        return (
            Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=resident)
            .post("/graphql", {"query": CHOICES}, content_type="application/json")
            .json()
        )

    assert "errors" not in ask("198.51.100.1")
    assert "errors" not in ask("198.51.100.2"), "a second resident is refused"
