"""Consent (modelled on FHIR Consent): what it permits, when, and how it is recorded.

This module is the specification in Python. The graph enforces the same rule inside
the Cypher statement that reads a subject; tests use `permits` as the oracle the
graph must agree with. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from referral_hub.core.errors import ErrorCode, FieldError


class ConsentState(StrEnum):
    ACTIVE = "ACTIVE"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"


class Purpose(StrEnum):
    REFERRAL = "REFERRAL"
    CASE_COORDINATION = "CASE_COORDINATION"
    SERVICE_DELIVERY = "SERVICE_DELIVERY"
    STATISTICS = "STATISTICS"


class DataCategory(StrEnum):
    CONTACT = "CONTACT"
    SCHOOL_ATTENDANCE = "SCHOOL_ATTENDANCE"
    HEALTH = "HEALTH"
    FAMILY = "FAMILY"
    FINANCIAL = "FINANCIAL"
    NOTES = "NOTES"


class Method(StrEnum):
    WRITTEN = "WRITTEN"
    VERBAL = "VERBAL"
    DIGITAL = "DIGITAL"


class GivenBy(StrEnum):
    SUBJECT = "SUBJECT"
    GUARDIAN = "GUARDIAN"


ADULT_AGE = 18
MAX_VALIDITY_DAYS = 3 * 366
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Consent:
    state: ConsentState
    purposes: frozenset[Purpose]
    categories: frozenset[DataCategory]
    organisation_ids: frozenset[str]
    organisation_kinds: frozenset[str]
    kind_area_codes: frozenset[str]  # the area (with the areas below it) the kinds apply in
    valid_from: date
    valid_until: date | None


@dataclass(frozen=True)
class Recipient:
    organisation_id: str
    kind: str
    area_code: str | None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def effective_state(consent: Consent, today: date) -> ConsentState:
    """An ACTIVE consent past its end is EXPIRED even before the daily task records it."""
    if (
        consent.state == ConsentState.ACTIVE
        and consent.valid_until is not None
        and consent.valid_until < today
    ):
        return ConsentState.EXPIRED
    return consent.state


def permits(
    consent: Consent,
    recipient: Recipient,
    *,
    purpose: Purpose,
    categories: Iterable[DataCategory],
    today: date,
) -> Decision:
    """Whether this consent lets `recipient` see the subject for `purpose` and `categories`."""
    state = effective_state(consent, today)
    if state != ConsentState.ACTIVE:
        return Decision(False, f"the consent is {state.value}")
    if today < consent.valid_from:
        return Decision(False, "the consent is not valid yet")
    named = recipient.organisation_id in consent.organisation_ids
    by_kind = recipient.kind in consent.organisation_kinds and (
        recipient.area_code is not None and recipient.area_code in consent.kind_area_codes
    )
    if not (named or by_kind):
        return Decision(False, "the consent does not name this organisation or its kind here")
    if purpose not in consent.purposes:
        return Decision(False, f"the consent does not cover the purpose {purpose.value}")
    missing = set(categories) - consent.categories
    if missing:
        names = ", ".join(sorted(c.value for c in missing))
        return Decision(False, f"the consent does not cover the data categories {names}")
    return Decision(True, "permitted")


def possibly_minor(birth_year: int, today: date) -> bool:
    """With only a birth year known, anyone who may still be under 18 counts as a minor."""
    return today.year - birth_year - 1 < ADULT_AGE


def consent_errors(data: Mapping[str, Any], *, birth_year: int, today: date) -> list[FieldError]:
    """Everything wrong with a consent to be recorded (values already typed by the schema)."""
    errors: list[FieldError] = []

    def err(field: str, code: ErrorCode, message: str) -> None:
        errors.append(FieldError(field, code, message))

    given_by = data.get("givenBy")
    if given_by == GivenBy.SUBJECT and possibly_minor(birth_year, today):
        err(
            "givenBy",
            ErrorCode.INVALID,
            "The subject may be under 18: a guardian must give the consent.",
        )
    if given_by == GivenBy.GUARDIAN and not (data.get("guardianRelationship") or "").strip():
        err("guardianRelationship", ErrorCode.REQUIRED, "Say how the guardian is related.")
    if not data.get("purposes"):
        err("purposes", ErrorCode.REQUIRED, "Name at least one purpose.")
    if not data.get("categories"):
        err("categories", ErrorCode.REQUIRED, "Name at least one data category.")
    if not data.get("organisationIds") and not data.get("organisationKinds"):
        err(
            "organisationIds",
            ErrorCode.REQUIRED,
            "Name the organisations, or organisation kinds in an area, it permits.",
        )
    if data.get("organisationKinds") and not data.get("areaCode"):
        err("areaCode", ErrorCode.REQUIRED, "Organisation kinds are permitted within an area.")
    valid_from, valid_until = data.get("validFrom") or today, data.get("validUntil")
    if valid_until is not None:
        if valid_until < valid_from:
            err("validUntil", ErrorCode.OUT_OF_RANGE, "validUntil is before validFrom.")
        elif (valid_until - valid_from).days > MAX_VALIDITY_DAYS:
            err("validUntil", ErrorCode.OUT_OF_RANGE, "A consent lasts at most three years.")
    else:
        err("validUntil", ErrorCode.REQUIRED, "A consent needs an end date (at most 3 years).")
    evidence = data.get("evidenceSha256")
    if evidence is not None and not _SHA256.match(str(evidence)):
        err("evidenceSha256", ErrorCode.INVALID, "evidenceSha256 is 64 lower-case hex digits.")
    if evidence is None and data.get("method") in (Method.WRITTEN, Method.DIGITAL):
        err(
            "evidenceSha256",
            ErrorCode.REQUIRED,
            "A written or digital consent records the SHA-256 of its document.",
        )
    return errors
