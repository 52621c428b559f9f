"""The public place finder's reads: rate-limited per client address and cached in Redis.

Anyone may search, so each read is bounded twice before it reaches Neo4j: a fixed-window
limit per client address (HUB_PUBLIC_RATE requests a minute; core/ratelimit.py, which
fails closed when Redis is down, as for sign-ins), and a cache of each answer by the hash
of its normalised arguments for HUB_PUBLIC_CACHE_SECONDS, so a burst of one search costs
one round trip. Directory writes do not invalidate the cache: the hub has no directory
version to key on, and an answer is at most that many seconds old (docs/public-finder.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

from graph import finder_repo
from graph.listing import Page
from referral_hub.core import ratelimit
from referral_hub.core.errors import ErrorCode, ValidationFailed
from referral_hub.directory import reference_data
from referral_hub.directory.finder import CACHE_VERSION, FinderCriteria, cache_key
from referral_hub.directory.rules import AreaKind, prefecture_code_of
from referral_hub.directory.selectors import area_codes_for

log = logging.getLogger(__name__)
RATE_WINDOW_SECONDS = 60


def admit(client: str) -> None:
    """Count one public request of `client` (its address); RATE_LIMITED past the limit."""
    ratelimit.hit(
        "public-finder", client, limit=settings.HUB_PUBLIC_RATE, window_seconds=RATE_WINDOW_SECONDS
    )


def _cached(key: str, compute: Callable[[], Any]) -> Any:
    """The cached answer, or `compute()` kept for the TTL. Redis unreachable: the search
    still answers (from Neo4j); only the limiter refuses."""
    try:
        kept = cache.get(key)
    except RedisError:
        log.warning("public finder cache unavailable; reading the graph", exc_info=True)
        kept = None
    if kept is not None:
        return kept
    value = compute()
    try:
        cache.set(key, value, timeout=settings.HUB_PUBLIC_CACHE_SECONDS)
    except RedisError:
        log.warning("public finder cache unavailable; answer not kept", exc_info=True)
    return value


def _search(
    kind: str,
    read: Callable[..., dict[str, Any]],
    criteria: FinderCriteria,
    *,
    first: int,
    after: tuple[Any, str] | None,
    cursor: str | None,
) -> Page:
    area_codes = area_codes_for(criteria.area_code)  # UNKNOWN_AREA before any round trip
    near = criteria.near

    def compute() -> dict[str, Any]:
        return read(
            interest_tags=criteria.interest_tags,
            area_codes=area_codes,
            near=None if near is None else (near.latitude, near.longitude, near.km),
            limit=first + 1,  # one more row tells whether another page follows
            after_key=None if after is None else after[0],
            after_id=None if after is None else after[1],
        )

    found = _cached(cache_key(kind, criteria, first=first, after=cursor), compute)
    if found["unknown_tags"]:
        raise ValidationFailed.one(
            "interestTags",
            ErrorCode.UNKNOWN_TAG,
            f"interestTags: not interest tags: {', '.join(found['unknown_tags'])}.",
        )
    items = found["items"]
    return Page(items=items[:first], has_next=len(items) > first)


def places(
    criteria: FinderCriteria, *, first: int, after: tuple[Any, str] | None, cursor: str | None
) -> Page:
    """A page of open exchange-type places (one per service and location)."""
    return _search(
        "places", finder_repo.public_places, criteria, first=first, after=after, cursor=cursor
    )


def opportunities(
    criteria: FinderCriteria, *, first: int, after: tuple[Any, str] | None, cursor: str | None
) -> Page:
    """A page of active opportunities (things a person can do)."""
    return _search(
        "opportunities",
        finder_repo.public_opportunities,
        criteria,
        first=first,
        after=after,
        cursor=cursor,
    )


def _areas(codes: set[str]) -> list[dict[str, Any]]:
    """The areas that hold something, with the designated city above a ward (a search by
    the city takes all its wards), each with its prefecture's name and its municipal
    office's coordinates (the centre a search by distance starts from)."""
    rows = {row.code: row for row in reference_data.area_rows()[0]}
    offices = reference_data.area_offices()
    wanted = {code for code in codes if code in rows}
    for code in list(wanted):
        parent = rows[code].parent_code
        if parent is not None and rows[parent].kind == AreaKind.DESIGNATED_CITY:
            wanted.add(parent)
    return [
        {
            "code": code,
            "name": rows[code].name,
            "name_en": rows[code].name_en,
            "prefecture_name": rows[prefecture_code_of(code)].name,
            "office": offices.get(code),
        }
        for code in sorted(wanted)
    ]


def choices() -> dict[str, Any]:
    """What the search form offers: interest tags, and the areas with places or
    opportunities (cached like a search)."""
    found = _cached(f"finder:choices:{CACHE_VERSION}", finder_repo.finder_choices)
    return {
        "interest_tags": found["interest_tags"],
        "place_areas": _areas(set(found["place_areas"])),
        "opportunity_areas": _areas(set(found["opportunity_areas"])),
    }
