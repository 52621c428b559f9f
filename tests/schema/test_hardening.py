"""Each request limit answers with its own code, before any resolver or database work."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from graphql import get_introspection_query

from graph import session
from graph.session import count_round_trips
from referral_hub.accounts import signin

DEEP = "{ services { edges { node { locations { area { code } } } } } }"  # depth 6


def code(body):
    return body["errors"][0]["extensions"]["code"]


def test_depth_limit(gql, settings):
    settings.GRAPHQL_MAX_DEPTH = 5
    with count_round_trips() as trips:
        body = gql(DEEP, expect_status=400)
    assert code(body) == "QUERY_TOO_DEEP"
    assert trips.count == 0
    settings.GRAPHQL_MAX_DEPTH = 6
    assert "errors" not in gql(DEEP)


def test_depth_counts_through_fragments(gql, settings):
    settings.GRAPHQL_MAX_DEPTH = 5
    body = gql(
        "{ services { edges { node { ...Deep } } } } "
        "fragment Deep on Service { locations { area { code } } }",
        expect_status=400,
    )
    assert code(body) == "QUERY_TOO_DEEP"


def test_alias_limit(gql, settings):
    settings.GRAPHQL_MAX_ALIASES = 3
    query = "{ " + " ".join(f"a{i}: tags {{ code }}" for i in range(4)) + " }"
    assert code(gql(query, expect_status=400)) == "TOO_MANY_ALIASES"


def test_a_whole_area_map_once_per_request(gql):
    # Cheap by the cost model with a small selection, but each one reads a whole area.
    twice = (
        '{ a: networkMap(area: "141305") { suppressedFlows }'
        ' b: networkMap(area: "141313") { suppressedFlows } }'
    )
    with count_round_trips() as trips:
        body = gql(twice, expect_status=400)
    assert code(body) == "QUERY_TOO_COSTLY"
    assert body["errors"][0]["message"] == "networkMap at most once per request."
    assert trips.count == 0
    spread = '{ ...M ...M } fragment M on Query { networkMap(area: "141305") { suppressedFlows } }'
    # One field, merged: the limit lets it through (an administrator may read any area).
    assert gql(spread)["data"]["networkMap"]["suppressedFlows"] == 0


@pytest.mark.parametrize(
    "field",
    ["verifyAuditLog { intact }", 'disclosureRecord(subjectId: "x") { subjectId }'],
)
def test_whole_audit_chains_once_per_request(gql, field):
    name = field.split("(")[0].split(" ")[0]
    with count_round_trips() as trips:
        body = gql(f"{{ a: {field} b: {field} }}", expect_status=400)
    assert code(body) == "QUERY_TOO_COSTLY"
    assert body["errors"][0]["message"] == f"{name} at most once per request."
    assert trips.count == 0


def test_operations_per_request(gql, settings):
    settings.GRAPHQL_MAX_OPERATIONS = 2
    query = " ".join(f"query Q{i} {{ tags {{ code }} }}" for i in range(3))
    assert code(gql(query, expect_status=400)) == "TOO_MANY_OPERATIONS"


def test_cost_limit_prices_pages(gql, settings):
    settings.GRAPHQL_MAX_COST = 500
    cheap = "{ services(first: 5) { edges { node { id name tags { code } } } } }"
    costly = "{ services(first: 100) { edges { node { id name tags { code } } } } }"
    assert "errors" not in gql(cheap)
    assert code(gql(costly, expect_status=400)) == "QUERY_TOO_COSTLY"
    # A page size given as a variable is priced at the maximum page.
    by_variable = (
        "query($n: Int) { services(first: $n) { edges { node { id name tags { code } } } } }"
    )
    assert code(gql(by_variable, {"n": 1}, expect_status=400)) == "QUERY_TOO_COSTLY"


def test_introspection_is_off_unless_enabled(gql, settings):
    settings.GRAPHQL_INTROSPECTION = False
    body = gql("{ __schema { types { name } } }", expect_status=400)
    assert code(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection" in body["errors"][0]["message"].lower()
    settings.GRAPHQL_INTROSPECTION = True
    assert gql("{ __schema { queryType { name } } }")["data"]["__schema"]["queryType"] == {
        "name": "Query"
    }


def _of_types(depth: int) -> str:
    """An introspection document exactly `depth` fields deep."""
    inner = "name"
    for _ in range(depth - 4):  # __type, fields, type and name are the other four
        inner = f"ofType {{ {inner} }}"
    return f'{{ __type(name: "Query") {{ fields {{ type {{ {inner} }} }} }} }}'


def test_introspection_may_go_deeper_only_while_it_is_allowed(gql, settings):
    settings.GRAPHQL_INTROSPECTION = True
    assert settings.GRAPHQL_MAX_INTROSPECTION_DEPTH == 20
    # GraphiQL's own introspection query (15 deep) passes the limits.
    full = get_introspection_query(descriptions=True, input_value_deprecation=True)
    assert gql(full)["data"]["__schema"]["queryType"]["name"] == "Query"
    assert "errors" not in gql(_of_types(20))
    assert code(gql(_of_types(21), expect_status=400)) == "QUERY_TOO_DEEP"
    # Anything else keeps the ordinary limit, introspection fields beside it or not.
    mixed = "{ tags { code } " + _of_types(11)[1:]
    assert code(gql(mixed, expect_status=400)) == "QUERY_TOO_DEEP"
    settings.GRAPHQL_INTROSPECTION = False
    assert code(gql(full, expect_status=400)) in ("QUERY_TOO_DEEP", "GRAPHQL_VALIDATION_FAILED")


def test_request_size_limit(gql, settings):
    settings.GRAPHQL_MAX_BODY_BYTES = 200
    body = gql("{ tags { code } }" + " " * 300, expect_status=413)
    assert code(body) == "REQUEST_TOO_LARGE"


@pytest.fixture
def session_client(graph_db, db, redis_db):
    user = get_user_model().objects.create_superuser(username="web", password="pw-1234567")
    return signin.sign_in(Client(enforce_csrf_checks=True), user)


def test_cookie_authenticated_posts_need_the_csrf_token(session_client):
    query = {"query": "{ me { username } }"}
    refused = session_client.post("/graphql", query, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "CSRF_FAILED"

    # The cookie alone is what another site's page would send; the header is the proof.
    token = session_client.cookies["csrftoken"].value
    allowed = session_client.post(
        "/graphql", query, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert allowed.status_code == 200
    assert allowed.json()["data"]["me"]["username"] == "web"


def test_bearer_token_requests_need_no_csrf_token(gql):
    assert gql("{ me { username } }")["data"]["me"]["username"] == "admin"


def test_login_is_rate_limited(graph_db, db, redis_db):  # graph: sign-ins are audited
    get_user_model().objects.create_user(username="kana", password="correct-horse-1")
    client = Client()
    statuses = [
        client.post("/accounts/login/", {"login": "kana", "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5  # the form again, with an error
    assert statuses[5] == 429
    # Even the right password waits out the window: a guesser learns nothing.
    right = client.post("/accounts/login/", {"login": "kana", "password": "correct-horse-1"})
    assert right.status_code == 429


def test_login_works(graph_db, db, redis_db):
    get_user_model().objects.create_user(username="kana", password="correct-horse-1")
    response = Client().post("/accounts/login/", {"login": "kana", "password": "correct-horse-1"})
    assert response.status_code == 302


# --- behind a proxy: the limits and the audit count the client, not the proxy -------------
PROXY = "10.244.3.4"


def _sign_in_from(client_address: str, username: str, password: str) -> int:
    """A sign-in that reaches the hub through the ingress at PROXY."""
    return (
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)
        .post("/accounts/login/", {"login": username, "password": password})
        .status_code
    )


def test_behind_a_trusted_proxy_each_client_has_its_own_sign_in_limit(
    graph_db, db, redis_db, settings
):
    from referral_hub.accounts.views import LOGIN_ATTEMPTS
    from referral_hub.core.forwarding import parse_networks

    settings.HUB_TRUSTED_PROXIES = parse_networks("10.244.0.0/16")
    per_address = LOGIN_ATTEMPTS * 4
    assert per_address == 20
    # One office's twenty attempts (each on its own account, under the per-account limit).
    office = [_sign_in_from("203.0.113.1", f"user{n}", "wrong") for n in range(per_address)]
    assert office == [200] * 20
    assert _sign_in_from("203.0.113.1", "user-21", "wrong") == 429
    # Another office behind the same ingress signs in as if nothing happened.
    get_user_model().objects.create_user(username="kana", password="correct-horse-1")
    assert _sign_in_from("198.51.100.7", "kana", "correct-horse-1") == 302
    # The audit names the client, not the ingress.
    [event] = session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent {action: 'SIGN_IN'}) RETURN e.clientAddress AS address"
        )
    )
    assert event["address"] == "198.51.100.7"
    # So does the list of one's sessions (allauth's, through the account adapter).
    from allauth.usersessions.models import UserSession

    assert list(UserSession.objects.values_list("ip", flat=True)) == ["198.51.100.7"]


def test_a_forwarded_for_header_from_anyone_but_a_trusted_proxy_is_ignored(
    graph_db, db, redis_db, settings
):
    from referral_hub.core.forwarding import parse_networks

    settings.HUB_TRUSTED_PROXIES = parse_networks("10.244.0.0/16")
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    statuses = [
        guesser.post(
            "/accounts/login/",
            {"login": f"user{n}", "password": "wrong"},
            # A new address each time: a guesser talking to the hub directly.
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(21)
    ]
    assert statuses == [200] * 20 + [429]


def test_without_trusted_proxies_everyone_behind_the_proxy_shares_one_limit(graph_db, db, redis_db):
    """What HUB_TRUSTED_PROXIES is for (and why check --deploy warns without it, hub.W006)."""
    assert [_sign_in_from(f"203.0.113.{n}", f"user{n}", "wrong") for n in range(20)] == [200] * 20
    assert _sign_in_from("198.51.100.7", "kana", "wrong") == 429
