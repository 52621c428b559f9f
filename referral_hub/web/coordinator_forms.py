"""Reading the coordinator pages' query strings, and writing the flows table as CSV.

Pure: no I/O. The pages read only the shape of what was typed (a month is YYYY-MM, an
area code is six digits); every rule about what may be asked (whose area, how long a
period, how many months) is the API's, which answers with the field it refuses.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from referral_hub.core.spreadsheet import safe_cell

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits: \d matches any script's
_AREA = re.compile(r"[0-9]{6}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TAG = re.compile(r"[a-z0-9_]{1,60}")

DEFAULT_MONTHS = 12  # the flows page opens on the last twelve calendar months
COVERAGE_MONTHS = 6  # "unconnected" means no accepted referral in this many months
GROUPINGS = {"kind": "ORGANISATION_KIND", "organisation": "ORGANISATION"}


@dataclass(frozen=True)
class Form:
    """What a page may ask the API, and which fields could not be read (name → error key)."""

    variables: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # the values the form shows back


def month_start(text: str) -> date | None:
    """2026-04 → 2026-04-01; anything else → None."""
    found = _MONTH.fullmatch(text.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        return None
    return date(int(found[1]), int(found[2]), 1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def read_area(query: Mapping[str, str], errors: dict[str, str]) -> str | None:
    area = query.get("area", "").strip()
    if not area:
        return None
    if not _AREA.fullmatch(area):
        errors["area"] = "area"
        return None
    return area


def _small_number(text: str) -> int | None:
    """Up to three ASCII digits; anything longer could not be a month count or a hop
    limit, and past 2^31 it would fail the API's Int before the API could name the field."""
    if len(text) > 3 or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def read_coverage(query: Mapping[str, str]) -> Form:
    errors: dict[str, str] = {}
    area = read_area(query, errors)
    months = _small_number(query.get("months", "").strip() or str(COVERAGE_MONTHS))
    if months is None:
        errors["months"] = "months"
    return Form({"area": area, "months": months}, errors)


def read_flows(query: Mapping[str, str], today: date) -> Form:
    """`from` and `to` are whole months, both included (the API's `until` is the first day
    after); without them, the last DEFAULT_MONTHS months up to and including this one."""
    errors: dict[str, str] = {}
    area = read_area(query, errors)
    this_month = today.replace(day=1)
    first = query.get("from", "").strip()
    last = query.get("to", "").strip()
    since = month_start(first) if first else add_months(this_month, 1 - DEFAULT_MONTHS)
    end = month_start(last) if last else this_month
    if since is None:
        errors["from"] = "month"
    if end is None:
        errors["to"] = "month"
    by = query.get("by", "kind")
    if by not in GROUPINGS:
        errors["by"] = "by"
    return Form(
        {
            "area": area,
            "since": since.isoformat() if since else None,
            "until": add_months(end, 1).isoformat() if end else None,
            "groupBy": GROUPINGS.get(by, GROUPINGS["kind"]),
        },
        errors,
        {
            "from": since.isoformat()[:7] if since else first,
            "to": end.isoformat()[:7] if end else last,
            "by": by if by in GROUPINGS else "kind",
        },
    )


def read_routes(query: Mapping[str, str]) -> Form:
    errors: dict[str, str] = {}
    variables: dict[str, Any] = {}
    origin = query.get("from", "").strip()
    if origin and not _UUID.fullmatch(origin):
        errors["from"] = "organisation"
    variables["fromOrganisation"] = origin or None
    need = query.get("need", "").strip()
    if need and not _TAG.fullmatch(need):
        errors["need"] = "need"
    variables["need"] = need or None
    hops = query.get("hops", "").strip() or "3"
    variables["maxHops"] = _small_number(hops)
    if variables["maxHops"] is None:
        errors["hops"] = "hops"
    return Form(variables, errors, {"need": need, "hops": hops})


FLOW_COLUMNS = (
    "source_kind",
    "source_id",
    "source_name",
    "target_kind",
    "target_id",
    "target_name",
    "referrals",
    "acceptance_rate",
    "completion_rate",
    "median_days_to_accept",
)


def flows_csv(cells: Sequence[Mapping[str, Any]]) -> str:
    """The cells as the page shows them (already perturbed and suppressed by the API), one
    row each; an absent figure is an empty field, never 0. Cells that start with a formula
    character are quoted with a leading apostrophe so a spreadsheet does not run them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FLOW_COLUMNS)
    for cell in cells:
        source, target = cell["source"], cell["target"]
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    source["kind"],
                    source.get("id"),
                    source.get("name"),
                    target["kind"],
                    target.get("id"),
                    target.get("name"),
                    cell["referrals"],
                    cell.get("acceptanceRate"),
                    cell.get("completionRate"),
                    cell.get("medianDaysToAccept"),
                )
            ]
        )
    return out.getvalue()


def coverage_rows(
    coverage: Mapping[str, Any], tags: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The area × tag table: one row per tag (the area's tags first, then its gaps), one
    cell per direct sub-area with its places (0 is a gap), and a shade from 0 to 4 for
    the colour scale, relative to the row's largest cell."""
    labels = {t["code"]: t for t in tags}
    offered = {t["code"]: t for t in coverage["tags"]}
    rows = []
    for code in [t["code"] for t in coverage["tags"]] + list(coverage["missingTags"]):
        places_by_area = [
            {t["code"]: t["places"] for t in sub["tags"]}.get(code, 0)
            for sub in coverage["subAreas"]
        ]
        top = max(places_by_area, default=0)
        rows.append(
            {
                "code": code,
                "tag": labels.get(code, {"code": code}),
                "services": offered.get(code, {}).get("services", 0),
                "places": offered.get(code, {}).get("places", 0),
                "cells": [
                    {
                        "area": sub,
                        "places": places,
                        "shade": 0 if not places else 1 + (3 * places) // max(top, 1),
                    }
                    for sub, places in zip(coverage["subAreas"], places_by_area, strict=True)
                ],
            }
        )
    return rows


def concern_rows(
    coverage: Mapping[str, Any], tags: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Coverage's murmurs for the page: each cell with its need's labels (issue 19)."""
    labels = {t["code"]: t for t in tags}
    return [
        {**cell, "tag": labels.get(cell["need"], {"code": cell["need"]})}
        for cell in coverage.get("concerns") or []
    ]


def concern_gap_rows(
    coverage: Mapping[str, Any], tags: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    labels = {t["code"]: t for t in tags}
    return [
        {**gap, "tag": labels.get(gap["need"], {"code": gap["need"]})}
        for gap in coverage.get("concernGaps") or []
    ]


def somewhere_rows(coverage: Mapping[str, Any]) -> list[dict[str, Any]]:
    """どこか by month, each with its share in tenths for the CSS bar (the page allows no
    inline style, so the bar's width is one of eleven classes)."""
    return [
        {**month, "tenths": None if month["share"] is None else round(month["share"] * 10)}
        for month in coverage.get("somewhere") or []
    ]
