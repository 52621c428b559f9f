"""Pure rules for creating a referral: urgency, deadline and what may stop it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed


class Urgency(StrEnum):
    ROUTINE = "ROUTINE"
    PRIORITY = "PRIORITY"
    URGENT = "URGENT"


# An urgent referral is answered within hours whatever the service's usual target.
_URGENCY_CAP_HOURS = {Urgency.ROUTINE: None, Urgency.PRIORITY: 24, Urgency.URGENT: 4}


def deadline_hours(response_target_hours: int, urgency: Urgency) -> int:
    cap = _URGENCY_CAP_HOURS[urgency]
    return response_target_hours if cap is None else min(response_target_hours, cap)


def creation_refusal(
    row: dict[str, Any] | None,
    *,
    accept_waitlist: bool,
    statutory: bool = False,
    draft: bool = False,
    opportunity_id: str | None = None,
    service_id: str = "",
) -> None:
    """Raise the reason a referral cannot be created from the looked-up facts, if any.

    A statutory referral needs no consent (its justification was checked before), nor
    does a DRAFT: it is the sender's own until it is sent, and sending needs one."""
    if row is None:
        raise ValidationFailed.one(
            "subjectId", ErrorCode.NOT_FOUND, "No subject registered by your organisation."
        )
    if row.get("erased"):
        # The key is destroyed: nothing about the subject may be shared again, under any
        # basis (a statute included).
        raise ValidationFailed.one(
            "subjectId", ErrorCode.SUBJECT_ERASED, "This subject was erased."
        )
    if not row["service_found"]:
        raise ValidationFailed.one("serviceId", ErrorCode.UNKNOWN_SERVICE, "No such service.")
    if not row["accepting"]:
        raise ValidationFailed.one(
            "serviceId",
            ErrorCode.SERVICE_NOT_ACCEPTING,
            "This service does not take referrals now.",
        )
    # What the caller asked for is checked before what the graph's consent allows.
    opportunity_refusal(row, opportunity_id=opportunity_id, service_id=service_id)
    if row["consent_id"] is None and not statutory and not draft:
        raise PublicError(
            ErrorCode.CONSENT_REQUIRED,
            "No active consent lets the receiving organisation have this for "
            "a referral with these data categories.",
            field="subjectId",
        )
    if row["duplicate_id"] is not None:
        raise ValidationFailed.one(
            "subjectId",
            ErrorCode.DUPLICATE_REFERRAL,
            f"An open referral to that organisation exists: {row['duplicate_id']}.",
        )
    if row["capacity"] == "FULL" and not accept_waitlist:
        raise ValidationFailed.one(
            "serviceId",
            ErrorCode.SERVICE_FULL,
            "The service is full; send with acceptWaitlist to join its waiting list.",
        )


def purpose_errors(purpose: str, opportunity_id: str | None) -> list[FieldError]:
    """An OFFER_ROLE referral names the opportunity it offers; a SUPPORT one names none."""
    if purpose == "OFFER_ROLE" and opportunity_id is None:
        return [
            FieldError(
                "opportunityId", ErrorCode.REQUIRED, "An OFFER_ROLE referral names its opportunity."
            )
        ]
    if purpose != "OFFER_ROLE" and opportunity_id is not None:
        return [
            FieldError(
                "opportunityId",
                ErrorCode.INVALID,
                "Only an OFFER_ROLE referral names an opportunity.",
            )
        ]
    return []


def opportunity_refusal(
    row: dict[str, Any], *, opportunity_id: str | None, service_id: str
) -> None:
    """An OFFER_ROLE referral goes to the service its (active) opportunity is taken up
    through: the role is the receiving organisation's, so every referral rule holds."""
    if opportunity_id is None:
        return
    opportunity = row.get("opportunity")
    if opportunity is None or not opportunity["active"]:
        raise ValidationFailed.one(
            "opportunityId", ErrorCode.UNKNOWN_OPPORTUNITY, "No such active opportunity."
        )
    if opportunity["via"] != service_id:
        raise ValidationFailed.one(
            "serviceId",
            ErrorCode.OPPORTUNITY_MISMATCH,
            f"The opportunity is taken up through service {opportunity['via']}.",
        )


def offer_refusal(row: dict[str, Any]) -> None:
    """Sending an OFFER_ROLE draft: the role it offers must still be open and still taken
    up through the draft's service (it may have been archived since the draft was kept)."""
    if row.get("referral_purpose") != "OFFER_ROLE":
        return
    offered = row.get("offered")
    if offered is None or not offered["active"] or offered["via"] != row["service_id"]:
        raise PublicError(
            ErrorCode.UNKNOWN_OPPORTUNITY,
            "The role this draft offers is no longer open; it cannot be sent.",
            field="id",
        )
