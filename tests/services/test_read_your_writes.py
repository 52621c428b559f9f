"""Read-your-writes across requests and tasks (referral_hub/core/read_your_writes.py): a
user's write leaves bookmarks in their session or under their token in the shared cache;
the user's next request starts its transactions from them, another user's does not; a
task enqueued after a write runs from the writer's bookmarks. On bolt:// and neo4j://."""

from typing import Any

import neo4j
import pytest
import redis
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from graph import session
from graph.bookmarks import MAX_VALUES
from referral_hub.accounts import signin, tokens
from referral_hub.accounts.models import ApiToken
from referral_hub.core import read_your_writes, tasks
from referral_hub.core.read_your_writes import (
    SESSION_KEY,
    ReadYourWritesMiddleware,
    TokenBookmarks,
)
from tests.conftest import GraphQLClient

CREATE = """
mutation Create($input: OrganisationCreateInput!) {
  createOrganisation(input: $input) { organisation { id } errors { field code message } }
}
"""
GET = "query Get($id: ID!) { organisation(id: $id) { id name } }"


def create(caller: GraphQLClient, name: str = "みんなの子ども食堂") -> str:
    body = caller(CREATE, {"input": {"kind": "PLACE", "name": name, "areaCode": "131121"}})
    payload = body["data"]["createOrganisation"]
    assert payload["errors"] == []
    return payload["organisation"]["id"]


def token_admin(username: str) -> GraphQLClient:
    """A system administrator's system, with a personal token."""
    user = get_user_model().objects.create_superuser(username=username, password=None)
    token, _ = tokens.issue(user=user, name="test", kind=ApiToken.Kind.PERSONAL)
    return GraphQLClient(token)


def session_admin(username: str) -> GraphQLClient:
    """A system administrator in a browser, signed in with a password and a second factor."""
    user = get_user_model().objects.create_superuser(username=username, password=None)
    caller = GraphQLClient()
    signin.sign_in(caller.client, user)
    caller.headers["HTTP_X_CSRFTOKEN"] = caller.client.cookies["csrftoken"].value
    return caller


def sessions_of(caller: GraphQLClient, query: str, variables: dict) -> list:
    """The (access mode, bookmarks) each graph session of one request was opened with."""
    with session.count_round_trips() as trips:
        body = caller(query, variables)
    assert "errors" not in body, body
    assert trips.sessions, "the request read nothing from the graph"
    return trips.sessions


def token_key(caller: GraphQLClient) -> str:
    return TokenBookmarks(caller.headers["HTTP_AUTHORIZATION"].removeprefix("Bearer ")).key


@pytest.fixture
def setting(graph_scheme: str, gql: GraphQLClient, redis_db: str) -> GraphQLClient:
    """The system administrator's token client, on a clean graph and an empty cache."""
    return gql


@pytest.fixture
def cache_circuit():
    """The middleware's cache circuit, closed again after the test."""
    yield read_your_writes._cache_circuit
    read_your_writes._cache_circuit.succeeded()


def test_a_token_users_write_is_kept_under_the_token_and_starts_their_next_read(setting):
    admin = setting
    assert cache.get(token_key(admin)) is None

    organisation = create(admin)

    kept = cache.get(token_key(admin))
    assert isinstance(kept, list)
    assert len(kept) == 1
    assert sessions_of(admin, GET, {"id": organisation}) == [(neo4j.READ_ACCESS, tuple(kept))]


def test_another_token_users_request_does_not_get_the_writers_bookmarks(setting, db):
    organisation = create(setting)
    other = token_admin("reader")

    assert sessions_of(other, GET, {"id": organisation}) == [(neo4j.READ_ACCESS, ())]
    assert cache.get(token_key(other)) is None


def test_a_request_that_only_reads_keeps_nothing(setting):
    sessions_of(setting, GET, {"id": "00000000-0000-4000-8000-000000000000"})
    assert cache.get(token_key(setting)) is None


def test_the_next_write_replaces_the_kept_bookmark(setting):
    create(setting, "一つ目")
    first = cache.get(token_key(setting))
    create(setting, "二つ目")
    second = cache.get(token_key(setting))

    assert len(first) == len(second) == 1
    assert first != second


def test_a_session_users_write_is_kept_in_their_session_and_starts_their_next_read(setting, db):
    person = session_admin("kana")
    other = session_admin("taro")

    organisation = create(person)

    kept = person.client.session[SESSION_KEY]
    assert len(kept) == 1
    # Stored in the database every web process reads sessions from.
    assert SessionStore(session_key=person.client.session.session_key)[SESSION_KEY] == kept
    assert sessions_of(person, GET, {"id": organisation}) == [(neo4j.READ_ACCESS, tuple(kept))]
    # Signing in is audited in the graph, so the other person has bookmarks too: their own.
    theirs = other.client.session[SESSION_KEY]
    assert set(theirs).isdisjoint(kept)
    assert sessions_of(other, GET, {"id": organisation}) == [(neo4j.READ_ACCESS, tuple(theirs))]


def test_a_session_users_bookmarks_never_reach_the_token_cache(setting, redis_db, db):
    person = session_admin("kana")
    create(person)
    assert redis.Redis.from_url(redis_db).keys(f"*{read_your_writes.CACHE_PREFIX}*") == []


def test_a_request_starts_from_at_most_the_newest_max_values_bookmarks(setting, db):
    person = session_admin("kana")
    organisation = create(person)
    real = []  # distinct bookmarks of real commits, oldest first
    for n in range(MAX_VALUES + 2):
        with session.causal_scope() as scope:
            session.write(lambda tx, n=n: tx.run("CREATE (:BookmarkProbe {n: $n})", n=n).consume())
        real += scope.current
    stored = SessionStore(session_key=person.client.session.session_key)
    stored[SESSION_KEY] = real  # as if many tabs had each written at once
    stored.save()

    started = sessions_of(person, GET, {"id": organisation})

    assert started == [(neo4j.READ_ACCESS, tuple(real[-MAX_VALUES:]))]


def test_bookmarks_the_server_cannot_parse_are_dropped_not_refused(setting, db):
    person = session_admin("kana")
    organisation = create(person)
    stored = SessionStore(session_key=person.client.session.session_key)
    stored[SESSION_KEY] = ["not-a-bookmark"]
    stored.save()

    with session.count_round_trips() as trips:
        body = person(GET, {"id": organisation})

    assert body["data"]["organisation"]["id"] == organisation
    assert trips.sessions == [(neo4j.READ_ACCESS, ("not-a-bookmark",)), (neo4j.READ_ACCESS, ())]


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "referral_hub.core.redis_cache.ReusingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # discard port: nothing listens
            "OPTIONS": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
        }
    }
)
def test_with_the_cache_unreachable_a_token_user_still_reads_and_writes(setting, cache_circuit):
    organisation = create(setting)  # the bookmark cannot be kept: logged, not raised
    assert cache_circuit.is_open  # so the next requests do not wait for the cache
    assert sessions_of(setting, GET, {"id": organisation}) == [(neo4j.READ_ACCESS, ())]


@pytest.mark.celery
def test_a_task_enqueued_after_a_write_runs_from_the_writers_bookmarks(
    graph_scheme, graph_db, celery_worker_process
):
    with session.causal_scope() as scope:
        session.write(lambda tx: tx.run("CREATE (:BookmarkProbe)").consume())
        result = tasks.started_after.delay()
    assert len(scope.current) == 1
    assert result.get(timeout=30) == list(scope.current)


@pytest.mark.celery
def test_a_task_enqueued_outside_any_write_runs_from_nothing(graph_db, celery_worker_process):
    assert tasks.started_after.delay().get(timeout=30) == []


def probe(tx: session.Tx) -> None:
    tx.run("CREATE (:BookmarkProbe)").consume()


def token_request(raw_token: str) -> HttpRequest:
    return RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw_token}")


def test_two_requests_of_one_token_at_once_both_leave_their_write(graph_db, redis_db):
    """Two tabs: A starts, B starts, writes and ends, then A writes and ends. Both writes'
    bookmarks stay kept, so the token's next read waits for both."""
    ended: dict[str, tuple[str, ...]] = {}

    def tab_b(request: HttpRequest) -> HttpResponse:
        session.write(probe)
        ended["b"] = session.current_bookmarks()
        return HttpResponse()

    def tab_a(request: HttpRequest) -> HttpResponse:
        ReadYourWritesMiddleware(tab_b)(token_request("tsu_x_two-tabs"))
        session.write(probe)
        ended["a"] = session.current_bookmarks()
        return HttpResponse()

    ReadYourWritesMiddleware(tab_a)(token_request("tsu_x_two-tabs"))

    kept = cache.get(TokenBookmarks("tsu_x_two-tabs").key)
    assert kept == [*ended["b"], *ended["a"]]

    def next_read(request: HttpRequest) -> HttpResponse:
        ended["next"] = session.current_bookmarks()
        return HttpResponse()

    ReadYourWritesMiddleware(next_read)(token_request("tsu_x_two-tabs"))
    assert list(ended["next"]) == kept


@pytest.mark.celery
def test_a_task_a_request_enqueues_after_its_write_runs_from_that_write(
    graph_scheme, graph_db, redis_db, celery_worker_process
):
    found: dict[str, Any] = {}

    def view(request: HttpRequest) -> HttpResponse:
        session.write(probe)
        found["wrote"] = session.current_bookmarks()
        found["task"] = tasks.started_after.delay()
        return HttpResponse()

    ReadYourWritesMiddleware(view)(token_request("tsu_x_enqueues"))

    assert found["task"].get(timeout=30) == list(found["wrote"])
    assert cache.get(TokenBookmarks("tsu_x_enqueues").key) == list(found["wrote"])


def test_the_store_is_the_token_then_a_session_with_its_cookie_then_none(settings):
    factory = RequestFactory()
    with_token = factory.get("/", HTTP_AUTHORIZATION="Bearer tsu_x_y")
    with_cookie = factory.get("/")
    with_cookie.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    without_cookie = factory.get("/")
    for request in (with_token, with_cookie, without_cookie):
        request.session = SessionStore()

    assert isinstance(read_your_writes.store_for(with_token), TokenBookmarks)
    assert isinstance(read_your_writes.store_for(with_cookie), read_your_writes.SessionBookmarks)
    # No cookie, no session touched (a probe's answer gets no `Vary: Cookie` for it).
    assert isinstance(read_your_writes.store_for(without_cookie), read_your_writes.NoBookmarks)
    assert isinstance(read_your_writes.store_for(factory.get("/")), read_your_writes.NoBookmarks)
    assert not without_cookie.session.accessed
