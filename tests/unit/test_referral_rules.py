"""referrals/rules.py: the urgency caps and the gate a new referral passes (issue 24).

Numbers are stated here, not read from the module: a changed cap must fail a test."""

import pytest

from referral_hub.core.errors import ErrorCode, PublicError, ValidationFailed
from referral_hub.referrals.rules import Urgency, creation_refusal, deadline_hours


@pytest.mark.parametrize(
    ("target", "urgency", "hours"),
    [
        (72, Urgency.ROUTINE, 72),  # routine: the service's own target, never capped
        (1, Urgency.ROUTINE, 1),
        (720, Urgency.ROUTINE, 720),
        (72, Urgency.PRIORITY, 24),  # priority: at most 24 hours
        (25, Urgency.PRIORITY, 24),
        (24, Urgency.PRIORITY, 24),
        (23, Urgency.PRIORITY, 23),
        (72, Urgency.URGENT, 4),  # urgent: at most 4 hours
        (5, Urgency.URGENT, 4),
        (4, Urgency.URGENT, 4),
        (3, Urgency.URGENT, 3),
    ],
)
def test_urgency_caps_the_deadline_at_24_and_4_hours(target, urgency, hours):
    assert deadline_hours(target, urgency) == hours


# Facts as the create statement looks them up: all of them allow the referral.
ALLOWED = {
    "erased": False,
    "service_found": True,
    "accepting": True,
    "consent_id": "consent-1",
    "duplicate_id": None,
    "capacity": "AVAILABLE",
}


def _refusal(row, **options):
    """(field, code, message) of what creation_refusal raises, or None when it allows."""
    options.setdefault("accept_waitlist", False)
    try:
        creation_refusal(row, **options)
    except ValidationFailed as failed:
        errors = failed.errors
    except PublicError as refused:
        return ("PublicError", refused.field, refused.code, refused.message)
    else:
        return None
    ((field, code, message),) = [(e.field, e.code, e.message) for e in errors]  # exactly one
    return ("ValidationFailed", field, code, message)


def test_a_referral_the_facts_allow_passes():
    assert _refusal(ALLOWED) is None
    assert _refusal({**ALLOWED, "capacity": "WAITLIST"}) is None
    assert _refusal({k: v for k, v in ALLOWED.items() if k != "erased"}) is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            None,
            (
                "ValidationFailed",
                "subjectId",
                ErrorCode.NOT_FOUND,
                "No subject registered by your organisation.",
            ),
        ),
        (
            {"erased": True},
            ("ValidationFailed", "subjectId", ErrorCode.SUBJECT_ERASED, "This subject was erased."),
        ),
        (
            {"service_found": False},
            ("ValidationFailed", "serviceId", ErrorCode.UNKNOWN_SERVICE, "No such service."),
        ),
        (
            {"accepting": False},
            (
                "ValidationFailed",
                "serviceId",
                ErrorCode.SERVICE_NOT_ACCEPTING,
                "This service does not take referrals now.",
            ),
        ),
        (
            {"consent_id": None},
            (
                "PublicError",
                "subjectId",
                ErrorCode.CONSENT_REQUIRED,
                "No active consent lets the receiving organisation have this for a referral "
                "with these data categories.",
            ),
        ),
        (
            {"duplicate_id": "r-9"},
            (
                "ValidationFailed",
                "subjectId",
                ErrorCode.DUPLICATE_REFERRAL,
                "An open referral to that organisation exists: r-9.",
            ),
        ),
        (
            {"capacity": "FULL"},
            (
                "ValidationFailed",
                "serviceId",
                ErrorCode.SERVICE_FULL,
                "The service is full; send with acceptWaitlist to join its waiting list.",
            ),
        ),
    ],
)
def test_each_refusal_names_its_field_code_and_message(changes, expected):
    row = None if changes is None else {**ALLOWED, **changes}
    assert _refusal(row) == expected


def test_a_statutory_referral_or_a_draft_needs_no_consent_but_nothing_else_changes():
    no_consent = {**ALLOWED, "consent_id": None}
    assert _refusal(no_consent, statutory=True) is None
    assert _refusal(no_consent, draft=True) is None
    for options in ({"statutory": True}, {"draft": True}):
        assert _refusal({**no_consent, "erased": True}, **options)[2] == ErrorCode.SUBJECT_ERASED
        duplicate = {**no_consent, "duplicate_id": "r-1"}
        assert _refusal(duplicate, **options)[2] == ErrorCode.DUPLICATE_REFERRAL
        assert _refusal({**no_consent, "capacity": "FULL"}, **options)[2] == ErrorCode.SERVICE_FULL


def test_a_full_service_takes_the_referral_onto_its_waiting_list_when_asked():
    assert _refusal({**ALLOWED, "capacity": "FULL"}, accept_waitlist=True) is None


@pytest.mark.parametrize(
    ("changes", "first"),
    [
        # Several facts refuse: the answer is the first in this order, each pair pinned.
        ({"erased": True, "service_found": False}, ErrorCode.SUBJECT_ERASED),
        ({"service_found": False, "accepting": False}, ErrorCode.UNKNOWN_SERVICE),
        ({"accepting": False, "consent_id": None}, ErrorCode.SERVICE_NOT_ACCEPTING),
        ({"consent_id": None, "duplicate_id": "r-1"}, ErrorCode.CONSENT_REQUIRED),
        ({"duplicate_id": "r-1", "capacity": "FULL"}, ErrorCode.DUPLICATE_REFERRAL),
    ],
)
def test_the_gate_answers_the_first_refusal_in_order(changes, first):
    assert _refusal({**ALLOWED, **changes})[2] == first
