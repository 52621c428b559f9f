"""recordConcernSignal's hourly limit is per person, whatever a token is called: found by
the issue-19 attack review (the limit was keyed by the actor's name, and an organisation
token's name is its issuer's choice)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from referral_hub.accounts import tokens
from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role
from tests.conftest import GraphQLClient
from tests.directory_fixtures import KAWASAKI_KU, _loc, _org, _svc
from tests.pathways.test_murmurs import RECORD, good, place  # noqa: F401 - fixture


def _org_token(username: str, organisation: str, name: str) -> GraphQLClient:
    user = get_user_model().objects.create_user(username=username)
    for role in (Role.ORG_ADMIN, Role.CASEWORKER):
        Membership.objects.create(user=user, organisation_id=organisation, role=role.value)
    raw, _ = tokens.issue(
        user=user,
        name=name,
        kind=ApiToken.Kind.ORGANISATION,
        organisation_id=organisation,
        role=Role.CASEWORKER,
    )
    return GraphQLClient(raw)


def _codes(client: GraphQLClient) -> list:
    body = client(RECORD, {"input": good()}, expect_status=None)
    payload = (body.get("data") or {}).get("recordConcernSignal") or {}
    return [e["code"] for e in payload.get("errors") or []] + [
        (e.get("extensions") or {}).get("code") for e in body.get("errors") or []
    ]


def test_one_organisations_token_does_not_use_up_anothers_limit(place, settings):  # noqa: F811
    """Two organisations' tokens both named 'sync' do not share one counter."""
    settings.HUB_CONCERN_SIGNALS_PER_HOUR = 2
    cafe, _, _ = place
    other = _org("ひだまり食堂", "PLACE", KAWASAKI_KU)
    _svc(
        other, _loc(other, "会場", KAWASAKI_KU, 35.53, 139.70), "食堂", "EXCHANGE", ["eating_alone"]
    )
    mine = _org_token("admin-a", cafe, "sync")
    theirs = _org_token("admin-b", other, "sync")
    assert [_codes(theirs), _codes(theirs), _codes(theirs)] == [[], [], ["RATE_LIMITED"]]
    assert [_codes(mine), _codes(mine), _codes(mine)] == [[], [], ["RATE_LIMITED"]]


def test_more_tokens_do_not_multiply_the_hourly_limit(place, settings):  # noqa: F811
    """An administrator issuing tokens with new names gets no fresh limit per token: the
    limit (2) is the issuer's, across all of them."""
    settings.HUB_CONCERN_SIGNALS_PER_HOUR = 2
    cafe, _, _ = place
    answers = []
    first = _org_token("admin-0", cafe, "t0")
    admin = get_user_model().objects.get(username="admin-0")
    clients = [first] + [
        GraphQLClient(
            tokens.issue(
                user=admin,
                name=f"t{i}",
                kind=ApiToken.Kind.ORGANISATION,
                organisation_id=cafe,
                role=Role.CASEWORKER,
            )[0]
        )
        for i in range(1, 4)
    ]
    for client in clients:
        answers.append(_codes(client))
    assert answers == [[], [], ["RATE_LIMITED"], ["RATE_LIMITED"]]
