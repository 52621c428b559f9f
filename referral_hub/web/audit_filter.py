"""The audit explorer's filter form, read into the API's AuditFilterInput (pure).

Dates are whole days in the hub's time zone (Asia/Tokyo): "since" from the start of its
day, "until" to the end of its day. Anything unreadable is an error beside its field,
and nothing is asked of the API until the form reads cleanly.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from referral_hub.consent.legal_basis import AUDIT_BASES
from referral_hub.core.validation import USERNAME_MAX

TOKYO = ZoneInfo("Asia/Tokyo")
ACTION = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
TARGET_MAX = 100
BASES = AUDIT_BASES


@dataclass(frozen=True)
class AuditForm:
    filter: dict[str, str | bool] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field -> message key


# The log began in this century; the bounds keep "the day after" and UTC inside the years
# a datetime can hold (9999-12-31 has no next day).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9998, 12, 31)


def _day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def read(params: Mapping[str, str]) -> AuditForm:
    chosen: dict[str, str | bool] = {}
    errors: dict[str, str] = {}
    action = params.get("action", "").strip().upper()
    if action:
        if ACTION.fullmatch(action):
            chosen["action"] = action
        else:
            errors["action"] = "action"
    target = params.get("target", "").strip()
    if target:
        if len(target) <= TARGET_MAX and target.isprintable():
            chosen["targetId"] = target
        else:
            errors["target"] = "target"
    actor = params.get("actor", "").strip()
    if actor:
        if len(actor) <= USERNAME_MAX and actor.isprintable():
            chosen["actorUser"] = actor
        else:
            errors["actor"] = "actor"
    basis = params.get("basis", "").strip()
    if basis:
        if basis in BASES:
            chosen["legalBasis"] = basis
        else:
            errors["basis"] = "basis"
    if params.get("statutory") == "1":
        chosen["statutoryOnly"] = True
    organisation = params.get("organisation", "").strip()
    if organisation:
        try:
            chosen["organisationId"] = str(uuid.UUID(organisation))
        except ValueError:
            errors["organisation"] = "organisation"
    since, until = params.get("since", "").strip(), params.get("until", "").strip()
    first_day, last_day = _day(since) if since else None, _day(until) if until else None
    if since and first_day is None:
        errors["since"] = "date"
    if until and last_day is None:
        errors["until"] = "date"
    if first_day and last_day and last_day < first_day:
        errors["until"] = "order"
    if first_day and "since" not in errors:
        chosen["since"] = datetime.combine(first_day, time.min, TOKYO).isoformat()
    if last_day and "until" not in errors:
        end = datetime.combine(last_day + timedelta(days=1), time.min, TOKYO)
        chosen["until"] = end.isoformat()
    return AuditForm(filter={} if errors else chosen, errors=errors)
