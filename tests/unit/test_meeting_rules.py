"""The support meeting's pure rules (referral_hub/meetings/rules.py), exhaustively."""

from datetime import UTC, datetime, timedelta

import pytest

from referral_hub.core.errors import ErrorCode
from referral_hub.meetings import rules
from referral_hub.meetings.rules import Action, Standing, State

CONVENED = datetime(2026, 4, 6, 10, 0, tzinfo=UTC)

# The whole table: who may take each action, and in which state.
EXPECTED = {
    (Action.INVITE, Standing.CONVENER): {State.CONVENED},
    (Action.ACKNOWLEDGE, Standing.CONVENER): {State.CONVENED, State.CLOSED},
    (Action.ACKNOWLEDGE, Standing.PENDING): {State.CONVENED, State.CLOSED},
    (Action.ADD_SUBJECT, Standing.CONVENER): {State.CONVENED},
    (Action.RECORD_MINUTES, Standing.CONVENER): {State.CONVENED},
    (Action.RECORD_DECISION, Standing.CONVENER): {State.CONVENED},
    (Action.CLOSE, Standing.CONVENER): {State.CONVENED},
}


@pytest.mark.parametrize("state", [*State, None])
@pytest.mark.parametrize("standing", list(Standing))
@pytest.mark.parametrize("action", list(Action))
def test_every_action_by_every_standing_in_every_state(state, standing, action):
    error = rules.refusal(state, standing, action)
    allowed = state is not None and state in EXPECTED.get((action, standing), set())
    assert (error is None) is allowed
    if error is None:
        return
    assert error.field == "meetingId"
    if state is None or standing in (Standing.OUTSIDER, Standing.AUDITOR):
        # A meeting the caller has no part in is not found: its existence is not told.
        assert error.code == ErrorCode.NOT_FOUND
    elif (action, standing) not in EXPECTED:
        assert error.code == ErrorCode.FORBIDDEN_IN_MEETING
    else:
        assert error.code == ErrorCode.MEETING_CLOSED


@pytest.mark.parametrize("standing", list(Standing))
@pytest.mark.parametrize("in_sight", [True, False])
def test_only_the_convener_and_acknowledged_participants_see_content_in_sight(standing, in_sight):
    expected = in_sight and standing in (Standing.CONVENER, Standing.ACKNOWLEDGED)
    assert rules.sees_content(standing, in_sight=in_sight) is expected


@pytest.mark.parametrize("standing", list(Standing))
def test_participants_are_shown_to_those_who_acknowledged_conveners_and_auditors(standing):
    expected = standing in (Standing.CONVENER, Standing.ACKNOWLEDGED, Standing.AUDITOR)
    assert rules.sees_participants(standing) is expected


def test_a_meeting_ends_when_closed_or_when_its_duration_runs_out():
    assert rules.meeting_end(CONVENED, 120, None) == CONVENED + timedelta(minutes=120)
    closed = CONVENED + timedelta(minutes=30)
    assert rules.meeting_end(CONVENED, 120, closed) == closed
    late = CONVENED + timedelta(days=2)
    assert rules.meeting_end(CONVENED, 120, late) == late


@pytest.mark.parametrize(
    ("after_end", "sees"),
    [
        (timedelta(0), True),
        (timedelta(days=13), True),
        (timedelta(days=14), True),
        (timedelta(days=14, microseconds=1), False),
        (timedelta(days=15), False),
    ],
)
def test_the_sight_window_is_n_days_after_the_end_inclusive(after_end, sees):
    until = rules.sight_until(CONVENED, 120, None, 14)
    end = CONVENED + timedelta(minutes=120)
    assert until == end + timedelta(days=14)
    assert rules.in_sight(end + after_end, until) is sees


def test_a_zero_day_sight_ends_with_the_meeting():
    until = rules.sight_until(CONVENED, 60, None, 0)
    assert rules.in_sight(CONVENED + timedelta(minutes=60), until)
    assert not rules.in_sight(CONVENED + timedelta(minutes=60, seconds=1), until)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"title": "支援会議", "area_code": "141305"}, []),
        ({"title": None, "area_code": "141305"}, [("title", ErrorCode.REQUIRED)]),
        ({"title": "   ", "area_code": "141305"}, [("title", ErrorCode.REQUIRED)]),
        ({"title": 3, "area_code": "141305"}, [("title", ErrorCode.REQUIRED)]),
        ({"title": "会\x07議", "area_code": "141305"}, [("title", ErrorCode.INVALID)]),
        ({"title": "会" * 200, "area_code": "141305"}, []),
        ({"title": "会" * 201, "area_code": "141305"}, [("title", ErrorCode.TOO_LONG)]),
        ({"title": "会議"}, [("areaCode", ErrorCode.REQUIRED)]),
        ({"title": "会議", "area_code": None}, [("areaCode", ErrorCode.REQUIRED)]),
        ({"title": "会議", "area_code": "1", "duration_minutes": 15}, []),
        ({"title": "会議", "area_code": "1", "duration_minutes": 480}, []),
        (
            {"title": "会議", "area_code": "1", "duration_minutes": 14},
            [("durationMinutes", ErrorCode.OUT_OF_RANGE)],
        ),
        (
            {"title": "会議", "area_code": "1", "duration_minutes": 481},
            [("durationMinutes", ErrorCode.OUT_OF_RANGE)],
        ),
        (
            {"title": "会議", "area_code": "1", "duration_minutes": "60"},
            [("durationMinutes", ErrorCode.OUT_OF_RANGE)],
        ),
        ({"title": "会議", "area_code": "1", "duration_minutes": None}, []),
        (
            {"title": None, "area_code": None, "duration_minutes": 0},
            [
                ("title", ErrorCode.REQUIRED),
                ("areaCode", ErrorCode.REQUIRED),
                ("durationMinutes", ErrorCode.OUT_OF_RANGE),
            ],
        ),
    ],
)
def test_convening_input(data, errors):
    convening, found = rules.convening(data)
    assert [(e.field, e.code) for e in found] == errors
    if not errors:
        assert convening.duration_minutes == (data.get("duration_minutes") or 120)


@pytest.mark.parametrize(
    ("text", "expected", "code"),
    [
        ("議事録", "議事録", None),
        ("  行１\n行2\t続き  ", "行1\n行2\t続き", None),
        (None, "", ErrorCode.REQUIRED),
        ("", "", ErrorCode.REQUIRED),
        (" \n ", "", ErrorCode.REQUIRED),
        ("あ" * 8000, "あ" * 8000, None),
        ("あ" * 8001, "あ" * 8001, ErrorCode.TOO_LONG),
        ("議事\x00録", "議事\x00録", ErrorCode.INVALID),
        ("議事\x9b録", "議事\x9b録", ErrorCode.INVALID),
    ],
)
def test_minutes_and_decision_text(text, expected, code):
    value, errors = rules.text_errors({"text": text}, "text", "text")
    assert value == expected
    assert [(e.field, e.code) for e in errors] == ([("text", code)] if code else [])
