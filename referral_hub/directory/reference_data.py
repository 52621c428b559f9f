"""Reference data shipped with the code: JIS areas and the starter tag taxonomy.

The CSV files live in `data/` (see its README for sources). Parsing and the area
hierarchy are pure; `sync()` writes both to the graph, skipping a file whose
checksum the graph already recorded.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graph import reference_repo
from referral_hub.directory.rules import AreaKind, TagKind, is_valid_area_code

DATA_DIR = Path(__file__).resolve().parent / "data"
AREAS_CSV = DATA_DIR / "areas_jp.csv"
TAGS_CSV = DATA_DIR / "tags.csv"
OFFICES_CSV = DATA_DIR / "area_offices.csv"


@dataclass(frozen=True)
class AreaRow:
    code: str
    prefecture_code: str
    kind: AreaKind
    name: str
    name_kana: str | None
    name_en: str | None
    parent_code: str | None


def _read(path: Path) -> tuple[list[dict[str, str]], str]:
    raw = path.read_bytes()
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    return rows, hashlib.sha256(raw).hexdigest()


def with_parents(rows: list[dict[str, str]]) -> list[AreaRow]:
    """Attach each area's parent: a ward to its designated city, the rest to the prefecture."""
    prefectures = {
        r["prefecture_code"]: r["code"] for r in rows if r["kind"] == AreaKind.PREFECTURE
    }
    cities = sorted(r["code"] for r in rows if r["kind"] == AreaKind.DESIGNATED_CITY)
    result = []
    for row in rows:
        if not is_valid_area_code(row["code"]):
            raise ValueError(f"areas: {row['code']} fails the JIS check digit")
        kind = AreaKind(row["kind"])
        parent: str | None
        if kind == AreaKind.PREFECTURE:
            parent = None
        elif kind == AreaKind.WARD:
            # Wards are numbered right after their city within the prefecture's range.
            parent = max(
                (c for c in cities if c[:2] == row["code"][:2] and c < row["code"]), default=None
            )
        else:
            parent = prefectures.get(row["prefecture_code"])
        result.append(
            AreaRow(
                code=row["code"],
                prefecture_code=row["prefecture_code"],
                kind=kind,
                name=row["name_ja"],
                name_kana=row.get("name_kana") or None,
                name_en=row.get("name_en") or None,
                parent_code=parent,
            )
        )
    return result


@cache
def area_rows() -> tuple[list[AreaRow], str]:
    rows, checksum = _read(AREAS_CSV)
    return with_parents(rows), checksum


@cache
def tag_rows() -> tuple[list[dict[str, Any]], str]:
    rows, checksum = _read(TAGS_CSV)
    tags = [
        {
            "code": row["code"],
            "kind": TagKind(row["kind"]).value,
            "label_ja": row["label_ja"],
            "label_en": row["label_en"],
            "stigma_sensitive": row["stigma_sensitive"].strip().lower() == "true",
            "description": row["description_en"] or None,
            "description_ja": row["description_ja"] or None,
        }
        for row in rows
    ]
    return tags, checksum


def sync(*, force: bool = False) -> dict[str, int]:
    """Write areas and tags to the graph; a file already synced at this checksum is skipped."""
    areas, area_sum = area_rows()
    tags, tag_sum = tag_rows()
    written = {"areas": 0, "tags": 0}
    if force or reference_repo.recorded_checksum("areas") != area_sum:
        written["areas"] = reference_repo.areas_sync(
            [area.__dict__ | {"kind": area.kind.value} for area in areas], checksum=area_sum
        )
    if force or reference_repo.recorded_checksum("tags") != tag_sum:
        written["tags"] = reference_repo.tags_sync(tags, checksum=tag_sum)
    return written


@cache
def _children() -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for area in area_rows()[0]:
        if area.parent_code is not None:
            children.setdefault(area.parent_code, []).append(area.code)
    return children


@cache
def area_names() -> dict[str, str]:
    """Every area's name by its JIS code (東京都, 狛江市, 川崎市川崎区)."""
    return {row.code: row.name for row in area_rows()[0]}


@cache
def area_offices() -> dict[str, tuple[float, float]]:
    """Each municipality's (and designated-city ward's) office, (latitude, longitude)."""
    rows, _ = _read(OFFICES_CSV)
    return {row["code"]: (float(row["latitude"]), float(row["longitude"])) for row in rows}


@cache
def known_area_codes() -> frozenset[str]:
    return frozenset(area.code for area in area_rows()[0])


def area_codes_within(code: str) -> list[str]:
    """The area and every area below it (a prefecture's cities, a city's wards)."""
    result, pending = [], [code]
    while pending:
        current = pending.pop()
        result.append(current)
        pending.extend(_children().get(current, ()))
    return sorted(result)
