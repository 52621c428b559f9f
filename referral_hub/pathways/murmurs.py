"""Recording a murmur (つぶやき, issue 19): staff at an open place heard a concern.

Validate with the pure rules (signals.py), count the member's recordings (at most
HUB_CONCERN_SIGNALS_PER_HOUR in a clock hour, so no one can inflate a count), then one
statement checks the organisation, the need and the area and writes the signal with its
audit event. The audit says who recorded it and for which organisation; there is no
subject to name.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from graph import concern_signal_repo
from graph.concern_signal_repo import SignalRefused
from referral_hub.accounts.actor import Actor
from referral_hub.core import ratelimit
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.directory.rules import is_tag_code
from referral_hub.directory.selectors import area_error
from referral_hub.pathways.signals import RECORDING_ROLES, ROUNDS_ROLES, AgeBand, signal_month

JAPAN = ZoneInfo("Asia/Tokyo")

_NOT_AN_OPEN_PLACE = FieldError(
    None,
    ErrorCode.NOT_AN_OPEN_PLACE,
    "Murmurs are recorded at an organisation that runs an open exchange-type place.",
)
# What the graph's refusal means to the caller (graph/concern_signal_repo.py).
_REFUSALS: dict[str, FieldError] = {
    "NEED": FieldError("needTag", ErrorCode.UNKNOWN_TAG, "needTag: not a need tag of the hub."),
    "AREA": FieldError(
        "areaCode",
        ErrorCode.OUT_OF_RANGE,
        "areaCode: your organisation's own area or an area inside it.",
    ),
    # About the organisation, not a field: it runs no open place (or is no longer active).
    "EXCHANGE": _NOT_AN_OPEN_PLACE,
    "ORGANISATION": _NOT_AN_OPEN_PLACE,
}


def _recorder(actor: Actor) -> str:
    if actor.organisation_id is None or not actor.has_role(*RECORDING_ROLES):
        raise PublicError(
            ErrorCode.FORBIDDEN, "Murmurs are recorded by the staff of an open place."
        )
    return actor.organisation_id


def _cleaned(need_tag: str, area_code: str, month: date | None, age_band: str) -> dict[str, Any]:
    errors: list[FieldError] = []
    chosen, month_errors = signal_month(month, datetime.now(JAPAN).date())
    errors += month_errors
    if not is_tag_code(need_tag):  # a code, never text (graph/concern_signal_rule.py)
        errors.append(_REFUSALS["NEED"])
    if age_band not in AgeBand.__members__:
        errors.append(FieldError("ageBand", ErrorCode.INVALID, "ageBand: one of the bands."))
    if error := area_error(area_code):
        errors.append(error)
    if errors:
        raise ValidationFailed(errors)
    return {"needTag": need_tag, "areaCode": area_code, "month": chosen, "ageBand": age_band}


def concern_signal_record(
    *, actor: Actor, need_tag: str, area_code: str, age_band: str, month: date | None = None
) -> dict[str, Any]:
    """Record that a concern about `need_tag` was heard in `area_code` this month (or the
    previous one) about someone in `age_band`. Returns what was stored."""
    organisation_id = _recorder(actor)
    values = _cleaned(need_tag, area_code, month, age_band)
    # Per person, not per name: a token's name is the issuer's choice (two organisations
    # may both call one "sync", one admin may issue many), its issuer is not.
    who = actor.username if actor.user_id is None else f"user:{actor.user_id}"
    ratelimit.hit(
        "concern-signal",
        f"{organisation_id}:{who}",
        limit=settings.HUB_CONCERN_SIGNALS_PER_HOUR,
        window_seconds=3600,
    )
    signal_id = str(uuid.uuid4())
    try:
        stored = concern_signal_repo.concern_signal_record(
            fields={**values, "id": signal_id, "organisationId": organisation_id},
            audit=audit_record(actor, "CONCERN_SIGNAL_RECORD", "ConcernSignal", signal_id),
            # A volunteer who is also staff here records as staff: the place is asked.
            on_rounds=not actor.has_role(*(set(RECORDING_ROLES) - ROUNDS_ROLES)),
        )
    except SignalRefused as refused:
        raise ValidationFailed([_REFUSALS[refused.reason]]) from refused
    return {
        "id": stored["id"],
        "need_tag": stored["needTag"],
        "area_code": stored["areaCode"],
        "month": values["month"],
        "age_band": stored["ageBand"],
    }
