"""API tokens: hashed at rest, expiry, revocation, last use, machine tokens, issuing limits."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from referral_hub.accounts import tokens
from referral_hub.accounts.models import ApiToken
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
