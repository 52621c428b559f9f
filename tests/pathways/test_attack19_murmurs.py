"""Attack probes for recordConcernSignal's hourly limit (review wtatk19)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from referral_hub.accounts import tokens
from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role
from tests.conftest import GraphQLClient
from tests.directory_fixtures import KAWASAKI_KU, _loc, _org, _svc
from tests.pathways.test_murmurs import RECORD, good, place  # noqa: F401


def _org_token(username: str, organisation: str, name: str) -> GraphQLClient:
    user = get_user_model().objects.create_user(username=username)
    for role in (Role.ORG_ADMIN, Role.CASEWORKER):
        Membership.objects.create(user=user, organisation_id=organisation, role=role.value)
    raw, _ = tokens.issue(
        user=user, name=name, kind=ApiToken.Kind.ORGANISATION,
        organisation_id=organisation, role=Role.CASEWORKER,
    )
    return GraphQLClient(raw)


def _codes(client: GraphQLClient) -> list:
    body = client(RECORD, {"input": good()}, expect_status=None)
    payload = (body.get("data") or {}).get("recordConcernSignal") or {}
    return [e["code"] for e in payload.get("errors") or []] + [
        (e.get("extensions") or {}).get("code") for e in body.get("errors") or []
    ]


def test_one_organisations_token_does_not_use_up_anothers_limit(place, settings):  # noqa: F811
    """The limit is keyed by actor.username, and an organisation token's username is
    'token:<name>' with a name its issuer chooses: two organisations' tokens both named
    'sync' share one counter."""
    settings.HUB_CONCERN_SIGNALS_PER_HOUR = 2
    cafe, _, _ = place
    other = _org("ひだまり食堂", "PLACE", KAWASAKI_KU)
    _svc(other, _loc(other, "会場", KAWASAKI_KU, 35.53, 139.70), "食堂", "EXCHANGE",
         ["eating_alone"])
    mine = _org_token("admin-a", cafe, "sync")
    theirs = _org_token("admin-b", other, "sync")
    assert _codes(theirs) == [] and _codes(theirs) == []
    assert "RATE_LIMITED" not in _codes(mine)


def test_more_tokens_do_not_multiply_the_hourly_limit(place, settings):  # noqa: F811
    """One administrator issuing tokens with new names gets a fresh limit per token."""
    settings.HUB_CONCERN_SIGNALS_PER_HOUR = 2
    cafe, _, _ = place
    accepted = 0
    first = _org_token("admin-0", cafe, "t0")
    admin = get_user_model().objects.get(username="admin-0")
    clients = [first] + [
        GraphQLClient(tokens.issue(user=admin, name=f"t{i}", kind=ApiToken.Kind.ORGANISATION,
                                   organisation_id=cafe, role=Role.CASEWORKER)[0])
        for i in range(1, 4)
    ]
    for client in clients:
        for _ in range(2):
            accepted += _codes(client) == []
    assert accepted <= 2 * 2, f"{accepted} murmurs accepted in the hour for one organisation"
