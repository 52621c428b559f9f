from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import override_settings

from referral_hub.referrals.deadlines import JAPAN, add_business_hours, due_times, is_working_day
from referral_hub.referrals.rules import Urgency


def jst(*parts):
    return datetime(*parts, tzinfo=JAPAN)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 27), True),  # Friday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 23), False),  # 勤労感謝の日
        (date(2026, 5, 6), False),  # 振替休日 for Constitution Day on a Sunday
        (date(2026, 12, 29), False),  # year-end closure
        (date(2027, 1, 4), True),
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_business_hours_skip_nights_weekends_and_holidays():
    # Friday 16:00 + 3 h: 1 h on Friday, then Monday 23 Nov is a holiday: Tuesday 11:00.
    assert add_business_hours(jst(2026, 11, 20, 16, 0), 3) == jst(2026, 11, 24, 11, 0)
    # Sent at night: the clock starts at 9:00 the next working day.
    assert add_business_hours(jst(2026, 11, 24, 22, 30), 8) == jst(2026, 11, 25, 17, 0)
    # 72 h of office time is nine working days.
    assert add_business_hours(jst(2026, 12, 1, 9, 0), 72) == jst(2026, 12, 11, 17, 0)
    # UTC input is read as the same instant.
    utc = jst(2026, 11, 25, 10, 0).astimezone(UTC)
    assert add_business_hours(utc, 1) == jst(2026, 11, 25, 11, 0)


def test_routine_counts_office_hours_urgent_counts_the_clock():
    sent = jst(2026, 12, 28, 16, 0)  # the last working day before the year-end closure
    deadline, escalation = due_times(sent, 4, Urgency.ROUTINE)
    assert deadline == jst(2027, 1, 4, 12, 0)
    assert escalation == jst(2027, 1, 4, 16, 0)
    assert due_times(sent, 4, Urgency.URGENT) == (
        sent + timedelta(hours=4),
        sent + timedelta(hours=8),
    )


# --- the closure day by day, and the office's edges (issue 24) ------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Weekdays that are no public holiday: only the closure (29 Dec – 3 Jan) stops them.
        (date(2027, 12, 28), True),  # Tuesday, the last working day
        (date(2027, 12, 29), False),
        (date(2027, 12, 30), False),
        (date(2027, 12, 31), False),
        (date(2029, 1, 2), False),  # Tuesday
        (date(2029, 1, 3), False),  # Wednesday
        (date(2029, 1, 4), True),  # Thursday, the first working day
        (date(2028, 1, 3), False),  # Monday
        # 1-3 February are no closure: a misread (month, day) pair would close them.
        (date(2027, 2, 1), True),  # Monday
        (date(2027, 2, 2), True),  # Tuesday
        (date(2027, 2, 3), True),  # Wednesday
    ],
)
def test_the_year_end_closure_is_29_december_to_3_january(day, working):
    assert is_working_day(day) is working


def test_before_nine_the_clock_starts_at_nine_the_same_working_day():
    assert add_business_hours(jst(2026, 11, 25, 0, 0), 1) == jst(2026, 11, 25, 10, 0)
    assert add_business_hours(jst(2026, 11, 25, 8, 59), 1) == jst(2026, 11, 25, 10, 0)
    assert add_business_hours(jst(2026, 11, 25, 9, 0), 1) == jst(2026, 11, 25, 10, 0)


def test_the_office_closes_at_five_exactly():
    # What fits before 17:00 ends that day, at 17:00 at the latest; a minute more does not.
    assert add_business_hours(jst(2026, 11, 25, 16, 0), 1) == jst(2026, 11, 25, 17, 0)
    one_hour_one_minute = 1 + 1 / 60
    assert add_business_hours(jst(2026, 11, 25, 16, 0), one_hour_one_minute) == jst(
        2026, 11, 26, 9, 1
    )
    # Sent at 17:00 or later: the next working day's opening.
    assert add_business_hours(jst(2026, 11, 25, 17, 0), 1) == jst(2026, 11, 26, 10, 0)
    assert add_business_hours(jst(2026, 11, 25, 16, 59), 1) == jst(2026, 11, 26, 9, 59)


def test_priority_counts_the_clock_through_nights_and_the_closure():
    sent = jst(2026, 12, 28, 16, 0)
    assert due_times(sent, 24, Urgency.PRIORITY) == (
        jst(2026, 12, 29, 16, 0),
        jst(2026, 12, 30, 16, 0),
    )


def test_nothing_left_at_five_is_due_at_the_next_opening():
    # Wednesday 25 November 2026, 17:00: the office has closed, so even 0 hours ends at
    # Thursday's 09:00, not at 17:00 the same day.
    assert add_business_hours(jst(2026, 11, 25, 17, 0), 0) == jst(2026, 11, 26, 9, 0)
    assert add_business_hours(jst(2026, 11, 25, 16, 59), 0) == jst(2026, 11, 25, 16, 59)


@pytest.mark.parametrize("process_zone", ["Asia/Tokyo", "UTC", "America/New_York"])
def test_a_deadline_is_given_in_japanese_time_whatever_the_start_was_given_in(process_zone):
    # 01:00 UTC is 10:00 JST on Wednesday 2 December 2026; one office hour later is 11:00,
    # whatever zone the process runs in (Django sets TZ from TIME_ZONE).
    with override_settings(TIME_ZONE=process_zone):
        due = add_business_hours(datetime(2026, 12, 2, 1, 0, tzinfo=UTC), 1)
    assert due.isoformat() == "2026-12-02T11:00:00+09:00"
