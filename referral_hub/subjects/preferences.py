"""The subject's own choices about being connected (つながらないことも権利). Pure: no I/O.

A preference is recorded by the registering organisation with the subject (or their
guardian): do not refer at all, refer only to exchange-type places, no contact before a
date, how to be contacted, and what not to mention. It limits what the hub does for
everyone who relies on consent or on most statutes; only a statutory child-protection
referral goes ahead against it, and that is audited as an override (`YIELDS_TO`).
docs/preferences.md says why the exception is this narrow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from referral_hub.consent.legal_basis import LegalBasis
from referral_hub.consent.policy import MAX_VALIDITY_YEARS, guardian_speaks_for, years_later
from referral_hub.core.errors import ErrorCode, FieldError
from referral_hub.core.validation import CONTROL_CHARACTERS, normalise_text

AVOID_MENTIONING_MAX = 1000
E = TypeVar("E", bound=StrEnum)


class ContactRoute(StrEnum):
    """How the subject would rather be reached by whoever receives them."""

    VIA_SCHOOL = "VIA_SCHOOL"
    VIA_GUARDIAN = "VIA_GUARDIAN"
    SUBJECT_DIRECTLY = "SUBJECT_DIRECTLY"
    PHONE = "PHONE"
    LETTER = "LETTER"
    AT_A_PLACE = "AT_A_PLACE"


class PreferenceGiver(StrEnum):
    SUBJECT = "SUBJECT"
    GUARDIAN = "GUARDIAN"


class PreferenceKind(StrEnum):
    """The choices that can stop a referral; named as the API's fields are."""

    DO_NOT_REFER = "doNotRefer"
    EXCHANGE_ONLY = "exchangeOnly"
    NO_CONTACT_BEFORE = "noContactBefore"


# Which legal bases a preference yields to: True only where the law asks the hub to act
# whatever the person wishes. A child-protection notification (児童虐待防止法 art. 6) is
# a duty, not a choice; every other basis — consent, APPI 27-1-iii (a permission to share
# without consent, not a duty) and a support meeting's SWA 106-6 — respects the subject's
# wish. Written out for every basis, so a new basis must be placed here on purpose.
YIELDS_TO: Mapping[LegalBasis, bool] = {
    LegalBasis.CONSENT: False,
    LegalBasis.STATUTORY_SWA_106_6: False,
    LegalBasis.STATUTORY_APPI_27_1_III: False,
    LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION: True,
}


@dataclass(frozen=True)
class PreferenceTerms:
    """What a counsellor records with the subject (input, before checking)."""

    given_by: str | None
    do_not_refer: bool | None = False
    exchange_only: bool | None = False
    no_contact_before: date | None = None
    contact_route: str | None = None
    avoid_mentioning: str | None = None


@dataclass(frozen=True)
class CheckedPreference:
    given_by: PreferenceGiver
    do_not_refer: bool
    exchange_only: bool
    no_contact_before: date | None
    contact_route: ContactRoute | None
    avoid_mentioning: str | None


def preference_errors(
    terms: PreferenceTerms, *, birth_year: int, today: date
) -> tuple[CheckedPreference | None, list[FieldError]]:
    """The preference to keep, or every reason it cannot be kept.

    A subject of any age may state their own wish (a wish not to be connected only ever
    narrows what the hub does); a guardian speaks for them only until the year they turn
    18, as for consent. noContactBefore is today or later (a past date would be a no-op,
    most likely a slip) and at most three years ahead, like a consent's validity."""
    errors: list[FieldError] = []
    given_by = _choice(PreferenceGiver, terms.given_by, "givenBy", errors, required=True)
    if given_by == PreferenceGiver.GUARDIAN and not guardian_speaks_for(birth_year, today):
        errors.append(
            FieldError(
                "givenBy",
                ErrorCode.INVALID,
                "The subject turns 18 this year or is older: they state their own preference.",
            )
        )
    route = _choice(ContactRoute, terms.contact_route, "contactRoute", errors)
    before = terms.no_contact_before
    if before is not None and before < today:
        errors.append(
            FieldError(
                "noContactBefore", ErrorCode.OUT_OF_RANGE, "noContactBefore is today or later."
            )
        )
    elif before is not None and before > years_later(today, MAX_VALIDITY_YEARS):
        errors.append(
            FieldError(
                "noContactBefore",
                ErrorCode.OUT_OF_RANGE,
                f"noContactBefore is at most {MAX_VALIDITY_YEARS} years ahead.",
            )
        )
    avoid = _avoid_mentioning(terms.avoid_mentioning, errors)
    do_not_refer, exchange_only = bool(terms.do_not_refer), bool(terms.exchange_only)
    # Only when every choice given holds: a refused choice is reported as itself.
    if not errors and not (do_not_refer or exchange_only or before or route or avoid):
        errors.append(
            FieldError(
                "doNotRefer",
                ErrorCode.REQUIRED,
                "State at least one choice; to remove a preference, lift it.",
            )
        )
    if errors or given_by is None:
        return None, errors
    return (
        CheckedPreference(
            given_by=given_by,
            do_not_refer=do_not_refer,
            exchange_only=exchange_only,
            no_contact_before=before,
            contact_route=route,
            avoid_mentioning=avoid,
        ),
        [],
    )


def _choice(
    enum: type[E], raw: Any, field: str, errors: list[FieldError], *, required: bool = False
) -> E | None:
    value = getattr(raw, "value", raw)
    if value is None:
        if required:
            errors.append(FieldError(field, ErrorCode.REQUIRED, f"{field} is required."))
        return None
    try:
        return enum(value)
    except ValueError:
        errors.append(FieldError(field, ErrorCode.INVALID, f"{field} is not one of the choices."))
        return None


def _avoid_mentioning(raw: str | None, errors: list[FieldError]) -> str | None:
    if raw is None:
        return None
    if CONTROL_CHARACTERS.search(raw):
        errors.append(
            FieldError("avoidMentioning", ErrorCode.INVALID, "avoidMentioning holds control codes.")
        )
        return None
    text = normalise_text(raw)
    if len(text) > AVOID_MENTIONING_MAX:
        errors.append(
            FieldError(
                "avoidMentioning",
                ErrorCode.TOO_LONG,
                f"avoidMentioning must be at most {AVOID_MENTIONING_MAX} characters.",
            )
        )
        return None
    return text or None


@dataclass(frozen=True)
class Verdict:
    """What an active preference says of one referral being sent now."""

    blocked_by: PreferenceKind | None  # the preference it goes against, if any
    message: str | None
    overridden: bool  # it goes ahead anyway: a statute the preference yields to


ALLOWED = Verdict(blocked_by=None, message=None, overridden=False)


def referral_verdict(
    preference: Mapping[str, Any] | None,
    *,
    basis: LegalBasis | str,
    service_mode: str | None,
    today: Any,
) -> Verdict:
    """Whether sending a referral now to a service of `service_mode` goes against the
    subject's active preference (a map of doNotRefer, exchangeOnly, noContactBefore), and
    whether `basis` overrides it. The first of doNotRefer, exchangeOnly, noContactBefore
    that applies is the one named. `today` and the date may come from the graph."""
    blocked = _blocked_by(preference or {}, service_mode=service_mode, today=_as_date(today))
    if blocked is None:
        return ALLOWED
    kind, message = blocked
    if YIELDS_TO[LegalBasis(str(basis))]:
        return Verdict(blocked_by=kind, message=message, overridden=True)
    return Verdict(blocked_by=kind, message=message, overridden=False)


def _blocked_by(
    preference: Mapping[str, Any], *, service_mode: str | None, today: date
) -> tuple[PreferenceKind, str] | None:
    if preference.get("doNotRefer"):
        return PreferenceKind.DO_NOT_REFER, "The subject asked not to be referred (doNotRefer)."
    if preference.get("exchangeOnly") and service_mode != "EXCHANGE":
        return (
            PreferenceKind.EXCHANGE_ONLY,
            "The subject asked to be referred only to exchange-type places (exchangeOnly); "
            "this service is support-type.",
        )
    before = preference.get("noContactBefore")
    if before is not None and today < _as_date(before):
        return (
            PreferenceKind.NO_CONTACT_BEFORE,
            f"The subject asked not to be contacted before {_as_date(before).isoformat()} "
            "(noContactBefore).",
        )
    return None


def _as_date(value: Any) -> date:
    """A date from the graph (neo4j.time.Date has to_native) or from Python."""
    native = getattr(value, "to_native", None)
    return native() if callable(native) else value


def leaves_out(preference: Mapping[str, Any] | None, *, service_mode: str) -> PreferenceKind | None:
    """Which preference keeps a service out of the subject's recommendations: doNotRefer
    keeps every service out, exchangeOnly every support-type one. (noContactBefore is
    about when, not where: recommending a place contacts no one.)"""
    if not preference:
        return None
    if preference.get("doNotRefer"):
        return PreferenceKind.DO_NOT_REFER
    if preference.get("exchangeOnly") and service_mode != "EXCHANGE":
        return PreferenceKind.EXCHANGE_ONLY
    return None
