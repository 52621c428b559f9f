"""Murmurs and どこか measured: the pure rules (issue 19), boundaries pinned."""

from datetime import date

import pytest

from graph.concern_signal_rule import (
    SIGNAL_FIELDS,
    SIGNAL_PROPERTIES,
    ForbiddenSignalField,
    checked_signal,
)
from referral_hub.core.errors import ErrorCode
from referral_hub.pathways.disclosure import perturbed
from referral_hub.pathways.signals import (
    K_SIGNALS,
    AgeBand,
    concern_cells,
    concern_gaps,
    months_back,
    previous_month,
    shown_count,
    signal_month,
)
from referral_hub.pathways.somewhere import somewhere_months

SIGNAL = {
    "id": "5b0c7a56-4f0e-4d0e-9a52-0d9e7f2b6c11",
    "month": date(2026, 5, 1),
    "ageBand": "AGE_13_15",
    "needTag": "eating_alone",
    "areaCode": "141313",
    "organisationId": "0f8b2c1e-3a4d-4e5f-8a9b-1c2d3e4f5a6b",
}


def test_k_is_five_and_counts_of_one_to_four_are_hidden():
    assert K_SIGNALS == 5
    assert shown_count(0) == 0
    assert shown_count(1) is None
    assert shown_count(4) is None
    assert shown_count(5) == 5
    assert shown_count(17) == 17


def test_age_bands_are_graphql_names():
    assert [band.value for band in AgeBand] == [band.name for band in AgeBand]
    assert "UNKNOWN" in AgeBand.__members__


@pytest.mark.parametrize(
    ("month", "today", "expected"),
    [
        (None, date(2026, 5, 31), date(2026, 5, 1)),  # the default: this month
        (date(2026, 5, 17), date(2026, 5, 31), date(2026, 5, 1)),
        (date(2026, 4, 30), date(2026, 5, 1), date(2026, 4, 1)),  # the previous month
        (date(2025, 12, 1), date(2026, 1, 1), date(2025, 12, 1)),  # across the year
    ],
)
def test_this_month_or_the_previous_one(month, today, expected):
    assert signal_month(month, today) == (expected, [])


@pytest.mark.parametrize(
    ("month", "today"),
    [
        (date(2026, 6, 1), date(2026, 5, 31)),  # the future
        (date(2026, 3, 31), date(2026, 5, 1)),  # two months back
        (date(2025, 5, 1), date(2026, 5, 1)),  # a year back, same month
    ],
)
def test_other_months_are_refused(month, today):
    chosen, errors = signal_month(month, today)
    assert chosen is None
    assert [(e.field, e.code) for e in errors] == [("month", ErrorCode.OUT_OF_RANGE)]


def test_months_back():
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert months_back(date(2026, 2, 1), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert len(months_back(date(2026, 2, 1), 12)) == 12


def test_the_graph_rule_takes_exactly_the_allowed_fields():
    assert {"id", "month", "ageBand", "recordedAt"} == SIGNAL_PROPERTIES
    assert checked_signal(SIGNAL)["month"] == "2026-05-01"


@pytest.mark.parametrize("extra", ["note", "name", "text", "subjectId", "recordedAt", "cellKey"])
def test_the_graph_rule_refuses_any_other_field(extra):
    with pytest.raises(ForbiddenSignalField, match=extra):
        checked_signal({**SIGNAL, extra: "山田さんのお子さんが最近来ない"})


@pytest.mark.parametrize("missing", sorted(SIGNAL_FIELDS))
def test_the_graph_rule_needs_every_field(missing):
    with pytest.raises(ForbiddenSignalField):
        checked_signal({k: v for k, v in SIGNAL.items() if k != missing})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ageBand", "13歳の女の子、名前は花子"),
        ("ageBand", "age 13 girl"),
        ("needTag", "eating alone at night"),
        ("needTag", "孤食"),
        ("areaCode", "川崎区の公園"),
        ("areaCode", "1413130"),
        ("id", "not a uuid"),
        ("organisationId", 12),
        ("month", date(2026, 5, 2)),
        ("month", "2026-05-01"),
    ],
)
def test_the_graph_rule_refuses_text_in_a_code(field, value):
    with pytest.raises(ForbiddenSignalField):
        checked_signal({**SIGNAL, field: value})


def _row(area, need, month, heard, places=0):
    return {
        "area_code": area,
        "area_name": f"area {area}",
        "area_name_en": None,
        "need": need,
        "month": month,
        "heard": heard,
        "places": places,
    }


def test_concern_cells_hide_one_to_four_newest_first():
    cells = concern_cells(
        [
            _row("141313", "eating_alone", date(2026, 4, 1), 4),
            _row("141313", "eating_alone", date(2026, 5, 1), 5),
            _row("141330", "bullying", date(2026, 5, 1), 1, places=2),
        ]
    )
    assert [(c["area_code"], c["month"], c["heard"], c["places"]) for c in cells] == [
        ("141313", date(2026, 5, 1), 5, 0),
        ("141330", date(2026, 5, 1), None, 2),
        ("141313", date(2026, 4, 1), None, 0),
    ]


def test_a_gap_is_five_heard_in_three_months_with_no_place():
    this_month = date(2026, 5, 1)
    rows = [
        # 4 in the window: no gap. The fifth came four months ago, outside it.
        _row("141313", "bullying", date(2026, 3, 1), 3),
        _row("141313", "bullying", date(2026, 5, 1), 1),
        _row("141313", "bullying", date(2026, 1, 1), 1),
        # 5 over three months: a gap, though each month alone is hidden.
        _row("141313", "eating_alone", date(2026, 3, 1), 2),
        _row("141313", "eating_alone", date(2026, 4, 1), 2),
        _row("141313", "eating_alone", date(2026, 5, 1), 1),
        # 9 heard, but a place addresses it: no gap.
        _row("141330", "hikikomori", date(2026, 5, 1), 9, places=1),
    ]
    gaps = concern_gaps(rows, this_month)
    assert [(g["area_code"], g["need"]) for g in gaps] == [("141313", "eating_alone")]
    assert set(gaps[0]) == {"area_code", "area_name", "area_name_en", "need"}  # no count


def test_somewhere_months_are_twelve_perturbed_cells():
    this_month = date(2026, 5, 1)
    rows = [
        {
            "month": date(2026, 5, 1),
            "registered": 12,
            "registered_key": 0,
            "connected": 7,
            "connected_key": 0,
        }
    ]
    months = somewhere_months(rows, this_month)
    assert [m["month"] for m in months] == months_back(this_month, 12)
    assert months[0] == {
        "month": date(2025, 6, 1),
        "registered": 0,
        "connected": 0,
        "unconnected": 0,
        "share": None,
    }
    last = months[-1]
    assert last["registered"] == perturbed(12, 0)
    assert last["connected"] == perturbed(7, 0)
    assert last["unconnected"] == perturbed(5, 0)
