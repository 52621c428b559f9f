"""The public finder's rate limit cannot be lifted by sending a bearer header: found by
the issue-19 attack review (any "Authorization: Bearer ..." counted as signed in, and the
public fields never checked the token)."""

from __future__ import annotations

import pytest

from tests import finder_fixtures
from tests.conftest import GraphQLClient

CHOICES = "{ publicFinderChoices { interestTags { code } } }"


@pytest.fixture
def network(graph_db, db, redis_db):
    return finder_fixtures.build()


def _code(answer):
    return [e.get("extensions", {}).get("code") for e in answer.get("errors") or []]


def test_a_bogus_bearer_token_is_refused_and_does_not_lift_the_public_limit(network, settings):
    settings.HUB_PUBLIC_RATE = 2
    forged = GraphQLClient(token="not-a-token")
    assert _code(forged(CHOICES, expect_status=None)) == ["UNAUTHENTICATED"]
    anonymous = GraphQLClient()
    # The forged request was refused before it counted as a search; the address still has
    # its two, then the third is refused.
    answers = [_code(anonymous(CHOICES, expect_status=None)) for _ in range(3)]
    assert answers == [[], [], ["RATE_LIMITED"]]
