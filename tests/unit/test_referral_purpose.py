"""Which outcomes close a referral of each purpose (issue 19): checked over every
purpose × outcome, like the handoff table itself (tests/unit/test_handoff.py)."""

import itertools

import pytest

from referral_hub.core.errors import ErrorCode, ValidationFailed
from referral_hub.referrals.handoff import (
    CONNECTING_OUTCOMES,
    OUTCOMES,
    Action,
    Outcome,
    Purpose,
    Side,
    State,
    transition,
)
from referral_hub.referrals.rules import opportunity_refusal, purpose_errors

EXPECTED = {
    Purpose.SUPPORT: {"CONNECTED", "CLIENT_DECLINED", "COULD_NOT_CONTACT", "OTHER"},
    Purpose.OFFER_ROLE: {"TOOK_UP", "TRIED_AND_STOPPED", "DECLINED_ROLE"},
}


def test_the_outcome_table_is_exactly_the_design():
    assert {purpose: {o.value for o in allowed} for purpose, allowed in OUTCOMES.items()} == (
        EXPECTED
    )
    # Every outcome belongs to exactly one purpose: a role's never closes support.
    assert sorted(o for allowed in OUTCOMES.values() for o in allowed) == sorted(Outcome)


def test_a_completed_connection_is_connected_or_took_up():
    assert {Outcome.CONNECTED, Outcome.TOOK_UP} == CONNECTING_OUTCOMES


def _complete(purpose, outcome):
    return transition(
        state=State.IN_PROGRESS,
        version=2,
        action=Action.COMPLETE,
        side=Side.RECEIVER,
        version_seen=2,
        outcome=outcome,
        note="転居した",  # OTHER needs one; the others ignore it
        purpose=purpose,
    )


@pytest.mark.parametrize(("purpose", "outcome"), list(itertools.product(Purpose, Outcome)))
def test_every_purpose_and_outcome(purpose, outcome):
    if outcome.value in EXPECTED[purpose]:
        assert _complete(purpose, outcome).outcome is outcome
    else:
        with pytest.raises(ValidationFailed) as refused:
            _complete(purpose, outcome)
        assert [(e.field, e.code) for e in refused.value.errors] == [("outcome", ErrorCode.INVALID)]
        allowed = ", ".join(sorted(EXPECTED[purpose]))
        assert refused.value.errors[0].message == (
            f"A {purpose.value} referral ends with one of {allowed}."
        )


def test_a_referral_without_a_purpose_is_support():
    step = transition(
        state=State.IN_PROGRESS,
        version=1,
        action=Action.COMPLETE,
        side=Side.RECEIVER,
        version_seen=1,
        outcome=Outcome.CONNECTED,
    )
    assert step.outcome is Outcome.CONNECTED
    with pytest.raises(ValidationFailed):
        transition(
            state=State.IN_PROGRESS,
            version=1,
            action=Action.COMPLETE,
            side=Side.RECEIVER,
            version_seen=1,
            outcome=Outcome.TOOK_UP,
        )


@pytest.mark.parametrize(
    ("purpose", "opportunity", "expected"),
    [
        ("SUPPORT", None, []),
        ("OFFER_ROLE", "o-1", []),
        ("OFFER_ROLE", None, [("opportunityId", ErrorCode.REQUIRED)]),
        ("SUPPORT", "o-1", [("opportunityId", ErrorCode.INVALID)]),
    ],
)
def test_only_an_offer_names_an_opportunity(purpose, opportunity, expected):
    assert [(e.field, e.code) for e in purpose_errors(purpose, opportunity)] == expected


ACTIVE = {"id": "o-1", "active": True, "via": "s-1"}


@pytest.mark.parametrize(
    ("found", "service", "expected"),
    [
        ({"id": "o-1", "active": True, "via": "s-1"}, "s-1", None),
        (None, "s-1", ("opportunityId", ErrorCode.UNKNOWN_OPPORTUNITY)),
        (
            {"id": "o-1", "active": False, "via": "s-1"},
            "s-1",
            ("opportunityId", "UNKNOWN_OPPORTUNITY"),
        ),
        ({"id": "o-1", "active": True, "via": "s-1"}, "s-2", ("serviceId", "OPPORTUNITY_MISMATCH")),
    ],
)
def test_an_offer_goes_to_its_opportunitys_own_service(found, service, expected):
    row = {"opportunity": found}
    if expected is None:
        opportunity_refusal(row, opportunity_id="o-1", service_id=service)
        return
    with pytest.raises(ValidationFailed) as refused:
        opportunity_refusal(row, opportunity_id="o-1", service_id=service)
    assert (refused.value.field, refused.value.code) == expected


def test_a_support_referral_needs_no_opportunity_facts():
    opportunity_refusal({}, opportunity_id=None, service_id="s-1")  # nothing to check
