"""The one error shape of every domain's mutation payloads.

Each domain's payloads list their errors under a type of the domain's name
(`ReferralError`, `DirectoryError`, …): generated clients (graphql-codegen, Apollo's
codegen) name their classes after these types, so the names stay. They are one
definition, made here: the Error interface with one ErrorCode enum.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import graphene

from referral_hub.core.errors import ErrorCode, FieldError
from schema.core.described import described_enum

_CODES = {
    ErrorCode.REQUIRED: "A required value is missing.",
    ErrorCode.TOO_LONG: "Longer than the field allows.",
    ErrorCode.TOO_SHORT: "Shorter than the field needs.",
    ErrorCode.INVALID: "Not a value this field takes (format, characters, combination).",
    ErrorCode.UNKNOWN_KIND: "Not a known kind.",
    ErrorCode.OUT_OF_RANGE: "A number or date outside its allowed range.",
    ErrorCode.INVALID_AREA_CODE: "Not a JIS X 0402 code (its check digit fails).",
    ErrorCode.UNKNOWN_AREA: "A well-formed area code that names no area.",
    ErrorCode.UNKNOWN_TAG: "Not a tag of the hub's taxonomy.",
    ErrorCode.UNKNOWN_ORGANISATION: "No such organisation (or not one you may name).",
    ErrorCode.UNKNOWN_LOCATION: "No such location (or not your organisation's).",
    ErrorCode.UNKNOWN_SERVICE: "No such service (or not your organisation's).",
    ErrorCode.INVALID_COORDINATES: "Latitude or longitude out of range.",
    ErrorCode.INVALID_RADIUS: "A radius outside 0 to 200 km.",
    ErrorCode.INVALID_SORT: "A sort that needs an argument not given (DISTANCE: near).",
    ErrorCode.INVALID_SEARCH: "A search text that is too long.",
    ErrorCode.SELF_PARTNERSHIP: "An organisation cannot partner with itself.",
    ErrorCode.NOT_FOUND: "No such record for you.",
    ErrorCode.INVALID_PAGE_SIZE: "`first` outside 1 to the page size limit.",
    ErrorCode.INVALID_CURSOR: "`after` is not a cursor this API gave for this sort.",
    ErrorCode.INVALID_HSDS: "The file is not HSDS 3.0 the hub can read.",
    ErrorCode.GRAPH_UNAVAILABLE: "The graph database does not answer; try again later.",
    ErrorCode.MAIL_UNAVAILABLE: "Mail could not be sent; try again later.",
    ErrorCode.QUEUE_UNAVAILABLE: "The task queue does not answer; try again later.",
    ErrorCode.UNAUTHENTICATED: "No valid session or bearer token.",
    ErrorCode.FORBIDDEN: "Your role or organisation may not do this.",
    ErrorCode.SECOND_FACTOR_REQUIRED: "Sign in with your second factor first.",
    ErrorCode.REAUTHENTICATION_REQUIRED: "Confirm your password or key again first.",
    ErrorCode.RATE_LIMITED: "Too many requests; wait and retry.",
    ErrorCode.INVALID_TRANSITION: "The handoff table does not allow this step now.",
    ErrorCode.CONFLICT: "Someone changed the record since the version you saw.",
    ErrorCode.CONSENT_REQUIRED: "No consent covers this organisation, purpose or data category.",
    ErrorCode.DUPLICATE_REFERRAL: "An open referral of this subject to this service exists.",
    ErrorCode.SERVICE_FULL: "The service has no room and keeps no waiting list.",
    ErrorCode.SERVICE_NOT_ACCEPTING: "The service does not accept referrals.",
    ErrorCode.STATUTE_NOT_APPLICABLE: "The statute cited does not apply to this referral.",
    ErrorCode.STATUTORY_BLOCKED: "An auditor found a statutory referral to this receiver "
    "inappropriate; a new one needs the auditor's release.",
    ErrorCode.SUBJECT_ERASED: "The subject's personal data was erased.",
    ErrorCode.NOT_AN_OPEN_PLACE: "Murmurs are recorded at organisations that run an open "
    "exchange-type place.",
    ErrorCode.WRONG_TAG_KIND: "A tag of another kind than the field takes (e.g. a NEED tag "
    "where INTEREST tags are asked for).",
    ErrorCode.UNKNOWN_OPPORTUNITY: "No such active opportunity.",
    ErrorCode.OPPORTUNITY_MISMATCH: "The service is not the one the opportunity is taken up "
    "through.",
    ErrorCode.CONFLICTING_FILTERS: "Two arguments that exclude each other were both given.",
    ErrorCode.SUBJECT_PREFERENCE: "The subject's own preference forbids it (named in the message).",
    ErrorCode.MEETING_NOT_CITABLE: "The support meeting cited cannot justify this referral: the "
    "sender's organisation did not take part and acknowledge, the subject was not discussed, "
    "or its sight window has closed.",
    ErrorCode.MEETING_CLOSED: "The support meeting is closed: nothing more is added to it.",
    ErrorCode.FORBIDDEN_IN_MEETING: "Only the support meeting's convener may do this, or the "
    "area is outside the coordinator's own.",
}
ErrorCodeEnum = described_enum(ErrorCode, "Stable error codes.", _CODES)


class Error(graphene.Interface):
    """What every error of a mutation payload says: which input and why."""

    field = graphene.String(
        description="Input field the error is about, as named in the input (null: the whole input)."
    )
    message = graphene.String(required=True, description="Human-readable explanation.")


def domain_error(name: str, domain: str) -> type[graphene.ObjectType]:
    """`name`: an Error of `domain`'s mutations, with its code."""
    meta = type("Meta", (), {"interfaces": (Error,), "description": f"An error of {domain}."})
    code = graphene.Field(ErrorCodeEnum, required=True, description="Why, as a stable code.")
    fields = {"Meta": meta, "code": code}
    return type(name, (graphene.ObjectType,), fields)


def errors_field(error_type: type[graphene.ObjectType]) -> graphene.List:
    """A payload's `errors`: empty when the mutation did what it was asked."""
    return graphene.List(
        graphene.NonNull(error_type),
        required=True,
        description="Why the input was refused; empty when the mutation did what it was asked "
        "(then nothing else is null for that reason).",
    )


def payload_errors(
    error_type: type[graphene.ObjectType], errors: Iterable[FieldError]
) -> list[Any]:
    return [error_type(field=e.field, code=e.code.value, message=e.message) for e in errors]
