"""Real services for the test session: Neo4j and Redis start once, the graph is emptied per test.

Services are started from the `test` profile (ports 7688 and 6380, data in .data/test)
so a developer's `make run` data is never touched. Set KEEP_TEST_SERVICES=1 to leave
them running after the session, which makes the next run start in seconds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from graph import audit_log, driver, migrate, reference_repo, session
from referral_hub.accounts import signin, tokens
from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role
from referral_hub.devservices import celery_worker, neo4j, redis
from referral_hub.devservices.profiles import Profile, profile
from referral_hub.directory import reference_data, selectors

KEEP = os.environ.get("KEEP_TEST_SERVICES") == "1"


@pytest.fixture(scope="session")
def test_profile() -> Profile:
    return profile("test")


@pytest.fixture(scope="session")
def neo4j_server(test_profile: Profile) -> Iterator[str]:
    started = False
    if not test_profile.external_neo4j_uri:
        started = neo4j.start(test_profile.neo4j)
    driver.close()  # whatever was opened before now points at the test server
    migrate.migrate()
    reference_data.sync(force=True)
    yield test_profile.neo4j_uri
    driver.close()
    if started and not KEEP:
        neo4j.stop(test_profile.neo4j)


@pytest.fixture(params=["bolt", "neo4j"])
def graph_scheme(request: pytest.FixtureRequest, neo4j_server: str) -> Iterator[str]:
    """The test server as a direct connection (bolt://) and as a cluster (neo4j://: a
    standalone Neo4j 5 serves a routing table naming itself in every role), so routed
    reads and bookmarks run through the driver's routing code too."""
    before = driver.current_settings()
    _, _, address = before.uri.partition("://")
    driver.configure(replace(before, uri=f"{request.param}://{address}"))
    yield request.param
    driver.configure(before)


@pytest.fixture(scope="session")
def redis_server(test_profile: Profile) -> Iterator[str]:
    started = False
    if not test_profile.external_redis_url:
        started = redis.start(test_profile.redis)
    yield test_profile.redis_url
    if started and not KEEP:
        redis.stop(test_profile.redis)


@pytest.fixture(scope="session")
def _worker_session(neo4j_server: str, redis_server: str, test_profile: Profile) -> Iterator[None]:
    celery_worker.stop(test_profile.worker)  # never reuse a worker running older code
    yield
    celery_worker.stop(test_profile.worker)


@pytest.fixture
def celery_worker_process(_worker_session: None, test_profile: Profile) -> Any:
    """A real worker in its own process, reading the same test settings as this session
    (started once and kept running, unless a test asked for `no_worker`)."""
    celery_worker.start(
        test_profile.worker,
        env={**test_profile.env(), "DJANGO_SETTINGS_MODULE": "referral_hub.test_settings"},
    )
    return test_profile.worker


@pytest.fixture
def no_worker(_worker_session: None, test_profile: Profile) -> None:
    """No worker takes tasks during this test: what is queued stays in the broker, so a
    test can look at the relay's own steps without a worker racing it."""
    celery_worker.stop(test_profile.worker)


# Areas are read-only reference data and stay; tags are re-synced because imports add some.
@pytest.fixture
def redis_db(redis_server: str) -> str:
    """An empty Redis database: rate-limit counters from earlier tests do not leak in."""
    import redis as redis_client

    redis_client.Redis.from_url(redis_server).flushdb()
    return redis_server


_WIPE = """
MATCH (n) WHERE NOT n:GraphMigration AND NOT n:Area
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
"""


def wipe_graph() -> None:
    """Delete everything but the schema, the migration ledger and the areas."""
    session.autocommit(_WIPE)
    selectors.known_tags.forget()


@pytest.fixture
def graph_db(neo4j_server: str) -> None:
    """An empty directory with the starter tags, for one test."""
    wipe_graph()
    reference_repo.tags_sync(reference_data.tag_rows()[0], checksum="test")


# Counted with the same statement; the audit log is left out only where asked, since it
# grows with every successful action (a failed one must leave it unchanged too).
_COUNTS = """
CALL () { MATCH (n) WHERE NOT n:GraphMigration AND NOT n:Area
            AND ($audit OR NOT (n:AuditEvent OR n:AuditChain OR n:AuditMention))
          RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() WHERE NOT r:PART_OF AND ($audit OR NOT r:MENTIONS)
          RETURN count(r) AS relationships }
RETURN nodes, relationships
"""


def graph_counts(*, audit: bool = True) -> tuple[int, int]:
    """(nodes, relationships) besides the ledger and the areas: proves a failure wrote nothing."""
    row = session.read(lambda tx: tx.single(_COUNTS, audit=audit))
    assert row is not None
    return row["nodes"], row["relationships"]


# Every audit event about a subject, oldest first, with the subject's own basis and consent
# (a page read names several subjects, each with its own: graph/audit_log.py).
_SUBJECT_EVENTS = """
MATCH (:AuditMention {subject: $subject})<-[:MENTIONS]-(e:AuditEvent)
WITH e, head([i IN range(0, size(coalesce(e.subjects, [])) - 1)
              WHERE e.subjects[i] = $subject]) AS at
WITH e, CASE WHEN e.subjectBases IS NULL THEN e.legalBasis
             ELSE nullif(e.subjectBases[at], '') END AS basis,
        CASE WHEN e.subjectConsents IS NULL THEN e.consentId
             ELSE nullif(e.subjectConsents[at], '') END AS consent
RETURN e {
  .*, basis: basis, consent: consent,
  statutory: coalesce(basis STARTS WITH 'STATUTORY_', e.statutory),
  organisation: e.actorOrganisation, user: e.actorUser, target_type: e.targetType,
  target_id: e.targetId
} AS event
ORDER BY e.at, e.chain, e.seq
"""


def subject_audit_events(subject: str) -> list[dict[str, Any]]:
    """The subject's history as its disclosure record reads it (by its mentions): each
    event's stored fields, and as `basis`, `consent`, `statutory` the subject's own."""
    rows = session.read(lambda tx: tx.rows(_SUBJECT_EVENTS, subject=subject))
    absent = dict.fromkeys(audit_log.V3_FIELDS)  # a field an event lacks reads as None
    return [{**absent, **row["event"]} for row in rows]


def directory_counts() -> tuple[int, int]:
    """graph_counts without the audit log: for loads that are idempotent apart from it."""
    return graph_counts(audit=False)


class GraphQLClient:
    """POSTs GraphQL documents to /graphql the way an agency's system does."""

    def __init__(self, token: str | None = None, organisation_id: str | None = None) -> None:
        self.client = Client()
        self.username: str | None = None  # a signed-in person's, for signed_in_member
        self.headers: dict[str, str] = {}
        if token is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if organisation_id is not None:
            self.headers["HTTP_X_ORGANISATION_ID"] = organisation_id

    def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        expect_status: int | None = 200,
        *,
        files: dict[str, bytes] | None = None,
    ) -> dict[str, Any]:
        """`files` (variable name → bytes) are sent by the GraphQL multipart request spec."""
        if files:
            names = sorted(files)
            response = self.client.post(
                "/graphql",
                {
                    "operations": json.dumps(
                        {"query": query, "variables": {**(variables or {}), **dict.fromkeys(names)}}
                    ),
                    "map": json.dumps({str(i): [f"variables.{n}"] for i, n in enumerate(names)}),
                    **{
                        str(i): SimpleUploadedFile(f"{n}.json", files[n])
                        for i, n in enumerate(names)
                    },
                },
                **self.headers,
            )
        else:
            response = self.client.post(
                "/graphql",
                {"query": query, "variables": variables or {}},
                content_type="application/json",
                **self.headers,
            )
        if expect_status is not None:
            assert response.status_code == expect_status, response.content
        return response.json()


def member(username: str, organisation_id: str | None, *roles: Role) -> GraphQLClient:
    """A user with these roles in one organisation, calling with a personal token."""
    user = get_user_model().objects.create_user(username=username)
    for role in roles:
        Membership.objects.create(user=user, organisation_id=organisation_id, role=role.value)
    token, _ = tokens.issue(user=user, name="test", kind=ApiToken.Kind.PERSONAL)
    return GraphQLClient(token, organisation_id)


def signed_in_member(username: str, organisation_id: str | None, *roles: Role) -> GraphQLClient:
    """A person with these roles, calling from a browser session signed in with a password
    and a TOTP code (the CSRF token sent as a page does): for what a bearer token may not
    do, such as issuing tokens."""
    user = get_user_model().objects.create_user(username=username)
    for role in roles:
        Membership.objects.create(user=user, organisation_id=organisation_id, role=role.value)
    caller = GraphQLClient(organisation_id=organisation_id)
    caller.username = username
    signin.sign_in(caller.client, user)
    # Signing in rotates the CSRF token, and the response sets the new one.
    caller.headers["HTTP_X_CSRFTOKEN"] = caller.client.cookies["csrftoken"].value
    return caller


def age_second_factor(session_key: str, seconds: float) -> None:
    """Move a browser session's clock: its second factor was proved `seconds` earlier."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from referral_hub.accounts.second_factor import ENROLLED_AT

    stored = SessionStore(session_key=session_key)
    stored[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - seconds}
        for record in stored[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    if ENROLLED_AT in stored:
        stored[ENROLLED_AT] -= seconds
    stored.save()


@pytest.fixture
def gql(graph_db: None, db: None) -> GraphQLClient:
    """A client signed in as a system administrator (roles are tested in tests/accounts)."""
    admin = get_user_model().objects.create_superuser(username="admin", password=None)
    token, _ = tokens.issue(user=admin, name="test", kind=ApiToken.Kind.PERSONAL)
    return GraphQLClient(token)
