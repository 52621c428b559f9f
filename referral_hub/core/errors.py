"""Domain errors that may be shown to a client, with a stable code each.

Services raise these; the GraphQL layer translates them into mutation payload
errors or top-level errors with `extensions.code`. Anything that is not a
`PublicError` is treated as internal and never shown to a client.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_SHORT = "TOO_SHORT"
    INVALID = "INVALID"
    UNKNOWN_KIND = "UNKNOWN_KIND"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    INVALID_AREA_CODE = "INVALID_AREA_CODE"
    UNKNOWN_AREA = "UNKNOWN_AREA"
    UNKNOWN_TAG = "UNKNOWN_TAG"
    UNKNOWN_ORGANISATION = "UNKNOWN_ORGANISATION"
    UNKNOWN_LOCATION = "UNKNOWN_LOCATION"
    UNKNOWN_SERVICE = "UNKNOWN_SERVICE"
    INVALID_COORDINATES = "INVALID_COORDINATES"
    INVALID_RADIUS = "INVALID_RADIUS"
    INVALID_SORT = "INVALID_SORT"
    INVALID_SEARCH = "INVALID_SEARCH"
    SELF_PARTNERSHIP = "SELF_PARTNERSHIP"
    NOT_FOUND = "NOT_FOUND"
    INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE"
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_HSDS = "INVALID_HSDS"
    GRAPH_UNAVAILABLE = "GRAPH_UNAVAILABLE"
    MAIL_UNAVAILABLE = "MAIL_UNAVAILABLE"
    QUEUE_UNAVAILABLE = "QUEUE_UNAVAILABLE"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    SECOND_FACTOR_REQUIRED = "SECOND_FACTOR_REQUIRED"
    REAUTHENTICATION_REQUIRED = "REAUTHENTICATION_REQUIRED"
    RATE_LIMITED = "RATE_LIMITED"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    CONFLICT = "CONFLICT"
    CONSENT_REQUIRED = "CONSENT_REQUIRED"
    DUPLICATE_REFERRAL = "DUPLICATE_REFERRAL"
    SERVICE_FULL = "SERVICE_FULL"
    SERVICE_NOT_ACCEPTING = "SERVICE_NOT_ACCEPTING"
    STATUTE_NOT_APPLICABLE = "STATUTE_NOT_APPLICABLE"
    STATUTORY_BLOCKED = "STATUTORY_BLOCKED"
    SUBJECT_ERASED = "SUBJECT_ERASED"
    NOT_AN_OPEN_PLACE = "NOT_AN_OPEN_PLACE"  # murmurs: the organisation runs no exchange-type place
    WRONG_TAG_KIND = "WRONG_TAG_KIND"  # a tag of another kind where one kind is asked (INTEREST)
    UNKNOWN_OPPORTUNITY = "UNKNOWN_OPPORTUNITY"  # no such active opportunity (issue 19)
    OPPORTUNITY_MISMATCH = "OPPORTUNITY_MISMATCH"  # serviceId is not the opportunity's VIA
    # publicPlaces/publicOpportunities: areaCode and near both given (one or the other)
    CONFLICTING_FILTERS = "CONFLICTING_FILTERS"
    # The subject's own preference (doNotRefer, exchangeOnly, noContactBefore) forbids it.
    SUBJECT_PREFERENCE = "SUBJECT_PREFERENCE"
    # Support meetings (issue 20): createReferral's meetingId is no meeting the sender's
    # organisation took part in and acknowledged, about this subject, within its sight.
    MEETING_NOT_CITABLE = "MEETING_NOT_CITABLE"
    # A closed support meeting takes nothing more (subjects, minutes, decisions, invites).
    MEETING_CLOSED = "MEETING_CLOSED"
    # A participant of a support meeting tried what only its convener may do.
    FORBIDDEN_IN_MEETING = "FORBIDDEN_IN_MEETING"


# Refusals of the request itself rather than of its input: never a mutation's `errors`.
REQUEST_LEVEL = frozenset(
    {
        ErrorCode.UNAUTHENTICATED,
        ErrorCode.FORBIDDEN,
        ErrorCode.SECOND_FACTOR_REQUIRED,
        ErrorCode.REAUTHENTICATION_REQUIRED,
        ErrorCode.RATE_LIMITED,
        ErrorCode.GRAPH_UNAVAILABLE,
        ErrorCode.MAIL_UNAVAILABLE,
        ErrorCode.QUEUE_UNAVAILABLE,
    }
)


@dataclass(frozen=True)
class FieldError:
    field: str | None
    code: ErrorCode
    message: str


class PublicError(Exception):
    """An error whose code and message are safe to show to the caller."""

    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class ValidationFailed(PublicError):
    """Input was rejected before anything was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        assert errors, "ValidationFailed needs at least one error"
        first = errors[0]
        super().__init__(first.code, first.message, field=first.field)
        self.errors = errors

    @classmethod
    def one(cls, field: str | None, code: ErrorCode, message: str) -> ValidationFailed:
        """Input refused for one reason, about one field."""
        return cls([FieldError(field, code, message)])
