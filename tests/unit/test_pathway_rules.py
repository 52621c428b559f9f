from datetime import date

from referral_hub.pathways.rules import (
    flow_cells,
    hop_errors,
    months_errors,
    period_errors,
    suppressed,
)


def test_small_counts_of_people_are_hidden():
    assert [suppressed(n) for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]


def test_small_cells_are_dropped_whole_and_totals_only_count_what_is_shown():
    rows = [
        {"referrals": 7, "accepted": 4, "declined": 1, "completed": 2},
        {"referrals": 4, "accepted": 4, "declined": 0, "completed": 4},
        {"referrals": 5, "accepted": 0, "declined": 0, "completed": 0},
    ]
    shown, hidden = flow_cells(rows)
    assert hidden == 1
    assert [c["referrals"] for c in shown] == [7, 5]
    assert (shown[0]["acceptance_rate"], shown[0]["completion_rate"]) == (0.8, 0.5)
    assert (shown[1]["acceptance_rate"], shown[1]["completion_rate"]) == (None, None)


def test_limits():
    assert [e.code for e in hop_errors(0)] == ["OUT_OF_RANGE"]
    assert hop_errors(4) == []
    assert [e.code for e in hop_errors(5)] == ["OUT_OF_RANGE"]
    assert months_errors(24) == []
    assert [e.code for e in months_errors(25)] == ["OUT_OF_RANGE"]
    assert [e.code for e in period_errors(date(2026, 3, 1), date(2026, 3, 1))] == ["INVALID"]
    assert period_errors(date(2026, 1, 1), date(2026, 12, 31)) == []
    assert [e.code for e in period_errors(date(2020, 1, 1), date(2026, 1, 1))] == ["OUT_OF_RANGE"]
