"""Explicit nulls, failed mutations whose payload has other fields, and documents of every
shape (issue 12, findings 7 and 11): typed answers, never INTERNAL_ERROR."""

import pytest

from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import member, signed_in_member
from tests.referrals.flows import build_case


@pytest.fixture
def case(graph_db, db, redis_db):
    return build_case()


def _codes(body):
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@pytest.mark.parametrize(
    "selection",
    [
        "{ id name }",
        "{ id ... on Subject { name } }",
        "{ id ...Personal }",
        "{ id given: name }",
        "{ id ... @include(if: true) { name } }",
    ],
    ids=["field", "inline-fragment", "named-fragment", "alias", "directive"],
)
def test_personal_fields_are_decided_per_resolved_field_whatever_the_shape(case, selection):
    _, people, subject = case
    fragment = " fragment Personal on Subject { name }" if "Personal" in selection else ""
    body = people["counsellor"](
        f"query($id: ID!) {{ subject(id: $id) {selection} }}{fragment}", {"id": subject}
    )
    seen = body["data"]["subject"]
    assert seen.get("name", seen.get("given")) == "山田 太郎"


def test_a_skipped_field_is_not_asked_for(case):
    _, people, subject = case
    body = people["counsellor"](
        "query($id: ID!) { subject(id: $id) { id notes @skip(if: true) } }", {"id": subject}
    )
    assert body["data"]["subject"] == {"id": subject}


def test_explicit_null_arguments_mean_their_default(case):
    network, people, subject = case
    body = people["counsellor"](
        "query($id: ID!) { subject(id: $id, purpose: null) { name } }", {"id": subject}
    )
    assert body["data"]["subject"] == {"name": "山田 太郎"}
    coordinator = member(
        "coord",
        directory_fixtures.build_auditor_org("川崎市", directory_fixtures.KAWASAKI),
        Role.COORDINATOR,
    )
    coverage = coordinator('{ coverage(area: "141305", months: null) { area } }')
    assert coverage == {"data": {"coverage": {"area": "141305"}}}
    # Tokens are issued from a session that proved a second factor (issue 23).
    issuer = signed_in_member("issuer", network["school"], Role.COUNSELLOR)
    issued = issuer(
        'mutation { issueApiToken(name: "n", kind: PERSONAL, days: null) '
        "{ apiToken { expiresAt } errors { code } } }"
    )["data"]["issueApiToken"]
    assert issued["errors"] == []


def test_a_failed_mutation_answers_its_errors_whatever_else_is_selected(case, gql):
    _, people, _ = case
    body = people["counsellor"](
        'mutation { registerSubject(input: {birthYear: 1800, areaCode: "141313"}) '
        "{ subject { id } possibleDuplicates errors { field code } } }"
    )
    assert body == {
        "data": {
            "registerSubject": {
                "subject": None,
                "possibleDuplicates": None,
                "errors": [{"field": "birthYear", "code": "OUT_OF_RANGE"}],
            }
        }
    }
    removed = gql(
        'mutation { removePartnership(organisationId: "x", partnerId: "y") '
        "{ removed errors { field code } } }"
    )
    assert _codes(removed) == []
    assert removed["data"]["removePartnership"]["removed"] is None
    assert removed["data"]["removePartnership"]["errors"] != []
