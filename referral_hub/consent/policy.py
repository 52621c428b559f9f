"""Consent (modelled on FHIR Consent): what it permits, when, and how it is recorded.

The graph enforces the rule inside the Cypher statement that reads a subject
(graph/consent_rule.py) — that is the only place production checks it. `permits` states
the same consent clause in Python, clause for clause, so each can be unit-tested and read;
the property test's state machine (tests/referrals/consent_machine.py) holds it to the
same plain oracle it holds the Cypher to, at every look. `consent_errors` refuses what may
not be recorded. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from referral_hub.core.errors import ErrorCode, FieldError
from referral_hub.directory.rules import OrganisationKind


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
    SUBJECT = "SUBJECT"  # the person themself, from the year they turn 18
    GUARDIAN = "GUARDIAN"  # a parent (親権者 or 未成年後見人), for a minor
    # A legally appointed guardian of an adult (成年後見人, 保佐人 or 補助人: issue 20),
    # with the appointment's kind in guardianship_type.
    LEGAL_GUARDIAN = "LEGAL_GUARDIAN"


class GuardianshipType(StrEnum):
    """The family court's appointment (民法 arts. 7-17) a LEGAL_GUARDIAN acts under."""

    GUARDIANSHIP = "GUARDIANSHIP"  # 後見: 成年後見人
    CURATORSHIP = "CURATORSHIP"  # 保佐: 保佐人
    ASSISTANCE = "ASSISTANCE"  # 補助: 補助人


ADULT_AGE = 18
# How the guardian is related (母, 保佐人（司法書士）): a few words, kept in plain text on the
# consent node and printed on the form, so no room for a name or a story.
GUARDIAN_RELATIONSHIP_MAX = 100
MAX_VALIDITY_YEARS = 3
# A consent may be recorded ahead of the day it starts, but not by more than this: a
# validFrom years ahead would keep the subject's data (and its erasure) waiting on it.
MAX_START_AHEAD_DAYS = 90
KNOWN_KINDS = frozenset(kind.value for kind in OrganisationKind)
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
    given_by: GivenBy = GivenBy.SUBJECT
    subject_birth_year: int | None = None


@dataclass(frozen=True, kw_only=True)
class ConsentTerms:
    """A consent as its recorder states it (recordConsent's and amendConsent's input),
    before any check: every field may be missing or null, as a client may send it."""

    given_by: str | None
    purposes: Sequence[str] | None
    categories: Sequence[str] | None
    valid_until: date | None
    method: str | None
    guardian_relationship: str | None = None
    guardianship_type: str | None = None
    organisation_ids: Sequence[str] | None = ()
    organisation_kinds: Sequence[str] | None = ()
    area_code: str | None = None
    valid_from: date | None = None
    evidence_sha256: str | None = None


@dataclass(frozen=True)
class Recipient:
    organisation_id: str
    kind: str
    area_code: str | None
    active: bool = True


# Only these purposes ever return identified data; STATISTICS never does.
IDENTIFIED_PURPOSES = frozenset(
    {Purpose.REFERRAL, Purpose.CASE_COORDINATION, Purpose.SERVICE_DELIVERY}
)


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
    if (
        consent.given_by == GivenBy.GUARDIAN
        and consent.subject_birth_year is not None
        and not guardian_speaks_for(consent.subject_birth_year, today)
    ):
        return Decision(False, "a guardian's consent ends in the year the subject turns 18")
    if not recipient.active:
        return Decision(False, "the organisation is deactivated")
    named = recipient.organisation_id in consent.organisation_ids
    by_kind = recipient.kind in consent.organisation_kinds and (
        recipient.area_code is not None and recipient.area_code in consent.kind_area_codes
    )
    if not (named or by_kind):
        return Decision(False, "the consent does not name this organisation or its kind here")
    if purpose not in consent.purposes:
        return Decision(False, f"the consent does not cover the purpose {purpose.value}")
    if purpose not in IDENTIFIED_PURPOSES:
        return Decision(False, f"{purpose.value} never receives identified data")
    missing = set(categories) - consent.categories
    if missing:
        names = ", ".join(sorted(c.value for c in missing))
        return Decision(False, f"the consent does not cover the data categories {names}")
    return Decision(True, "permitted")


def years_later(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def guardian_speaks_for(birth_year: int, today: date) -> bool:
    """With only a birth year known, a guardian consents for the subject until 1 January
    of the year the subject turns 18; from then on the subject consents themself (a
    17-year-old may do so for the rest of that year, rather than no one being able to)."""
    return today.year - birth_year < ADULT_AGE


def consent_errors(terms: ConsentTerms, *, birth_year: int, today: date) -> list[FieldError]:
    """Everything wrong with a consent to be recorded (values already typed by the schema)."""
    return [
        *_giver_errors(terms, birth_year=birth_year, today=today),
        *_scope_errors(terms),
        *_period_errors(terms, today=today),
        *_evidence_errors(terms),
    ]


def _giver_errors(terms: ConsentTerms, *, birth_year: int, today: date) -> list[FieldError]:
    """Who gives it: the subject from the year they turn 18, a named guardian before."""
    errors = _legal_guardian_errors(terms, minor=guardian_speaks_for(birth_year, today))
    given_by = terms.given_by
    if given_by == GivenBy.SUBJECT and guardian_speaks_for(birth_year, today):
        errors.append(
            FieldError(
                "givenBy",
                ErrorCode.INVALID,
                "The subject is under 18: a guardian must give the consent.",
            )
        )
    if given_by == GivenBy.GUARDIAN and not guardian_speaks_for(birth_year, today):
        errors.append(
            FieldError(
                "givenBy",
                ErrorCode.INVALID,
                "The subject turns 18 this year or is older: they give the consent themself.",
            )
        )
    if given_by == GivenBy.GUARDIAN and not (terms.guardian_relationship or "").strip():
        errors.append(
            FieldError(
                "guardianRelationship", ErrorCode.REQUIRED, "Say how the guardian is related."
            )
        )
    if len(terms.guardian_relationship or "") > GUARDIAN_RELATIONSHIP_MAX:
        errors.append(
            FieldError(
                "guardianRelationship",
                ErrorCode.TOO_LONG,
                f"guardianRelationship is at most {GUARDIAN_RELATIONSHIP_MAX} characters.",
            )
        )
    return errors


def _legal_guardian_errors(terms: ConsentTerms, *, minor: bool) -> list[FieldError]:
    """A legally appointed guardian speaks for an adult only, under a named appointment;
    the appointment's kind belongs to a LEGAL_GUARDIAN's consent and to no other."""
    if terms.given_by != GivenBy.LEGAL_GUARDIAN:
        if terms.guardianship_type is None:
            return []
        return [
            FieldError(
                "guardianshipType",
                ErrorCode.INVALID,
                "Only a legally appointed guardian's consent names a guardianship type.",
            )
        ]
    errors = []
    if minor:
        errors.append(
            FieldError(
                "givenBy",
                ErrorCode.INVALID,
                "The subject is under 18: a parent or other guardian gives the consent.",
            )
        )
    if terms.guardianship_type is None:
        errors.append(
            FieldError(
                "guardianshipType",
                ErrorCode.REQUIRED,
                "Say which appointment the legal guardian acts under (後見, 保佐 or 補助).",
            )
        )
    return errors


def _scope_errors(terms: ConsentTerms) -> list[FieldError]:
    """What it covers: purposes, data categories, and organisations or kinds in an area."""
    errors = []
    if not terms.purposes:
        errors.append(FieldError("purposes", ErrorCode.REQUIRED, "Name at least one purpose."))
    if not terms.categories:
        errors.append(
            FieldError("categories", ErrorCode.REQUIRED, "Name at least one data category.")
        )
    if not terms.organisation_ids and not terms.organisation_kinds:
        errors.append(
            FieldError(
                "organisationIds",
                ErrorCode.REQUIRED,
                "Name the organisations, or organisation kinds in an area, it permits.",
            )
        )
    unknown = sorted(set(terms.organisation_kinds or []) - KNOWN_KINDS)
    if unknown:
        errors.append(
            FieldError(
                "organisationKinds",
                ErrorCode.UNKNOWN_KIND,
                f"Not an organisation kind: {', '.join(unknown)}.",
            )
        )
    if terms.organisation_kinds and not terms.area_code:
        errors.append(
            FieldError(
                "areaCode", ErrorCode.REQUIRED, "Organisation kinds are permitted within an area."
            )
        )
    return errors


def _period_errors(terms: ConsentTerms, *, today: date) -> list[FieldError]:
    """When: from at most MAX_START_AHEAD_DAYS ahead, for at most MAX_VALIDITY_YEARS."""
    errors = []
    valid_from, valid_until = terms.valid_from or today, terms.valid_until
    if (valid_from - today).days > MAX_START_AHEAD_DAYS:
        errors.append(
            FieldError(
                "validFrom",
                ErrorCode.OUT_OF_RANGE,
                f"A consent starts at most {MAX_START_AHEAD_DAYS} days after it is recorded.",
            )
        )
    if valid_until is None:
        errors.append(
            FieldError(
                "validUntil", ErrorCode.REQUIRED, "A consent needs an end date (at most 3 years)."
            )
        )
    elif valid_until < valid_from:
        errors.append(
            FieldError("validUntil", ErrorCode.OUT_OF_RANGE, "validUntil is before validFrom.")
        )
    elif valid_until > years_later(valid_from, MAX_VALIDITY_YEARS):
        errors.append(
            FieldError("validUntil", ErrorCode.OUT_OF_RANGE, "A consent lasts at most three years.")
        )
    return errors


def _evidence_errors(terms: ConsentTerms) -> list[FieldError]:
    """The document's SHA-256: well formed, and there for a written or digital consent."""
    evidence = terms.evidence_sha256
    if evidence is not None and not _SHA256.match(str(evidence)):
        return [
            FieldError(
                "evidenceSha256", ErrorCode.INVALID, "evidenceSha256 is 64 lower-case hex digits."
            )
        ]
    if evidence is None and terms.method in (Method.WRITTEN, Method.DIGITAL):
        return [
            FieldError(
                "evidenceSha256",
                ErrorCode.REQUIRED,
                "A written or digital consent records the SHA-256 of its document.",
            )
        ]
    return []
