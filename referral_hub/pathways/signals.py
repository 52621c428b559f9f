"""Murmurs (つぶやき, issue 19): what staff at an open exchange-type place heard. Pure.

A concern signal says only that a concern about a need was heard in an area in a month,
about someone in an age band. It names no one and carries no text, so these rules are all
there is to check: the age band, the month, and how small a count may be shown.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from referral_hub.accounts.roles import Role
from referral_hub.core.errors import ErrorCode, FieldError


class AgeBand(StrEnum):
    """Coarse bands that follow the stages people move through (pre-school, primary, lower
    and upper secondary, young adult, working age, older): wide enough that a band, an
    area and a month do not point to one person."""

    UNDER_6 = "UNDER_6"
    AGE_6_12 = "AGE_6_12"
    AGE_13_15 = "AGE_13_15"
    AGE_16_18 = "AGE_16_18"
    AGE_19_39 = "AGE_19_39"
    AGE_40_64 = "AGE_40_64"
    AGE_65_PLUS = "AGE_65_PLUS"
    UNKNOWN = "UNKNOWN"


# The staff of a place record what they heard; coordinators read only the aggregates.
RECORDING_ROLES = (Role.COUNSELLOR, Role.CASEWORKER, Role.ORG_ADMIN, Role.WELFARE_VOLUNTEER)
# A welfare volunteer (民生委員, issue 20) hears concerns on their rounds, at no place: the
# open exchange-type place a staff member's organisation must run is not asked of them.
ROUNDS_ROLES = frozenset({Role.WELFARE_VOLUNTEER})
# A signal is about the concern, never a person: below this a count is not shown.
K_SIGNALS = 5
# A need heard this often in the last GAP_MONTHS months with no place for it is a gap.
GAP_MONTHS = 3
CONCERN_MONTHS = 12  # coverage shows the last twelve months, this one in


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    """The first day of the month before `day`'s."""
    first = first_of_month(day)
    return date(first.year - 1, 12, 1) if first.month == 1 else first.replace(month=first.month - 1)


def signal_month(month: date | None, today: date) -> tuple[date | None, list[FieldError]]:
    """The month a signal is recorded under: this month (the default) or the one before
    (something heard on the 31st may be entered on the 1st), as its first day; never the
    future, nor further back (a signal is recorded while it is fresh, not reconstructed)."""
    this_month = first_of_month(today)
    if month is None:
        return this_month, []
    chosen = first_of_month(month)
    if chosen in (this_month, previous_month(today)):
        return chosen, []
    return None, [
        FieldError(
            "month",
            ErrorCode.OUT_OF_RANGE,
            "month: this month or the previous one only (Japan time).",
        )
    ]


def shown_count(count: int) -> int | None:
    """A signal count as published: 0 and K_SIGNALS or more as they are, 1 to 4 hidden."""
    if 0 < count < K_SIGNALS:
        return None
    return count


def months_back(this_month: date, count: int) -> list[date]:
    """The first days of the `count` months up to and including `this_month`'s, oldest
    first."""
    months = [first_of_month(this_month)]
    while len(months) < count:
        months.insert(0, previous_month(months[0]))
    return months


def concern_cells(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Coverage's concerns: each (area, need, month) cell with its count as published
    (1 to 4 hidden) beside the places there for the need; newest month first. The cells
    are the signal's own area, need and month — fixed and disjoint, with no totals beside
    them — so no two published figures can be subtracted to reveal a hidden one."""
    cells = [
        {
            "area_code": row["area_code"],
            "area_name": row["area_name"],
            "area_name_en": row.get("area_name_en"),
            "need": row["need"],
            "month": row["month"],
            "heard": shown_count(int(row["heard"])),
            "places": int(row["places"]),
        }
        for row in rows
    ]
    cells.sort(key=lambda c: (c["area_code"], c["need"]))
    cells.sort(key=lambda c: c["month"], reverse=True)
    return cells


def concern_gaps(rows: list[dict[str, Any]], this_month: date) -> list[dict[str, Any]]:
    """ "Concerns heard about X here, but no place for X": each area and need heard
    K_SIGNALS times or more over the last GAP_MONTHS months (this one in) where no active
    place addresses the need. A gap carries no count: the sum of three months beside the
    monthly cells would reveal a hidden month."""
    since = months_back(this_month, GAP_MONTHS)[0]
    heard: dict[tuple[str, str], int] = {}
    names: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        if row["month"] < since or int(row["places"]) > 0:
            continue
        key = (row["area_code"], row["need"])
        heard[key] = heard.get(key, 0) + int(row["heard"])
        names[row["area_code"]] = (row["area_name"], row.get("area_name_en"))
    return [
        {
            "area_code": area,
            "area_name": names[area][0],
            "area_name_en": names[area][1],
            "need": need,
        }
        for (area, need), count in sorted(heard.items())
        if count >= K_SIGNALS
    ]
