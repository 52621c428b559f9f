"""A token never carries more than its issuer holds, now (issue 12, findings 3-5 and 15):
issued only for a role the issuer holds, dead the moment the issuer loses it, blind to
other tokens, and failed bearer attempts are limited per address."""

import pytest
from django.contrib.auth import get_user_model

from referral_hub.accounts import tokens
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import GraphQLClient, member, signed_in_member

ME = "{ me { username roles } }"
INBOX = "{ inbox(first: 5) { edges { node { id } } } }"
ISSUE = """
mutation($role: String) {
  issueApiToken(name: "case system", kind: ORGANISATION, role: $role) {
    token errors { field code }
  }
}"""
TOKENS = "{ apiTokens { id kind } }"


@pytest.fixture
def network(graph_db, db, redis_db):
    return directory_fixtures.build()


def _code(body):
    return body["errors"][0]["extensions"]["code"]


def _machine(admin, role="CASEWORKER"):
    payload = admin(ISSUE, {"role": role})["data"]["issueApiToken"]
    assert payload["errors"] == []
    return GraphQLClient(payload["token"])


def test_an_org_admin_cannot_issue_a_role_they_do_not_hold(network):
    admin = signed_in_member("admin-only", network["welfare"], Role.ORG_ADMIN)
    refused = admin(ISSUE, {"role": "CASEWORKER"})["data"]["issueApiToken"]
    assert refused == {"token": None, "errors": [{"field": "role", "code": "FORBIDDEN"}]}
    both = signed_in_member("admin-worker", network["welfare"], Role.ORG_ADMIN, Role.CASEWORKER)
    assert _machine(both)(INBOX)["data"]["inbox"]["edges"] == []


@pytest.mark.parametrize("removed", ["ORG_ADMIN", "CASEWORKER", "membership", "user"])
def test_a_machine_token_dies_with_its_issuers_authority(network, removed):
    admin = signed_in_member("issuer", network["welfare"], Role.ORG_ADMIN, Role.CASEWORKER)
    machine = _machine(admin)
    assert machine(ME)["data"]["me"]["roles"] == ["CASEWORKER"]
    user = get_user_model().objects.get(username="issuer")
    if removed == "membership":
        Membership.objects.filter(user=user).delete()
    elif removed == "user":
        user.is_active = False
        user.save()
    else:
        Membership.objects.filter(user=user, role=removed).delete()
    assert _code(machine(INBOX)) == "UNAUTHENTICATED"


def test_a_personal_token_loses_a_removed_role_at_once(network):
    worker = member("worker", network["welfare"], Role.CASEWORKER)
    assert worker(INBOX)["data"]["inbox"]["edges"] == []
    Membership.objects.filter(user__username="worker").delete()
    assert _code(worker(INBOX)) == "FORBIDDEN"


def test_a_machine_token_sees_only_itself_and_an_admin_sees_the_machines(network):
    admin = signed_in_member("issuer", network["welfare"], Role.ORG_ADMIN, Role.CASEWORKER)
    machine = _machine(admin)
    own = tokens.authenticate(machine.headers["HTTP_AUTHORIZATION"].split()[1])
    _, personal = tokens.issue(
        user=get_user_model().objects.get(username="issuer"), name="mine", kind="PERSONAL"
    )
    assert machine(TOKENS)["data"]["apiTokens"] == [{"id": str(own.pk), "kind": "ORGANISATION"}]
    assert {t["id"] for t in admin(TOKENS)["data"]["apiTokens"]} == {
        str(own.pk),
        str(personal.pk),
    }


def test_failed_bearer_attempts_are_limited_per_address(network):
    valid = member("worker", network["welfare"], Role.CASEWORKER)
    guesser = GraphQLClient("tsu_000000000000_guess")
    assert [_code(guesser(ME)) for _ in range(20)] == ["UNAUTHENTICATED"] * 20
    # From the 21st failure on, that address is told to wait; a valid token still works
    # (it cannot be guessed, and it must not depend on the limiter being up).
    assert _code(guesser(ME)) == "RATE_LIMITED"
    assert valid(ME)["data"]["me"]["username"] == "worker"
    elsewhere = GraphQLClient("tsu_000000000000_guess")
    elsewhere.headers["REMOTE_ADDR"] = "192.0.2.7"
    assert _code(elsewhere(ME)) == "UNAUTHENTICATED"
