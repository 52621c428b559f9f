"""The rules of a support meeting (支援会議). Pure: no I/O.

A COORDINATOR convenes a meeting for an area it coordinates; organisations and named
members are invited; each participant member acknowledges the statutory duty of
confidentiality (社会福祉法 第106条の6 第6項) before seeing anything of it; the convener
adds the subjects discussed (the statute is the basis: no consent is needed), records
minutes and decisions, and closes it. A participant sees the meeting's subjects only
until the sight window ends: the meeting's end (when it was closed, or when it was
convened plus its duration) plus HUB_MEETING_SIGHT_DAYS days. The same rule is written in
Cypher (graph/meeting_repo.py) where reads enforce it; these functions are its reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from referral_hub.core.errors import ErrorCode, FieldError
from referral_hub.core.validation import CONTROL_CHARACTERS, normalise_text

TITLE_MAX = 200
TEXT_MAX = 8000
DURATION_MIN = 15  # minutes
DURATION_MAX = 8 * 60
DEFAULT_DURATION = 120
INVITES_MAX = 50


class State(StrEnum):
    CONVENED = "CONVENED"
    CLOSED = "CLOSED"


class Standing(StrEnum):
    """Who the caller is to a meeting."""

    CONVENER = "CONVENER"  # a COORDINATOR of the convening organisation
    ACKNOWLEDGED = "ACKNOWLEDGED"  # a participant member who acknowledged confidentiality
    PENDING = "PENDING"  # a member of an invited organisation, not acknowledged yet
    AUDITOR = "AUDITOR"  # an AUDITOR whose area holds the meeting's
    OUTSIDER = "OUTSIDER"  # anyone else: the meeting does not exist for them


class Action(StrEnum):
    INVITE = "INVITE"
    ACKNOWLEDGE = "ACKNOWLEDGE"
    ADD_SUBJECT = "ADD_SUBJECT"
    RECORD_MINUTES = "RECORD_MINUTES"
    RECORD_DECISION = "RECORD_DECISION"
    CLOSE = "CLOSE"


# Who may do what, by the meeting's state. Anything not listed is refused.
_WRITERS: dict[Action, frozenset[Standing]] = {
    Action.INVITE: frozenset({Standing.CONVENER}),
    Action.ACKNOWLEDGE: frozenset({Standing.PENDING, Standing.CONVENER}),
    Action.ADD_SUBJECT: frozenset({Standing.CONVENER}),
    Action.RECORD_MINUTES: frozenset({Standing.CONVENER}),
    Action.RECORD_DECISION: frozenset({Standing.CONVENER}),
    Action.CLOSE: frozenset({Standing.CONVENER}),
}
# After closing, only acknowledging is still possible (a participant may need to read the
# minutes within the sight window); nothing is added to a closed meeting.
_OPEN_ONLY = frozenset(Action) - {Action.ACKNOWLEDGE}


def refusal(state: State | None, standing: Standing, action: Action) -> FieldError | None:
    """Why `standing` may not take `action` on a meeting in `state` (None: it may). A
    meeting the caller has no standing in is not found, so its existence is not told."""
    if state is None or standing in (Standing.OUTSIDER, Standing.AUDITOR):
        return FieldError("meetingId", ErrorCode.NOT_FOUND, "No such support meeting.")
    if standing not in _WRITERS[action]:
        return FieldError(
            "meetingId", ErrorCode.FORBIDDEN_IN_MEETING, "Only the convener may do this."
        )
    if state == State.CLOSED and action in _OPEN_ONLY:
        return FieldError("meetingId", ErrorCode.MEETING_CLOSED, "The meeting is closed.")
    return None


def sees_content(standing: Standing, *, in_sight: bool) -> bool:
    """Subjects, minutes and decisions: to the convener and to participants who
    acknowledged, and only within the sight window. Auditors see who took part and what
    each read, never the content; an unacknowledged participant sees nothing of it."""
    return standing in (Standing.CONVENER, Standing.ACKNOWLEDGED) and in_sight


def sees_participants(standing: Standing) -> bool:
    return standing in (Standing.CONVENER, Standing.ACKNOWLEDGED, Standing.AUDITOR)


def meeting_end(
    convened_at: datetime, duration_minutes: int, closed_at: datetime | None
) -> datetime:
    """When the meeting ended: when it was closed, or when its planned duration ran out."""
    return closed_at or convened_at + timedelta(minutes=duration_minutes)


def sight_until(
    convened_at: datetime, duration_minutes: int, closed_at: datetime | None, sight_days: int
) -> datetime:
    return meeting_end(convened_at, duration_minutes, closed_at) + timedelta(days=sight_days)


def in_sight(now: datetime, until: datetime) -> bool:
    """The window includes its last instant."""
    return now <= until


@dataclass(frozen=True)
class Convening:
    title: str
    area_code: str
    duration_minutes: int


def _text(
    data: Mapping[str, Any], key: str, field: str, limit: int, errors: list[FieldError]
) -> str:
    raw = data.get(key)
    if raw is None or not isinstance(raw, str) or not normalise_text(raw):
        errors.append(FieldError(field, ErrorCode.REQUIRED, f"{field} is required."))
        return ""
    value = normalise_text(raw)
    if CONTROL_CHARACTERS.search(value):
        errors.append(FieldError(field, ErrorCode.INVALID, f"{field} holds control characters."))
    elif len(value) > limit:
        errors.append(
            FieldError(field, ErrorCode.TOO_LONG, f"{field} must be at most {limit} characters.")
        )
    return value


def text_errors(data: Mapping[str, Any], key: str, field: str) -> tuple[str, list[FieldError]]:
    """Minutes or a decision: required, at most TEXT_MAX characters, no control characters
    (tab, line feed and carriage return are text)."""
    errors: list[FieldError] = []
    return _text(data, key, field, TEXT_MAX, errors), errors


def convening(data: Mapping[str, Any]) -> tuple[Convening, list[FieldError]]:
    """conveneSupportMeeting's input checked on its own (the area is checked against the
    coordinator's by the service)."""
    errors: list[FieldError] = []
    title = _text(data, "title", "title", TITLE_MAX, errors)
    area = data.get("area_code")
    if not isinstance(area, str) or not area:
        errors.append(FieldError("areaCode", ErrorCode.REQUIRED, "areaCode is required."))
        area = ""
    duration = data.get("duration_minutes")
    if duration is None:
        duration = DEFAULT_DURATION
    if not isinstance(duration, int) or not DURATION_MIN <= duration <= DURATION_MAX:
        errors.append(
            FieldError(
                "durationMinutes",
                ErrorCode.OUT_OF_RANGE,
                f"durationMinutes must be {DURATION_MIN} to {DURATION_MAX}.",
            )
        )
        duration = DEFAULT_DURATION
    return Convening(title=title, area_code=area, duration_minutes=duration), errors
