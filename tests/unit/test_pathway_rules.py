from datetime import date

import pytest

from referral_hub.pathways.disclosure import perturbed, rate
from referral_hub.pathways.rules import (
    ROUTES_LIMIT,
    flow_cells,
    hop_errors,
    months_errors,
    period_errors,
    recent_months,
)


def _row(referrals, accepted, declined, completed, key=0):
    return {
        "source": {"kind": "SCHOOL"},
        "target": {"kind": "NPO"},
        "referrals": referrals,
        "referrals_key": key,
        "accepted": accepted,
        "accepted_key": key,
        "decided": accepted + declined,
        "decided_key": key,
        "completed": completed,
        "completed_key": key,
        "median_days_to_accept": 1.4,
    }


def test_cells_show_perturbed_counts_and_rates_of_perturbed_counts():
    # Cell key 0: a count c reads the table at column 101·c mod 256.
    rows = [_row(40, 30, 10, 20), _row(1, 1, 0, 1), _row(6, 2, 0, 0)]
    shown, hidden, total = flow_cells(rows)
    assert hidden == 1  # 1 + noise is never 5
    expected = [perturbed(40, 0), perturbed(6, 0)]
    assert [c["referrals"] for c in shown] == expected
    first = shown[0]
    assert first["acceptance_rate"] == rate(perturbed(30, 0), perturbed(40, 0))
    assert first["completion_rate"] == rate(perturbed(20, 0), perturbed(30, 0))
    assert first["median_days_to_accept"] == 1.0  # whole days
    assert shown[1]["acceptance_rate"] is None  # 2 accepted: under 5 after noise
    assert shown[1]["median_days_to_accept"] is None
    # The total is a cell of its own, not the sum of what is shown.
    assert total == perturbed(47, 0)


def test_limits():
    assert [e.code for e in hop_errors(0)] == ["OUT_OF_RANGE"]
    assert hop_errors(4) == []
    assert [e.code for e in hop_errors(5)] == ["OUT_OF_RANGE"]
    assert months_errors(24) == []
    assert [e.code for e in months_errors(25)] == ["OUT_OF_RANGE"]
    assert [e.code for e in period_errors(date(2026, 3, 1), date(2026, 3, 1))] == ["INVALID"]
    assert period_errors(date(2026, 1, 1), date(2026, 12, 1)) == []


def test_periods_are_whole_months_of_at_most_three_years():
    def refused(since, until):
        return [(e.field, e.code) for e in period_errors(since, until)]

    assert refused(date(2026, 1, 2), date(2026, 3, 1)) == [("since", "INVALID")]
    assert refused(date(2026, 1, 1), date(2026, 2, 28)) == [("until", "INVALID")]
    assert refused(date(2026, 1, 15), date(2026, 2, 15)) == [
        ("since", "INVALID"),
        ("until", "INVALID"),
    ]
    assert refused(date(2023, 1, 1), date(2026, 1, 1)) == []  # 36 months
    assert refused(date(2023, 1, 1), date(2026, 2, 1)) == [("period", "OUT_OF_RANGE")]  # 37


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (date(2026, 11, 30), 12, (date(2025, 12, 1), date(2026, 12, 1))),
        (date(2026, 12, 1), 1, (date(2026, 12, 1), date(2027, 1, 1))),
        (date(2027, 1, 31), 2, (date(2026, 12, 1), date(2027, 2, 1))),
        (date(2026, 1, 15), 24, (date(2024, 2, 1), date(2026, 2, 1))),
    ],
)
def test_recent_months_are_whole_calendar_months(today, months, expected):
    assert recent_months(today, months) == expected


# --- the limits at both ends, and what a hidden cell gives away (issue 24) --------------------


@pytest.mark.parametrize(("hops", "ok"), [(0, False), (1, True), (4, True), (5, False)])
def test_routes_take_1_to_4_hops(hops, ok):
    errors = hop_errors(hops)
    assert [(e.field, e.message) for e in errors] == (
        [] if ok else [("maxHops", "maxHops must be between 1 and 4.")]
    )


@pytest.mark.parametrize(("months", "ok"), [(0, False), (1, True), (24, True), (25, False)])
def test_coverage_takes_1_to_24_months(months, ok):
    errors = months_errors(months)
    assert [(e.field, e.message) for e in errors] == (
        [] if ok else [("months", "months must be between 1 and 24.")]
    )


def test_a_period_ends_after_it_starts_and_the_messages_say_so():
    assert [(e.field, e.message) for e in period_errors(date(2026, 3, 1), date(2026, 2, 1))] == [
        ("period", "period: until must be after since.")
    ]
    assert period_errors(date(2026, 3, 1), date(2026, 4, 1)) == []  # one month
    assert [e.message for e in period_errors(date(2026, 1, 2), date(2026, 3, 1))] == [
        "since must be the first day of a month."
    ]
    assert [e.message for e in period_errors(date(2023, 1, 1), date(2026, 2, 1))] == [
        "period: at most three years at once."
    ]


def test_a_cell_keeps_its_parties_and_its_median_is_whole_days():
    row = {**_row(40, 30, 10, 20), "median_days_to_accept": 2.5}
    (cell,), hidden, _ = flow_cells([row])
    assert hidden == 0
    assert (cell["source"], cell["target"]) == ({"kind": "SCHOOL"}, {"kind": "NPO"})
    assert cell["median_days_to_accept"] == 2.0  # round half to even
    assert isinstance(cell["median_days_to_accept"], float)
    no_median = {**_row(40, 30, 10, 20), "median_days_to_accept": None}
    assert flow_cells([no_median])[0][0]["median_days_to_accept"] is None


def test_no_rows_is_no_cells_and_a_total_perturbed_like_any_cell():
    shown, hidden, total = flow_cells([])
    assert (shown, hidden) == ([], 0)
    assert total == perturbed(0, 0)


def test_routes_are_cut_at_the_documented_50():
    # docs/pathways.md: "nearest first, at most 50".
    assert ROUTES_LIMIT == 50
