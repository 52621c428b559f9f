"""Pure rules of the public place finder (/places/, `publicPlaces`, `publicOpportunities`).

Residents search it with no sign-in, so every argument is checked here before anything
costs a database round trip, and the checked arguments are normalised into one cache
key: two searches that mean the same thing share one cached answer. No I/O here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.directory.rules import Near, checked_area_code, checked_tags, coordinate_errors

# A phone screen shows a few places; 50 bounds what one anonymous request can pull out.
PAGE_MAX = 50
PAGE_DEFAULT = 10
# A walk, a bus or a short train ride: further than this is not "near" for a resident.
NEAR_KM_MAX = 50.0
# Changing what a cached answer holds changes this, so old entries are never read.
CACHE_VERSION = "1"


@dataclass(frozen=True)
class FinderCriteria:
    """A checked public search: interest tags (any of them), an area or a circle."""

    interest_tags: tuple[str, ...] = ()
    area_code: str | None = None
    near: Near | None = None


def _near(data: Mapping[str, Any]) -> Near:
    errors = coordinate_errors(data.get("latitude"), data.get("longitude"), required=True)
    if errors:
        raise PublicError(errors[0].code, f"near.{errors[0].message}", field="near")
    km = data.get("km")
    if not isinstance(km, int | float) or isinstance(km, bool) or not 0 < km <= NEAR_KM_MAX:
        raise PublicError(
            ErrorCode.INVALID_RADIUS,
            f"near.km must be more than 0 and at most {NEAR_KM_MAX:g}.",
            field="near",
        )
    return Near(latitude=float(data["latitude"]), longitude=float(data["longitude"]), km=float(km))


def criteria_from(
    *,
    interest_tags: list[str] | None = None,
    area_code: str | None = None,
    near: Mapping[str, Any] | None = None,
) -> FinderCriteria:
    """The checked criteria, or PublicError naming the first bad argument. Tag codes are
    checked for their form here; whether each is an INTEREST tag, in the search itself."""
    tags = tuple(sorted(checked_tags(interest_tags, field="interestTags")))
    area = checked_area_code(area_code)
    circle = None if near is None else _near(near)
    if area is not None and circle is not None:
        raise PublicError(
            ErrorCode.CONFLICTING_FILTERS,
            "Give areaCode or near, not both.",
            field="near",
        )
    return FinderCriteria(interest_tags=tags, area_code=area, near=circle)


def page_size(first: int | None) -> int:
    if first is None:
        return PAGE_DEFAULT
    if not 1 <= first <= PAGE_MAX:
        raise PublicError(
            ErrorCode.INVALID_PAGE_SIZE, f"first must be between 1 and {PAGE_MAX}.", field="first"
        )
    return first


def sort_of(criteria: FinderCriteria) -> str:
    """Nearest first for a circle; otherwise by name."""
    return "DISTANCE" if criteria.near is not None else "NAME"


def cache_key(kind: str, criteria: FinderCriteria, *, first: int, after: str | None) -> str:
    """One key per meaning: the checked, sorted criteria and the page, hashed (a key holds
    no search text a reader of Redis could list)."""
    near = criteria.near
    canonical = json.dumps(
        [
            CACHE_VERSION,
            kind,
            list(criteria.interest_tags),
            criteria.area_code,
            None if near is None else [round(near.latitude, 6), round(near.longitude, 6), near.km],
            first,
            after,
        ],
        separators=(",", ":"),
    )
    return "finder:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
