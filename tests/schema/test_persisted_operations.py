"""Persisted operations over /graphql (schema/core/persisted.py, issue 17): a shipped
document named by the SHA-256 of its text runs exactly as its text would — as the caller,
with the permission middleware and the limits — without being parsed or checked again;
anything else naming a hash is refused with its own code, before anything runs."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from referral_hub.web import operations
from schema.core import entry
from schema.core.persisted import text_hash
from tests import directory_fixtures
from tests.conftest import graph_counts, member

SEARCH = operations.document("ServiceSearch")
REGISTER = operations.document("RegisterSubject")
NEED_TAGS = operations.document("NeedTags")
SUBJECT = {"input": {"birthYear": 2012, "areaCode": "141313"}}

NOT_FOUND = "No persisted operation has this sha256Hash; send the document in `query`."
MISMATCH = "`persistedQuery.sha256Hash` is not the SHA-256 of `query`."
BAD_HASH = (
    "`persistedQuery.sha256Hash` must be 64 lowercase hexadecimal characters: "
    "the SHA-256 of the document's text."
)


def by_hash(sha: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


def post(caller, body: dict):
    return caller.client.post("/graphql", body, content_type="application/json", **caller.headers)


def get(caller, params: dict):
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return caller.client.get("/graphql", encoded, **caller.headers)


def error(response) -> tuple[str, str]:
    first = response.json()["errors"][0]
    return first["extensions"]["code"], first["message"]


@pytest.fixture
def network(graph_db, db):
    return directory_fixtures.build()


@pytest.fixture
def counsellor(network):
    return member("counsellor", network["school"], Role.COUNSELLOR)


@pytest.fixture
def checks(monkeypatch):
    """Every document the entry point parses and checks from now on, recorded (the checks
    still run); the registry is built first, as a served process builds it at start."""
    entry.persisted()
    seen: list[str] = []
    real = entry._checks
    monkeypatch.setattr(entry, "_checks", lambda query: seen.append(query) or real(query))
    return seen


def test_a_persisted_query_by_post_answers_as_its_text_without_being_checked(counsellor, checks):
    variables = {"search": "食堂"}
    as_text = post(counsellor, {"query": SEARCH, "variables": variables})
    entry.documents().clear()
    checks.clear()
    with count_round_trips() as trips:
        as_id = post(
            counsellor,
            {"extensions": by_hash(text_hash(SEARCH)), "variables": variables},
        )
    assert as_text.status_code == as_id.status_code == 200
    assert as_id.json() == as_text.json()
    assert as_id.json()["data"]["services"]["edges"]  # it found something
    assert trips.count == 1  # the search, as the text's
    assert checks == []
    assert len(entry.documents()) == 0


def test_a_persisted_query_by_get_answers_as_its_text(counsellor, checks):
    variables = {"search": "食堂"}
    as_text = post(counsellor, {"query": SEARCH, "variables": variables})
    checks.clear()
    as_id = get(
        counsellor,
        {
            "extensions": by_hash(text_hash(SEARCH)),
            "variables": variables,
            "operationName": "ServiceSearch",
        },
    )
    assert as_id.status_code == 200
    assert as_id.json() == as_text.json()
    assert checks == []


def test_a_signed_in_browser_runs_nothing_by_get(network):
    user = get_user_model().objects.create_user(username="victim", password="pw-12345678")
    browser = Client()
    browser.force_login(user)
    with count_round_trips() as trips:
        response = browser.get(
            "/graphql", {"extensions": json.dumps(by_hash(text_hash(NEED_TAGS)))}
        )
    assert response.status_code == 405
    assert error(response) == (
        "METHOD_NOT_ALLOWED",
        "A signed-in browser sends operations with POST and the CSRF token.",
    )
    assert trips.count == 0


def test_a_persisted_mutation_by_get_is_refused_and_writes_nothing(counsellor):
    before = graph_counts()
    response = get(counsellor, {"extensions": by_hash(text_hash(REGISTER)), "variables": SUBJECT})
    assert error(response) == ("METHOD_NOT_ALLOWED", "Mutations need a POST request.")
    assert graph_counts() == before


@pytest.mark.parametrize(
    ("params", "status", "expected"),
    [
        (
            {"extensions": "{", "operationName": "NeedTags"},
            400,
            ("BAD_PERSISTED_QUERY", "`extensions` is not valid JSON."),
        ),
        (
            {"extensions": "[" * 5_000},  # nesting beyond the decoder's recursion
            400,
            ("BAD_PERSISTED_QUERY", "`extensions` is not valid JSON."),
        ),
        (
            {"extensions": '"{}"'},
            400,
            ("BAD_PERSISTED_QUERY", "`extensions` must be a JSON object."),
        ),
        (
            {"extensions": "{}"},  # no persistedQuery: an ordinary request, without its query
            400,
            ("MISSING_QUERY", "Send a GraphQL document in `query`."),
        ),
        (
            {"extensions": json.dumps(by_hash("F" * 64))},
            400,
            ("BAD_PERSISTED_QUERY", BAD_HASH),
        ),
        (
            {"extensions": json.dumps(by_hash(text_hash(NEED_TAGS))), "query": NEED_TAGS},
            405,
            ("METHOD_NOT_ALLOWED", "A GET names a persisted query; POST documents."),
        ),
        (
            {"extensions": json.dumps(by_hash("0" * 64)), "variables": "x" * 70_000},
            413,
            ("REQUEST_TOO_LARGE", "Requests are limited to 65536 bytes."),
        ),
    ],
)
def test_a_bad_get_is_refused_before_anything_runs(counsellor, params, status, expected):
    before = graph_counts()
    with count_round_trips() as trips:
        response = counsellor.client.get("/graphql", params, **counsellor.headers)
    assert (response.status_code, error(response)) == (status, expected)
    assert trips.count == 0
    assert graph_counts() == before


def test_a_parameter_given_twice_in_a_get_is_refused(counsellor):
    extensions = json.dumps(by_hash(text_hash(NEED_TAGS)))
    response = counsellor.client.get(
        f"/graphql?extensions={extensions}&extensions={extensions}", **counsellor.headers
    )
    assert (response.status_code, error(response)) == (
        400,
        ("BAD_REQUEST", "Give `extensions` once."),
    )


def test_an_unknown_hash_is_not_found_with_200_and_is_never_cached(counsellor):
    before = graph_counts()
    foreign = "query Foreign { tags(kind: NEED) { code } }"  # valid, but never shipped
    for send in (post, get):
        with count_round_trips() as trips:
            response = send(counsellor, {"extensions": by_hash(text_hash(foreign))})
        assert response.status_code == 200
        assert error(response) == ("PERSISTED_QUERY_NOT_FOUND", NOT_FOUND)
        assert "data" not in response.json()
        assert response["Cache-Control"] == "private, no-cache, must-revalidate"
        assert trips.count == 0
    assert graph_counts() == before


def test_sending_the_text_with_its_hash_runs_it_but_never_registers_it(counsellor):
    """Apollo's client answers PERSISTED_QUERY_NOT_FOUND by sending the text with the hash;
    the text runs as any text does, and the registry stays closed."""
    foreign = "query Foreign { tags(kind: NEED) { code } }"
    sha = text_hash(foreign)
    answer = post(counsellor, {"query": foreign, "extensions": by_hash(sha)})
    assert answer.status_code == 200
    assert answer.json()["data"]["tags"]
    assert sha not in entry.persisted()
    assert error(post(counsellor, {"extensions": by_hash(sha)}))[0] == "PERSISTED_QUERY_NOT_FOUND"


def test_a_shipped_text_with_its_hash_runs_from_the_registry(counsellor, checks):
    answer = post(counsellor, {"query": NEED_TAGS, "extensions": by_hash(text_hash(NEED_TAGS))})
    assert answer.status_code == 200
    assert answer.json()["data"]["tags"]
    assert checks == []


def test_a_hash_that_is_not_the_texts_is_refused_and_nothing_runs(counsellor):
    """A shipped mutation's hash with another text (or a shipped read's text with the
    mutation's hash): neither runs."""
    before = graph_counts()
    for query, sha in ((SEARCH, text_hash(REGISTER)), (REGISTER, text_hash(SEARCH))):
        with count_round_trips() as trips:
            response = post(
                counsellor, {"query": query, "extensions": by_hash(sha), "variables": SUBJECT}
            )
        assert (response.status_code, error(response)) == (
            400,
            ("PERSISTED_QUERY_HASH_MISMATCH", MISMATCH),
        )
        assert trips.count == 0
    assert graph_counts() == before


@pytest.mark.parametrize(
    ("extensions", "message"),
    [
        (by_hash("abc"), BAD_HASH),
        (by_hash("A" * 64), BAD_HASH),
        (by_hash(None), BAD_HASH),
        (by_hash(12345), BAD_HASH),
        (by_hash("a" * 60_000), BAD_HASH),
        ({"persistedQuery": {"version": 1}}, BAD_HASH),
        (
            {"persistedQuery": None},
            "`extensions.persistedQuery` must be an object with `version` and `sha256Hash`.",
        ),
        (
            {"persistedQuery": {"version": 2, "sha256Hash": "a" * 64}},
            "`persistedQuery.version` must be 1, the only version supported.",
        ),
        (json.dumps(by_hash("a" * 64)), "`extensions` must be a JSON object."),
        ([by_hash("a" * 64)], "`extensions` must be a JSON object."),
    ],
)
def test_a_malformed_persisted_query_is_refused_and_nothing_runs(counsellor, extensions, message):
    """With a mutation's text beside it, too: the malformed extension refuses the request."""
    before = graph_counts()
    for body in (
        {"extensions": extensions, "variables": SUBJECT},
        {"query": REGISTER, "extensions": extensions, "variables": SUBJECT},
    ):
        with count_round_trips() as trips:
            response = post(counsellor, body)
        assert (response.status_code, error(response)) == (400, ("BAD_PERSISTED_QUERY", message))
        assert len(response.content) < 1_000  # the caller's value is never echoed
        assert trips.count == 0
    assert graph_counts() == before


def test_a_huge_extensions_object_is_refused_by_the_body_limit(counsellor):
    body = {"extensions": {**by_hash(text_hash(NEED_TAGS)), "padding": "x" * 70_000}}
    response = post(counsellor, body)
    assert (response.status_code, error(response)[0]) == (413, "REQUEST_TOO_LARGE")


def test_null_extensions_is_an_ordinary_request(counsellor):
    answer = post(counsellor, {"query": NEED_TAGS, "extensions": None})
    assert answer.status_code == 200
    assert answer.json()["data"]["tags"]
    response = post(counsellor, {"extensions": None})
    assert error(response)[0] == "MISSING_QUERY"


def test_a_persisted_mutation_runs_as_the_caller(counsellor):
    answer = post(counsellor, {"extensions": by_hash(text_hash(REGISTER)), "variables": SUBJECT})
    payload = answer.json()["data"]["registerSubject"]
    assert payload["errors"] == []
    assert payload["subject"]["birthYear"] == 2012


def test_a_persisted_mutation_refuses_a_caller_without_the_role_as_its_text_does(network):
    coordinator = member("coordinator", network["school"], Role.COORDINATOR)
    before = graph_counts(audit=False)
    as_text = post(coordinator, {"query": REGISTER, "variables": SUBJECT})
    as_id = post(coordinator, {"extensions": by_hash(text_hash(REGISTER)), "variables": SUBJECT})
    assert as_id.status_code == as_text.status_code
    assert as_id.json() == as_text.json()
    assert as_id.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert graph_counts(audit=False) == before
    anonymous = Client().post(
        "/graphql",
        {"extensions": by_hash(text_hash(REGISTER)), "variables": SUBJECT},
        content_type="application/json",
    )
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert graph_counts(audit=False) == before


def test_a_shipped_document_over_a_lowered_limit_is_refused_as_its_text_is(counsellor, settings):
    settings.GRAPHQL_MAX_DEPTH = 2  # ServiceSearch is 5 deep
    as_text = post(counsellor, {"query": SEARCH, "variables": {"search": "食堂"}})
    as_id = post(
        counsellor, {"extensions": by_hash(text_hash(SEARCH)), "variables": {"search": "食堂"}}
    )
    assert error(as_text)[0] == "QUERY_TOO_DEEP"
    assert (as_id.status_code, as_id.json()) == (as_text.status_code, as_text.json())


MULTI = """
query Tags { tags(kind: NEED) { code } }
query Who { me { username } }
"""


def test_a_document_of_several_operations_runs_the_one_named(counsellor, tmp_path):
    (tmp_path / "Multi.graphql").write_text(MULTI, encoding="utf-8")
    with override_settings(GRAPHQL_PERSISTED_OPERATION_DIRS=[tmp_path]):
        sha = text_hash(MULTI)
        for name in ("Tags", "Who", None, "Nobody"):
            as_text = post(counsellor, {"query": MULTI, "operationName": name})
            as_id = post(counsellor, {"extensions": by_hash(sha), "operationName": name})
            assert (as_id.status_code, as_id.json()) == (as_text.status_code, as_text.json())
        assert post(counsellor, {"extensions": by_hash(sha), "operationName": "Who"}).json()[
            "data"
        ] == {"me": {"username": "counsellor"}}
        assert error(post(counsellor, {"extensions": by_hash(sha)})) == (
            "GRAPHQL_VALIDATION_FAILED",
            "Must provide operation name if query contains multiple operations.",
        )
        # Only the listed directories are persisted: the pages' documents are not, here.
        response = post(counsellor, {"extensions": by_hash(text_hash(NEED_TAGS))})
        assert error(response)[0] == "PERSISTED_QUERY_NOT_FOUND"


def test_every_page_document_is_persisted():
    registry = entry.persisted()
    for name in operations.names():
        assert text_hash(operations.document(name)) in registry, name
