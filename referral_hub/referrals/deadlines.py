"""When a SENT referral is due, and when it escalates. Pure: no I/O.

ROUTINE referrals count business hours: 9:00–17:00 in Japan on working days, which are
weekdays that are not public holidays (from the maintained `holidays` package, with
substitute holidays) and not the municipal year-end closure (29 Dec – 3 Jan). PRIORITY
and URGENT count clock hours: a child who needs help today cannot wait for Monday.
Escalation falls at twice the deadline, counted the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from referral_hub.referrals.rules import Urgency

JAPAN = ZoneInfo("Asia/Tokyo")
OPENS, CLOSES = time(9, 0), time(17, 0)
_YEAR_END_CLOSURE = {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}


@lru_cache(maxsize=1)
def _public_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("JP")  # fills in each year on first lookup


def is_working_day(day: date) -> bool:
    return (
        day.weekday() < 5
        and (day.month, day.day) not in _YEAR_END_CLOSURE
        and day not in _public_holidays()
    )


def _next_opening(moment: datetime) -> datetime:
    day = moment.date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, OPENS, tzinfo=JAPAN)


def add_business_hours(start: datetime, hours: float) -> datetime:
    """`hours` of office time after `start` (an aware datetime), in Japanese time."""
    moment = start.astimezone(JAPAN)
    remaining = timedelta(hours=hours)
    while True:
        opens = datetime.combine(moment.date(), OPENS, tzinfo=JAPAN)
        closes = datetime.combine(moment.date(), CLOSES, tzinfo=JAPAN)
        if not is_working_day(moment.date()) or moment >= closes:
            moment = _next_opening(moment)
            continue
        moment = max(moment, opens)
        if remaining <= closes - moment:
            return moment + remaining
        remaining -= closes - moment
        moment = _next_opening(moment)


def due_times(sent_at: datetime, hours: int, urgency: Urgency) -> tuple[datetime, datetime]:
    """(deadline, escalation) for a referral sent at `sent_at`."""
    if urgency == Urgency.ROUTINE:
        return add_business_hours(sent_at, hours), add_business_hours(sent_at, 2 * hours)
    return sent_at + timedelta(hours=hours), sent_at + timedelta(hours=2 * hours)
