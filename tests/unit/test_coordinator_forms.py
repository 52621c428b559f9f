"""The coordinator pages' form readers and the flows CSV: pure, no services."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from referral_hub.web import coordinator_forms as forms

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01", date(2026, 1, 1)),
        ("2026-12", date(2026, 12, 1)),
        (" 2026-04 ", date(2026, 4, 1)),
        ("2026-00", None),
        ("2026-13", None),
        ("2026-4", None),
        ("2026-04-01", None),
        ("２０２６-04", None),  # full-width digits are not a month here
        ("", None),
    ],
)
def test_a_month_is_yyyy_mm(text, expected):
    assert forms.month_start(text) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 1), 1, date(2026, 12, 1)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
        (date(2026, 11, 1), -11, date(2025, 12, 1)),
        (date(2026, 11, 1), 0, date(2026, 11, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert forms.add_months(day, months) == expected


def test_flows_default_to_the_last_twelve_months_including_this_one():
    form = forms.read_flows({}, TODAY)
    assert form.errors == {}
    assert form.variables == {
        "area": None,
        "since": "2025-12-01",
        "until": "2026-12-01",
        "groupBy": "ORGANISATION_KIND",
    }
    assert form.shown == {"from": "2025-12", "to": "2026-11", "by": "kind"}


def test_flows_months_are_both_included_and_the_grouping_is_named():
    form = forms.read_flows(
        {"area": "141305", "from": "2026-04", "to": "2026-04", "by": "organisation"}, TODAY
    )
    assert form.errors == {}
    assert form.variables == {
        "area": "141305",
        "since": "2026-04-01",
        "until": "2026-05-01",  # the API's until is the first day after the last month
        "groupBy": "ORGANISATION",
    }
    december = forms.read_flows({"from": "2026-12", "to": "2026-12"}, TODAY).variables
    assert (december["since"], december["until"]) == ("2026-12-01", "2027-01-01")


def test_flows_unreadable_fields_are_named():
    form = forms.read_flows({"area": "14130", "from": "2026-13", "to": "x", "by": "month"}, TODAY)
    assert form.errors == {"area": "area", "from": "month", "to": "month", "by": "by"}
    assert form.shown == {"from": "2026-13", "to": "x", "by": "kind"}  # typed back as typed
    assert forms.read_flows({"area": "1413055"}, TODAY).errors == {"area": "area"}
    assert forms.read_flows({"area": "141305"}, TODAY).errors == {}
    assert forms.read_flows({"area": "１４１３０５"}, TODAY).errors == {"area": "area"}


@pytest.mark.parametrize(
    ("months", "expected", "errors"),
    [("", 6, {}), ("1", 1, {}), ("24", 24, {}), ("25", 25, {}), ("999", 999, {}),
     ("1000", None, {"months": "months"}), ("99999999999", None, {"months": "months"}),
     ("-1", None, {"months": "months"}), ("６", None, {"months": "months"}),
     ("x", None, {"months": "months"})],
)  # fmt: skip
def test_coverage_months_are_read_and_the_range_left_to_the_api(months, expected, errors):
    form = forms.read_coverage({"months": months})
    assert (form.variables["months"], form.errors) == (expected, errors)


def test_routes_read_an_organisation_a_need_and_hops():
    origin = "0b7c3c52-2d1f-4a7e-9a55-5d8c1c1f0a11"
    form = forms.read_routes({"from": origin, "need": "meal_provision", "hops": "4"})
    assert form.errors == {}
    assert form.variables == {"fromOrganisation": origin, "need": "meal_provision", "maxHops": 4}
    assert forms.read_routes({}).variables == {
        "fromOrganisation": None,
        "need": None,
        "maxHops": 3,
    }
    assert forms.read_routes({"hops": "2147483648"}).errors == {"hops": "hops"}
    bad = forms.read_routes({"from": "nope", "need": "Meal Provision", "hops": "two"})
    assert bad.errors == {"from": "organisation", "need": "need", "hops": "hops"}


def _cell(**extra):
    return {
        "source": {"kind": "SCHOOL", "id": None, "name": None},
        "target": {"kind": "NPO", "id": None, "name": None},
        "referrals": 8,
        "acceptanceRate": None,
        "completionRate": 0.5,
        "medianDaysToAccept": None,
        **extra,
    }


def test_the_flows_csv_has_a_header_and_one_row_per_cell_with_absent_figures_empty():
    text = forms.flows_csv([_cell()])
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        list(forms.FLOW_COLUMNS),
        ["SCHOOL", "", "", "NPO", "", "", "8", "", "0.5", ""],
    ]


def test_the_flows_csv_does_not_let_a_name_run_as_a_spreadsheet_formula():
    named = _cell(
        source={"kind": "NPO", "id": "a", "name": '=HYPERLINK("http://x")'},
        target={"kind": "NPO", "id": "b", "name": "@SUM(A1)"},
    )
    row = list(csv.reader(io.StringIO(forms.flows_csv([named]))))[1]
    assert row[2] == '\'=HYPERLINK("http://x")'
    assert row[5] == "'@SUM(A1)"
    for start in ("+", "-", "\t", "\r"):
        quoted = forms.flows_csv([_cell(target={"kind": "NPO", "name": start + "1"})])
        assert list(csv.reader(io.StringIO(quoted)))[1][5] == "'" + start + "1"
    # A figure is a number, never quoted (a negative one would be, were there any).
    assert list(csv.reader(io.StringIO(forms.flows_csv([_cell(referrals=5)]))))[1][6] == "5"


def test_coverage_rows_put_the_areas_tags_first_then_its_gaps_with_a_shade_per_cell():
    coverage = {
        "tags": [{"code": "meal_provision", "services": 2, "places": 5}],
        "missingTags": ["financial_hardship"],
        "subAreas": [
            {"code": "141313", "name": "川崎区", "tags": [{"code": "meal_provision", "places": 4}]},
            {"code": "141321", "name": "幸区", "tags": [{"code": "meal_provision", "places": 1}]},
            {"code": "141330", "name": "中原区", "tags": []},
        ],
    }
    tags = [{"code": "meal_provision", "labelJa": "食事"}]
    rows = forms.coverage_rows(coverage, tags)
    assert [(r["code"], r["services"], r["places"]) for r in rows] == [
        ("meal_provision", 2, 5),
        ("financial_hardship", 0, 0),
    ]
    assert rows[0]["tag"] == {"code": "meal_provision", "labelJa": "食事"}
    assert rows[1]["tag"] == {"code": "financial_hardship"}  # no label known: the code
    assert [(c["area"]["code"], c["places"], c["shade"]) for c in rows[0]["cells"]] == [
        ("141313", 4, 4),  # the row's largest: the darkest
        ("141321", 1, 1),  # 1 of 4: the lightest that is not a gap
        ("141330", 0, 0),  # a gap
    ]
    assert [c["shade"] for c in rows[1]["cells"]] == [0, 0, 0]
    assert forms.coverage_rows({**coverage, "subAreas": []}, tags)[0]["cells"] == []


def test_somewhere_rows_give_the_bar_its_tenths():
    coverage = {
        "somewhere": [
            {"month": "2026-04-01", "registered": 12, "connected": 7, "share": 0.6},
            {"month": "2026-05-01", "registered": None, "connected": None, "share": None},
            {"month": "2026-06-01", "registered": 9, "connected": 9, "share": 1.0},
        ]
    }
    assert [row["tenths"] for row in forms.somewhere_rows(coverage)] == [6, None, 10]
    assert forms.somewhere_rows({}) == []


def test_concern_rows_carry_their_need_labels():
    tags = [{"code": "bullying", "labelJa": "いじめ", "labelEn": "Bullying"}]
    coverage = {
        "concerns": [{"need": "bullying", "heard": None}, {"need": "gone_tag", "heard": 5}],
        "concernGaps": [{"need": "bullying", "areaCode": "141313"}],
    }
    assert [r["tag"] for r in forms.concern_rows(coverage, tags)] == [
        tags[0],
        {"code": "gone_tag"},
    ]
    assert forms.concern_gap_rows(coverage, tags)[0]["tag"] == tags[0]
