"""Check-ins after a connection (つながりフレイル, issue 20): when, what may be answered, who
hears. Pure: no I/O.

A referral that COMPLETES with a connecting outcome (handoff.CONNECTING_OUTCOMES) is not
the end: the receiving organisation checks in after 30 and 90 days by default, or on the
days its service names (`checkInDays`). Each check-in is due at opening time on the first
Japanese working day on or after the calendar day (deadlines.is_working_day: weekends,
public holidays and the year-end closure do not count); it is reminded on that day and
escalated HUB_CHECK_IN_ESCALATE_DAYS working days later if still unanswered.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.referrals import deadlines, handoff

DEFAULT_DAYS: tuple[int, ...] = (30, 90)
DAY_MIN, DAY_MAX = 1, 365
MAX_CHECK_INS = 4
# "Still connected at 90 days" (responsiveness) reads the check-in at this many days.
STILL_CONNECTED_DAYS = 90
DEFAULT_ESCALATE_DAYS = 5
NOTE_MAX = handoff.NOTE_MAX


class Answer(StrEnum):
    STILL_ATTENDING = "STILL_ATTENDING"
    STOPPED = "STOPPED"
    MOVED_ON = "MOVED_ON"
    COULD_NOT_REACH = "COULD_NOT_REACH"


# Answers the sender hears of, with the next best place offered. STOPPED only: the person
# dropped out of the place the sender found for them, which is the drift this is for.
# MOVED_ON means the person no longer needs the place (moved house, went on to work or
# school, another place suits them now): telling the sender would be noise and would
# spread what the receiver learned about the person's life beyond what is needed.
NOTIFIES_SENDER = frozenset({Answer.STOPPED})


class CheckInState(StrEnum):
    DUE = "DUE"  # scheduled, its day not reached or reached and unanswered
    ANSWERED = "ANSWERED"


def days_errors(days: Sequence[int] | None, field: str = "checkInDays") -> list[FieldError]:
    """A service's own check-in days: 1 to MAX_CHECK_INS of them, each DAY_MIN..DAY_MAX,
    strictly ascending. None means the defaults."""
    if days is None:
        return []
    values = list(days)
    if not values:
        return [FieldError(field, ErrorCode.REQUIRED, "Give at least one check-in day.")]
    if len(values) > MAX_CHECK_INS:
        return [FieldError(field, ErrorCode.TOO_LONG, f"At most {MAX_CHECK_INS} check-in days.")]
    if any(not DAY_MIN <= day <= DAY_MAX for day in values):
        return [
            FieldError(field, ErrorCode.OUT_OF_RANGE, f"Each day must be {DAY_MIN} to {DAY_MAX}.")
        ]
    if any(later <= earlier for earlier, later in itertools.pairwise(values)):
        return [FieldError(field, ErrorCode.INVALID, "Check-in days must be ascending.")]
    return []


def days_for(service_days: Sequence[int] | None) -> tuple[int, ...]:
    """The days a service's connections are checked in on (the defaults when it names none)."""
    return tuple(service_days) if service_days else DEFAULT_DAYS


def first_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the next one."""
    while not deadlines.is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself does not count)."""
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if deadlines.is_working_day(day):
            remaining -= 1
    return day


def _opening(day: date) -> datetime:
    return datetime.combine(day, deadlines.OPENS, tzinfo=deadlines.JAPAN)


@dataclass(frozen=True)
class Planned:
    index: int  # 0-based position in the service's days
    days: int
    due_at: datetime  # 9:00 Japanese time on the due working day: the reminder
    escalate_at: datetime  # 9:00 on the escalate_days-th working day after it


def schedule(
    *, completed_at: datetime, days: Sequence[int], escalate_days: int = DEFAULT_ESCALATE_DAYS
) -> list[Planned]:
    """The check-ins of a connection completed at `completed_at` (any aware datetime)."""
    start = completed_at.astimezone(deadlines.JAPAN).date()
    planned = []
    for index, count in enumerate(days):
        due = first_working_day(start + timedelta(days=count))
        planned.append(
            Planned(
                index=index,
                days=count,
                due_at=_opening(due),
                escalate_at=_opening(add_working_days(due, escalate_days)),
            )
        )
    return planned


def schedules_check_ins(
    action: handoff.Action, to_state: handoff.State, outcome: handoff.Outcome | None
) -> bool:
    """Only a completion that connected the person starts check-ins."""
    return (
        action == handoff.Action.COMPLETE
        and to_state == handoff.State.COMPLETED
        and outcome in handoff.CONNECTING_OUTCOMES
    )


def graph_rows(planned: Sequence[Planned]) -> list[dict[str, Any]]:
    """What the completing move writes for each check-in (graph/check_in_repo.py)."""
    return [
        {
            "index": item.index,
            "days": item.days,
            "due_at": item.due_at.isoformat(),
            "escalate_at": item.escalate_at.isoformat(),
        }
        for item in planned
    ]


def answer_errors(answer: str | None, note: str | None) -> list[FieldError]:
    errors = []
    if answer is None:
        errors.append(FieldError("answer", ErrorCode.REQUIRED, "Give the check-in's answer."))
    elif answer not in Answer.__members__:
        errors.append(FieldError("answer", ErrorCode.INVALID, f"Unknown answer {answer}."))
    if note is not None and len(note) > NOTE_MAX:
        errors.append(
            FieldError("note", ErrorCode.TOO_LONG, f"note must be at most {NOTE_MAX} characters.")
        )
    return errors


def target_errors(check_in_id: str | None, index: int | None) -> list[FieldError]:
    """A check-in is named by its id or by its due index (0 = the first), not both."""
    if (check_in_id is None) == (index is None):
        return [
            FieldError(
                "checkInId", ErrorCode.REQUIRED, "Give either checkInId or index (not both)."
            )
        ]
    if index is not None and not 0 <= index < MAX_CHECK_INS:
        return [FieldError("index", ErrorCode.OUT_OF_RANGE, f"index is 0 to {MAX_CHECK_INS - 1}.")]
    return []


def recording_refusal(row: dict[str, Any] | None) -> None:
    """The check-in as the recording statement found it: missing, or already answered."""
    if row is None:
        raise ValidationFailed.one("checkInId", ErrorCode.NOT_FOUND, "No such check-in.")
    if row["state"] == CheckInState.ANSWERED:
        raise PublicError(
            ErrorCode.CONFLICT, "This check-in has already been answered.", field="checkInId"
        )


def validated(
    *, check_in_id: str | None, index: int | None, answer: str | None, note: str | None
) -> Answer:
    """Checks every field of a recording at once; raises ValidationFailed with them all."""
    errors = [*target_errors(check_in_id, index), *answer_errors(answer, note)]
    if errors or answer is None:
        raise ValidationFailed(errors)
    return Answer(answer)


def is_overdue(due_at: datetime, now: datetime) -> bool:
    return now >= due_at
