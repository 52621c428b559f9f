"""Check-ins after a connection (issue 20): days, working-day due dates, answers."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from referral_hub.core.errors import ErrorCode, PublicError, ValidationFailed
from referral_hub.referrals import check_ins
from referral_hub.referrals.check_ins import Answer
from referral_hub.referrals.handoff import Action, Outcome, State

JST = ZoneInfo("Asia/Tokyo")


def _codes(errors):
    return [(e.field, e.code) for e in errors]


# --- checkInDays -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days",
    [None, [1], [365], [30, 90], [1, 2, 3, 4], [7, 30, 180, 365]],
)
def test_valid_days(days):
    assert check_ins.days_errors(days) == []


@pytest.mark.parametrize(
    ("days", "code"),
    [
        ([], ErrorCode.REQUIRED),
        ([0], ErrorCode.OUT_OF_RANGE),  # DAY_MIN - 1
        ([366], ErrorCode.OUT_OF_RANGE),  # DAY_MAX + 1
        ([-5, 30], ErrorCode.OUT_OF_RANGE),
        ([1, 2, 3, 4, 5], ErrorCode.TOO_LONG),  # MAX_CHECK_INS + 1
        ([90, 30], ErrorCode.INVALID),
        ([30, 30], ErrorCode.INVALID),  # strictly ascending
        ([1, 3, 2], ErrorCode.INVALID),
    ],
)
def test_invalid_days_name_the_field(days, code):
    assert _codes(check_ins.days_errors(days)) == [("checkInDays", code)]


def test_limits_are_the_issue_s():
    assert check_ins.DEFAULT_DAYS == (30, 90)
    assert (check_ins.DAY_MIN, check_ins.DAY_MAX, check_ins.MAX_CHECK_INS) == (1, 365, 4)
    assert check_ins.DEFAULT_ESCALATE_DAYS == 5
    assert check_ins.STILL_CONNECTED_DAYS == 90


def test_days_for_a_service_default_when_it_names_none():
    assert check_ins.days_for(None) == (30, 90)
    assert check_ins.days_for([]) == (30, 90)
    assert check_ins.days_for([14, 60]) == (14, 60)


# --- working days --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (date(2026, 12, 2), date(2026, 12, 2)),  # a Wednesday
        (date(2026, 12, 5), date(2026, 12, 7)),  # Saturday -> Monday
        (date(2026, 12, 29), date(2027, 1, 4)),  # year-end closure
        (date(2026, 5, 3), date(2026, 5, 7)),  # Golden Week with its substitute holiday
        (date(2027, 1, 11), date(2027, 1, 12)),  # 成人の日
    ],
)
def test_first_working_day(day, first):
    assert check_ins.first_working_day(day) == first


@pytest.mark.parametrize(
    ("day", "count", "result"),
    [
        (date(2026, 12, 2), 0, date(2026, 12, 2)),
        (date(2026, 12, 2), 1, date(2026, 12, 3)),
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # over a weekend
        (date(2027, 1, 4), 5, date(2027, 1, 12)),  # over 成人の日 (11 Jan 2027)
        (date(2026, 12, 25), 2, date(2027, 1, 4)),  # 28 Dec, then over the closure
    ],
)
def test_add_working_days(day, count, result):
    assert check_ins.add_working_days(day, count) == result


def test_schedule_rolls_past_the_year_end_and_escalates_past_a_holiday():
    completed = datetime(2026, 12, 1, 15, 0, tzinfo=JST)
    first, second = check_ins.schedule(completed_at=completed, days=[30, 90])
    # 31 Dec is in the closure: due on the first working day of 2027, escalated five
    # working days later, which skips 成人の日 (Monday 11 January).
    assert first == check_ins.Planned(
        index=0,
        days=30,
        due_at=datetime(2027, 1, 4, 9, 0, tzinfo=JST),
        escalate_at=datetime(2027, 1, 12, 9, 0, tzinfo=JST),
    )
    assert second.index == 1
    assert second.days == 90
    assert second.due_at == datetime(2027, 3, 1, 9, 0, tzinfo=JST)
    assert second.escalate_at == datetime(2027, 3, 8, 9, 0, tzinfo=JST)


def test_schedule_counts_from_the_japanese_date_of_completion():
    # 16:00 UTC on 2 April is 01:00 on 3 April in Japan: +30 days is 3 May (憲法記念日),
    # then みどりの日, こどもの日 and the substitute holiday on 6 May.
    completed = datetime(2026, 4, 2, 16, 0, tzinfo=UTC)
    (first,) = check_ins.schedule(completed_at=completed, days=[30])
    assert first.due_at == datetime(2026, 5, 7, 9, 0, tzinfo=JST)
    assert first.escalate_at == datetime(2026, 5, 14, 9, 0, tzinfo=JST)


def test_schedule_takes_the_escalation_days():
    completed = datetime(2026, 12, 2, 10, 0, tzinfo=JST)
    (item,) = check_ins.schedule(completed_at=completed, days=[1], escalate_days=1)
    assert item.due_at == datetime(2026, 12, 3, 9, 0, tzinfo=JST)
    assert item.escalate_at == datetime(2026, 12, 4, 9, 0, tzinfo=JST)


def test_graph_rows():
    completed = datetime(2026, 12, 2, 10, 0, tzinfo=JST)
    rows = check_ins.graph_rows(check_ins.schedule(completed_at=completed, days=[1]))
    assert rows == [
        {
            "index": 0,
            "days": 1,
            "due_at": "2026-12-03T09:00:00+09:00",
            "escalate_at": "2026-12-10T09:00:00+09:00",
        }
    ]


# --- which completions schedule ------------------------------------------------------------


@pytest.mark.parametrize("outcome", list(Outcome))
def test_only_connecting_completions_schedule(outcome):
    expected = outcome in (Outcome.CONNECTED, Outcome.TOOK_UP)
    assert check_ins.schedules_check_ins(Action.COMPLETE, State.COMPLETED, outcome) is expected


@pytest.mark.parametrize("action", [a for a in Action if a != Action.COMPLETE])
def test_no_other_action_schedules(action):
    assert not check_ins.schedules_check_ins(action, State.COMPLETED, Outcome.CONNECTED)
    assert not check_ins.schedules_check_ins(Action.COMPLETE, State.IN_PROGRESS, None)


# --- answers ---------------------------------------------------------------------------------


def test_answers():
    assert [a.value for a in Answer] == [
        "STILL_ATTENDING",
        "STOPPED",
        "MOVED_ON",
        "COULD_NOT_REACH",
    ]
    assert frozenset({Answer.STOPPED}) == check_ins.NOTIFIES_SENDER


@pytest.mark.parametrize("answer", list(Answer))
def test_every_answer_is_valid(answer):
    assert check_ins.validated(check_in_id="x", index=None, answer=answer.value, note=None) == (
        answer
    )


@pytest.mark.parametrize(
    ("check_in_id", "index", "answer", "note", "expected"),
    [
        (None, None, "STOPPED", None, [("checkInId", ErrorCode.REQUIRED)]),
        ("x", 0, "STOPPED", None, [("checkInId", ErrorCode.REQUIRED)]),
        (None, -1, "STOPPED", None, [("index", ErrorCode.OUT_OF_RANGE)]),
        (None, 4, "STOPPED", None, [("index", ErrorCode.OUT_OF_RANGE)]),
        (None, 0, None, None, [("answer", ErrorCode.REQUIRED)]),
        (None, 0, "GONE", None, [("answer", ErrorCode.INVALID)]),
        (None, 0, "STOPPED", "a" * 2001, [("note", ErrorCode.TOO_LONG)]),
        (
            None,
            None,
            None,
            "a" * 2001,
            [
                ("checkInId", ErrorCode.REQUIRED),
                ("answer", ErrorCode.REQUIRED),
                ("note", ErrorCode.TOO_LONG),
            ],
        ),
    ],
)
def test_invalid_recordings_name_every_field(check_in_id, index, answer, note, expected):
    with pytest.raises(ValidationFailed) as failed:
        check_ins.validated(check_in_id=check_in_id, index=index, answer=answer, note=note)
    assert _codes(failed.value.errors) == expected


@pytest.mark.parametrize("index", [0, 3])
def test_index_boundaries_hold(index):
    assert check_ins.target_errors(None, index) == []


def test_note_at_its_limit_holds():
    assert check_ins.answer_errors("STOPPED", "a" * 2000) == []


def test_recording_refusals():
    with pytest.raises(ValidationFailed) as missing:
        check_ins.recording_refusal(None)
    assert _codes(missing.value.errors) == [("checkInId", ErrorCode.NOT_FOUND)]
    with pytest.raises(PublicError) as answered:
        check_ins.recording_refusal({"state": "ANSWERED"})
    assert answered.value.code == ErrorCode.CONFLICT
    assert answered.value.field == "checkInId"
    assert check_ins.recording_refusal({"state": "DUE"}) is None


def test_overdue_from_the_due_moment():
    due = datetime(2026, 12, 3, 9, 0, tzinfo=JST)
    assert not check_ins.is_overdue(due, datetime(2026, 12, 3, 8, 59, tzinfo=JST))
    assert check_ins.is_overdue(due, due)
