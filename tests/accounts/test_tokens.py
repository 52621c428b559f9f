"""API tokens: hashed at rest, expiry, revocation, last use, machine tokens, issuing limits."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from referral_hub.accounts import tokens
from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import GraphQLClient, member, signed_in_member

ME = "{ me { username organisationId roles machine } }"
ISSUE = """
mutation($name: String!, $kind: ApiTokenKind!, $role: String, $days: Int) {
  issueApiToken(name: $name, kind: $kind, role: $role, days: $days) {
    token apiToken { id kind role organisationId expiresAt } errors { field code }
  }
}"""
REVOKE = "mutation($id: ID!) { revokeApiToken(id: $id) { apiToken { revokedAt } errors { code } } }"


@pytest.fixture
def network(graph_db, db, redis_db):
    return directory_fixtures.build()


def _code(body):
    return body["errors"][0]["extensions"]["code"]


def test_only_a_digest_is_stored(db):
    user = get_user_model().objects.create_user(username="u")
    token, record = tokens.issue(user=user, name="t", kind=ApiToken.Kind.PERSONAL)
    stored = ApiToken.objects.get(pk=record.pk)
    assert token not in {stored.digest, stored.prefix, stored.name}
    assert len(stored.digest) == 64
    assert tokens.authenticate(token).pk == record.pk


def test_expired_and_revoked_tokens_are_refused(network):
    client = member("worker", network["npo"], Role.CASEWORKER)
    raw = client.headers["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    record = tokens.authenticate(raw)
    assert client(ME)["data"]["me"]["username"] == "worker"
    assert ApiToken.objects.get(pk=record.pk).last_used_at is not None

    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    body = client(ME)
    assert _code(body) == "UNAUTHENTICATED"
    assert "expired" in body["errors"][0]["message"]

    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert client(REVOKE, {"id": str(record.pk)})["data"]["revokeApiToken"]["errors"] == []
    assert "revoked" in client(ME)["errors"][0]["message"]


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer tsu_abc_def", "Basic abc"])
def test_bad_credentials_are_unauthenticated(network, header):
    client = GraphQLClient()
    client.headers["HTTP_AUTHORIZATION"] = header
    assert _code(client(ME)) == "UNAUTHENTICATED"


def test_org_admin_issues_a_machine_token_that_acts_for_the_organisation(network):
    admin = signed_in_member("npo-admin", network["npo"], Role.ORG_ADMIN, Role.CASEWORKER)
    issued = admin(ISSUE, {"name": "case system", "kind": "ORGANISATION", "role": "CASEWORKER"})
    payload = issued["data"]["issueApiToken"]
    assert payload["errors"] == []
    assert payload["apiToken"]["organisationId"] == network["npo"]
    machine = GraphQLClient(payload["token"])
    assert machine(ME)["data"]["me"] == {
        "username": "token:case system",
        "organisationId": network["npo"],
        "roles": ["CASEWORKER"],
        "machine": True,
    }
    # A machine cannot mint further tokens, and nobody can mint an admin machine token.
    assert _code(machine(ISSUE, {"name": "x", "kind": "PERSONAL"})) == "FORBIDDEN"
    refused = admin(ISSUE, {"name": "x", "kind": "ORGANISATION", "role": "ORG_ADMIN"})
    assert refused["data"]["issueApiToken"]["errors"] == [{"field": "role", "code": "INVALID"}]


def test_only_org_admins_issue_organisation_tokens(network):
    counsellor = signed_in_member("c", network["npo"], Role.COUNSELLOR)
    body = counsellor(ISSUE, {"name": "x", "kind": "ORGANISATION", "role": "CASEWORKER"})
    assert _code(body) == "FORBIDDEN"
    personal = counsellor(ISSUE, {"name": "mine", "kind": "PERSONAL", "days": 7})
    assert personal["data"]["issueApiToken"]["errors"] == []


def test_a_token_cannot_mint_a_token(network):
    """Only a session that proved a second factor issues tokens; a personal token would
    otherwise renew itself past its expiry."""
    bearer = member("renewer", network["npo"], Role.ORG_ADMIN, Role.CASEWORKER)
    for kind, role in [("PERSONAL", None), ("ORGANISATION", "CASEWORKER")]:
        body = bearer(ISSUE, {"name": "again", "kind": kind, "role": role})
        assert _code(body) == "SECOND_FACTOR_REQUIRED"
        assert body["data"]["issueApiToken"] is None
    assert ApiToken.objects.filter(name="again").count() == 0


def test_others_tokens_cannot_be_revoked_or_even_seen(network):
    alice = member("alice", network["npo"], Role.COUNSELLOR)
    bob = member("bob", network["npo"], Role.COUNSELLOR)
    alice_token = tokens.authenticate(alice.headers["HTTP_AUTHORIZATION"].split()[1])
    refused = bob(REVOKE, {"id": str(alice_token.pk)})["data"]["revokeApiToken"]
    assert refused["errors"] == [{"code": "NOT_FOUND"}]
    assert str(alice_token.pk) not in {
        t["id"] for t in bob("{ apiTokens { id } }")["data"]["apiTokens"]
    }


def test_issuing_is_rate_limited(network):
    user = signed_in_member("eager", network["npo"], Role.COUNSELLOR)
    codes = []
    for i in range(11):
        body = user(ISSUE, {"name": f"t{i}", "kind": "PERSONAL"})
        codes.append(_code(body) if "errors" in body else None)
    assert codes[:10] == [None] * 10
    assert codes[10] == "RATE_LIMITED"


def test_management_commands_issue_and_revoke(db, graph_db):
    get_user_model().objects.create_user(username="ops")
    out = StringIO()
    call_command("issue_token", user="ops", name="cli", days=1, stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    record = tokens.authenticate(raw)
    call_command("revoke_token", record.pk, stdout=StringIO())
    with pytest.raises(tokens.TokenError, match="revoked"):
        tokens.authenticate(raw)


# --- identify: the token, its user and their roles in one SQL statement (issue 17) --------


def _person(username, *memberships, superuser=False):
    user = get_user_model().objects.create_user(username=username, is_superuser=superuser)
    for organisation, role in memberships:
        Membership.objects.create(user=user, organisation_id=organisation, role=role.value)
    return user


def test_identify_answers_in_one_statement_with_every_role_of_the_user(
    db, django_assert_num_queries
):
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    user = _person(
        "many", (first, Role.CASEWORKER), (first, Role.ORG_ADMIN), (second, Role.AUDITOR)
    )
    raw, record = tokens.issue(user=user, name="t", kind=ApiToken.Kind.PERSONAL)
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())

    with django_assert_num_queries(1):
        bearer = tokens.identify(raw)

    assert bearer == tokens.Bearer(
        token_id=record.pk,
        kind="PERSONAL",
        name="t",
        organisation_id=None,
        role="",
        user_id=user.pk,
        username="many",
        superuser=False,
        memberships=(
            (first, "CASEWORKER"),
            (first, "ORG_ADMIN"),
            (second, "AUDITOR"),
        ),
    )


def test_identify_of_a_user_with_no_membership_and_of_a_superuser(db):
    nobody = _person("nobody")
    root = _person("root", superuser=True)
    raw_nobody, _ = tokens.issue(user=nobody, name="a", kind=ApiToken.Kind.PERSONAL)
    raw_root, _ = tokens.issue(user=root, name="b", kind=ApiToken.Kind.PERSONAL)

    assert (tokens.identify(raw_nobody).memberships, tokens.identify(raw_nobody).superuser) == (
        (),
        False,
    )
    assert tokens.identify(raw_root).superuser is True


def test_an_organisation_tokens_facts_come_back_as_the_api_writes_them(db):
    organisation = str(uuid.uuid4())
    admin = _person("admin", (organisation, Role.ORG_ADMIN), (organisation, Role.CASEWORKER))
    raw, _ = tokens.issue(
        user=admin,
        name="case system",
        kind=ApiToken.Kind.ORGANISATION,
        organisation_id=organisation,
        role=Role.CASEWORKER,
    )
    bearer = tokens.identify(raw)
    # The UUID as text with its hyphens on every backend (SQLite keeps 32 hex digits).
    assert (bearer.kind, bearer.organisation_id, bearer.role) == (
        "ORGANISATION",
        organisation,
        "CASEWORKER",
    )


@pytest.mark.parametrize(
    ("seconds_ago", "marked_again"), [(59, False), (61, True)], ids=["59s", "61s"]
)
def test_last_use_is_written_once_a_minute(db, seconds_ago, marked_again):
    raw, record = tokens.issue(user=_person("u"), name="t", kind=ApiToken.Kind.PERSONAL)
    before = timezone.now() - timedelta(seconds=seconds_ago)
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=before)

    tokens.identify(raw)

    after = ApiToken.objects.get(pk=record.pk).last_used_at
    assert (after != before) is marked_again


@pytest.mark.parametrize(
    ("seconds_left", "works"), [(-1, False), (2, True)], ids=["expired", "valid"]
)
def test_expiry_is_compared_by_the_database_as_stored(db, seconds_left, works):
    raw, record = tokens.issue(user=_person("u"), name="t", kind=ApiToken.Kind.PERSONAL)
    expires = timezone.now() + timedelta(seconds=seconds_left)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=expires)

    if works:
        assert tokens.identify(raw).token_id == record.pk
    else:
        with pytest.raises(tokens.TokenError, match="expired"):
            tokens.identify(raw)


@pytest.mark.parametrize(
    ("damaged", "message"),
    [
        ("tsu_{prefix}_wrong-secret", "Unknown API token."),  # the right row, a wrong digest
        ("tsu_nosuchprefix_{secret}", "Unknown API token."),
        ("tsu_{prefix}' OR '1'='1_x", "Unknown API token."),  # a parameter, never SQL
        ("tsu_{prefix}", "Malformed API token."),
        ("tsu_{prefix}\x00_{secret}", "Unknown API token."),  # never sent to the database
        ("tsu_" + "a" * 100_000 + "_{secret}", "Unknown API token."),
        ("tsu_ABCDEF012345_{secret}", "Unknown API token."),  # issue() writes lower case
        ("tsu_{prefix}_{secret}\ud800", "Unknown API token."),  # could not even be hashed
        ("tsu_{prefix}_{secret}あ", "Unknown API token."),
    ],
    ids=[
        "digest",
        "prefix",
        "injection",
        "no-secret",
        "nul",
        "huge",
        "upper-case",
        "lone-surrogate",
        "not-ascii",
    ],
)
def test_a_damaged_token_names_no_one(db, damaged, message):
    raw, record = tokens.issue(user=_person("u"), name="t", kind=ApiToken.Kind.PERSONAL)
    secret = raw.split("_", 2)[2]
    with pytest.raises(tokens.TokenError) as refused:
        tokens.identify(damaged.format(prefix=record.prefix, secret=secret))
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("prefix", "asks"), [("0123456789ab", 1), ("0123456789a", 0), ("0123456789abc", 0)]
)
def test_only_a_prefix_such_as_issue_writes_reaches_the_database(
    db, django_assert_num_queries, prefix, asks
):
    with django_assert_num_queries(asks), pytest.raises(tokens.TokenError, match="Unknown"):
        tokens.identify(f"tsu_{prefix}_secret")


def test_an_inactive_users_token_is_refused(db):
    user = _person("gone")
    raw, _ = tokens.issue(user=user, name="t", kind=ApiToken.Kind.PERSONAL)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(tokens.TokenError, match="inactive"):
        tokens.identify(raw)


@pytest.mark.parametrize(
    ("issuer_keeps", "works"),
    [
        ((Role.ORG_ADMIN, Role.CASEWORKER), True),
        ((Role.CASEWORKER,), False),
        ((Role.ORG_ADMIN,), False),
        ((Role.SYSTEM_ADMIN,), True),
    ],
    ids=["both", "no-admin", "no-role", "system-admin"],
)
def test_an_organisation_token_works_while_its_issuer_holds_admin_and_its_role(
    network, issuer_keeps, works
):
    organisation = network["npo"]
    issuer = _person("issuer", (organisation, Role.ORG_ADMIN), (organisation, Role.CASEWORKER))
    raw, _ = tokens.issue(
        user=issuer,
        name="system",
        kind=ApiToken.Kind.ORGANISATION,
        organisation_id=organisation,
        role=Role.CASEWORKER,
    )
    Membership.objects.filter(user=issuer).delete()
    for role in issuer_keeps:
        place = None if role is Role.SYSTEM_ADMIN else organisation
        Membership.objects.create(user=issuer, organisation_id=place or uuid.uuid4(), role=role)

    body = GraphQLClient(raw)(ME)
    if works:
        assert body["data"]["me"]["roles"] == ["CASEWORKER"]
    else:
        assert _code(body) == "UNAUTHENTICATED"
        assert "no longer holds" in body["errors"][0]["message"]
