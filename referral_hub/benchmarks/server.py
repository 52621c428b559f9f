"""The API through a production server (issue 17): gunicorn with threads, DEBUG off, the
deployment's WSGI entry point, driven over HTTP by 1 and 8 client threads, against the
raw statement through the driver in the same interleaved run.

Questions: a directory search, an organisation by id with its nested services, locations
and partners, routes, recommend, and a caseworker's inbox page of 50 — whose statement is
also run with its audit fragment taken out (inbox.without_audit), so the audit's own cost
is a ratio of its own."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, LiteralString

from django.conf import settings
from django.contrib.auth import get_user_model

from graph import organisation_repo, session
from graph.audit_log import audit_params
from graph.listing import PageRequest
from referral_hub.accounts import tokens
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role
from referral_hub.benchmarks import directory, inbox, pathways
from referral_hub.benchmarks.gunicorn_server import GraphQLClient, serving
from referral_hub.benchmarks.load import Path, Row, Target, interleave
from referral_hub.core.audit import audit_record
from referral_hub.directory.demo import Scale
from referral_hub.referrals.lists import BOX_FIELDS

DIRECTORY, ORGANISATION, ROUTES, RECOMMEND, INBOX = (
    "directory search",
    "organisation by id",
    "routes (4 hops)",
    "recommend",
    "inbox page of 50",
)
# Only fields the organisation's one statement returns (graph/projections.py ORGANISATION):
# the nested selection costs no further round trip.
ORGANISATION_QUERY = """
query Organisation($o: ID!) {
  organisation(id: $o) {
    id name kind description areaCode website email phone active createdAt updatedAt
    area { code name }
    services { id name mode acceptsReferrals capacityStatus tags { code kind labelJa } }
    locations { id name address postalCode latitude longitude }
    partners { organisation { id name kind areaCode } since sharesData }
  }
}
"""
# The inbox page's own selection (web/operations/Inbox.graphql), without `me`.
INBOX_QUERY = """
query Inbox {
  inbox(first: 50) {
    edges {
      node {
        id state version urgency deadline overdue waitlisted legalBasis subjectInitials
        sender { id name kind }
        service { id name mode }
        lastEvent { action at }
        createdAt updatedAt
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
RAW, NO_AUDIT, HTTP, FLOOR = "cypher", "no audit", "http", "http floor"
# The fixed cost of a request (issue 17's ≤ 1.3× target): the same server, connection and
# token, the same entry point and limits, and a document that asks Neo4j nothing. No
# GraphQL document can cost less, so raw + floor is the lowest HTTP p50 a question can have.
FLOOR_QUERY = "query Floor { __typename }"
CONCURRENCY = (1, 8)

# Issue 17's targets, ratios within one interleaved run.
TARGETS = [
    *(
        Target(question, 1, HTTP, RAW, "p50", 1.3, at_most=True)
        for question in (DIRECTORY, ORGANISATION, ROUTES, RECOMMEND)
    ),
    Target(INBOX, 8, RAW, NO_AUDIT, "req/s", 0.7, at_most=False),
]


@dataclass(frozen=True)
class Question:
    label: str
    cases: Sequence[Any]
    raw: Callable[[Any], object]
    query: str
    variables: Callable[[Any], Mapping[str, Any]]
    token: str
    warmup: int  # the first `warmup` cases warm every path; the rest are measured
    also_raw: tuple[Path, ...] = ()  # further raw paths (the inbox without its audit)
    floor: bool = False  # also time FLOOR_QUERY with the same token, interleaved


def paths(question: Question, port: int) -> list[Path]:
    """The raw statement(s) through the driver, then the document over HTTP."""

    def ask(client: GraphQLClient, case: Any) -> object:
        return client.post(question.query, question.variables(case))

    def connect() -> GraphQLClient:
        return GraphQLClient(port, question.token)

    floor = [Path(FLOOR, _ask_floor, open=connect, close=_close)] if question.floor else []
    return [
        Path(RAW, lambda _, case: question.raw(case)),
        *question.also_raw,
        Path(HTTP, ask, open=connect, close=_close),
        *floor,
    ]


def _ask_floor(client: GraphQLClient, _case: Any) -> object:
    return client.post(FLOOR_QUERY, {})


def _close(client: GraphQLClient) -> None:
    client.close()


def _organisation(case: dict[str, Any]) -> object:
    found = organisation_repo.organisations_by_ids([case["o"]])
    assert found, case
    return found


def directory_questions(*, count: int, warmup: int, token: str) -> list[Question]:
    """Directory search (川崎市, as the directory rows), organisation by id, routes and
    recommend, from schools over the whole seeded network (as the pathways rows)."""
    starts = pathways.cases(count + warmup)
    shaped = [pathways.in_area(case) for case in starts]
    search = directory.cases(Scale.CITY, count + warmup)
    return [
        Question(
            DIRECTORY,
            search,
            directory.search_cypher,
            directory.QUERY,
            lambda case: {"filter": case},
            token,
            warmup,
            floor=True,
        ),
        Question(
            ORGANISATION,
            starts,
            _organisation,
            ORGANISATION_QUERY,
            _by_id,
            token,
            warmup,
            floor=True,
        ),
        Question(
            ROUTES,
            shaped,
            pathways.routes_cypher,
            pathways.ROUTES,
            _itself,
            token,
            warmup,
            floor=True,
        ),
        Question(
            RECOMMEND,
            shaped,
            pathways.recommend_cypher,
            pathways.RECOMMEND,
            _itself,
            token,
            warmup,
            floor=True,
        ),
    ]


def _by_id(case: dict[str, Any]) -> dict[str, Any]:
    return {"o": case["o"]}


def _itself(case: dict[str, Any]) -> dict[str, Any]:
    return case


def inbox_question(*, count: int, warmup: int, referrals: int = 200) -> Question:
    """A caseworker of the bench's welfare office (inbox.py's network) with a personal
    token; the raw paths are the inbox statement with and without its audit."""
    welfare = inbox._network(referrals)
    user, _ = get_user_model().objects.get_or_create(username="bench-caseworker")
    Membership.objects.get_or_create(user=user, organisation_id=welfare, role=Role.CASEWORKER.value)
    token, _ = tokens.issue(user=user, name="bench", kind=ApiToken.Kind.PERSONAL)
    caseworker = Actor(
        username=user.username,
        user_id=user.pk,
        organisation_id=welfare,
        roles=frozenset({Role.CASEWORKER}),
    )
    audited = _inbox_page(inbox.INBOX_STATEMENT, welfare, caseworker)
    bare = _inbox_page(inbox.without_audit(), welfare, caseworker)
    return Question(
        INBOX,
        range(count + warmup),
        lambda case: audited(None, case),
        INBOX_QUERY,
        lambda case: {},
        token,
        warmup,
        also_raw=(Path(NO_AUDIT, bare),),
    )


def _inbox_page(
    statement: LiteralString, welfare: str, caseworker: Actor
) -> Callable[[Any, Any], object]:
    """The statement with the parameters referral_list_repo.referral_box sends, in a write
    transaction as it runs (the audit writes), the same for the variant without it.
    Through graph/session.py, the driver's managed transaction with the facts and the
    clock every statement is given (the inbox's consent rule reads them)."""

    def page(_client: Any, _case: Any) -> object:
        record = audit_record(
            caseworker,
            "REFERRAL_INBOX_READ",
            "Subject",
            None,
            purpose="REFERRAL",
            categories=["CONTACT"],
            fields=BOX_FIELDS,
        )
        params = {
            "reader": welfare,
            "state": None,
            "urgency": None,
            "overdue": None,
            "purpose": "REFERRAL",
            "categories": ["CONTACT"],
            **PageRequest(first=50).params(),
            **audit_params(record),
        }
        rows = session.write(lambda tx: tx.rows(statement, **params))
        assert rows, "the bench's inbox is empty"
        return rows

    return page


def heading(*, rounds: int, env: Mapping[str, str] | None = None) -> str:
    """What served the HTTP rows, above their table."""
    env = os.environ if env is None else env
    workers = env.get("HUB_WEB_WORKERS") or str(os.cpu_count() or 1)
    threads = env.get("HUB_WEB_THREADS") or "4"
    return (
        f"server: gunicorn (deploy/gunicorn.conf.py), gthread, {workers} workers × {threads} "
        f"threads, DEBUG off; raw and HTTP interleaved in {rounds} rounds"
    )


def run(
    *,
    questions: Sequence[Question],
    rounds: int,
    concurrency: Sequence[int] = CONCURRENCY,
    log: FilePath | None = None,
    server_env: Mapping[str, str] | None = None,
) -> list[Row]:
    """Every question at every concurrency, raw and HTTP interleaved, on one server."""
    rows: list[Row] = []
    log = log or FilePath(settings.DATA_DIR) / "bench" / "gunicorn.log"
    with serving(log, server_env) as server:
        for question in questions:
            for level in concurrency:
                rows += interleave(
                    question.label,
                    paths(question, server.port),
                    question.cases,
                    concurrency=level,
                    rounds=rounds,
                    warmup=question.warmup,
                )
    return rows
