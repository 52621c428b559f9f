"""Repository for the public place finder: exchange-type places and opportunities as a
resident may see them, with no sign-in.

Each search is one statement: it checks that every tag asked for is an INTEREST tag (the
`unknown` column; then no place is read at all), finds one keyset page and shapes each
row in the database. The projections name their fields one by one — never `n {.*}` — so
a property added to a node later (a statistics band, a capacity figure) cannot reach
the public by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graph import session
from graph.records import plain, result_rows

_UNKNOWN_TAGS: LiteralString = """
WITH [c IN $interest_tags
      WHERE NOT EXISTS { MATCH (t:Tag {code: c}) WHERE t.kind = 'INTEREST' }] AS unknown
CALL (unknown) {
"""

# Where a place search starts: the most selective way in its criteria allow.
_ENTRY_NEAR: LiteralString = """
MATCH (l:Location)
WHERE size(unknown) = 0 AND point.distance(l.point, point($center)) <= $meters
MATCH (n:Service)-[:AT]->(l)
"""
_ENTRY_AREA: LiteralString = """
MATCH (l:Location) WHERE size(unknown) = 0 AND l.areaCode IN $area_codes
MATCH (n:Service)-[:AT]->(l)
"""
_ENTRY_TAGS: LiteralString = """
MATCH (t:Tag) WHERE size(unknown) = 0 AND t.code IN $interest_tags
MATCH (n:Service)-[:ADDRESSES]->(t)
WITH DISTINCT n
MATCH (n)-[:AT]->(l:Location)
"""
_ENTRY_ALL: LiteralString = """
MATCH (n:Service)-[:AT]->(l:Location) WHERE size(unknown) = 0 AND n.mode = 'EXCHANGE'
"""

# Only open exchange-type places: an active service at an active location of an active
# organisation. A place offers any of the interests asked for.
_PLACE_FILTERS: LiteralString = """
WITH DISTINCT n, l
WHERE n.mode = 'EXCHANGE' AND coalesce(n.active, true) AND coalesce(l.active, true)
  AND (size($interest_tags) = 0
       OR any(c IN [(n)-[:ADDRESSES]->(ft:Tag) | ft.code] WHERE c IN $interest_tags))
  AND ($area_codes IS NULL OR l.areaCode IN $area_codes)
MATCH (o:Organisation)-[:PROVIDES]->(n) WHERE coalesce(o.active, true)
WITH n, l, o, CASE WHEN $center IS NULL THEN null
                   ELSE point.distance(l.point, point($center)) END AS meters
WHERE $center IS NULL OR meters <= $meters
WITH n, l, o, meters, n.id + ':' + l.id AS key,
     CASE WHEN $center IS NULL THEN n.name ELSE meters END AS sortKey
"""

# One keyset page, ordered by the sort key, then the row's key (a total order).
_PAGE: LiteralString = """
WHERE $after_key IS NULL OR sortKey > $after_key OR (sortKey = $after_key AND key > $after_id)
WITH * ORDER BY sortKey ASC, key ASC LIMIT $limit
"""

_INTEREST_TAGS_OF_N: LiteralString = """COLLECT {
    MATCH (n)-[:ADDRESSES]->(t:Tag) WHERE t.kind = 'INTEREST'
    RETURN t { .code, label_ja: t.labelJa, label_en: t.labelEn } ORDER BY t.code }"""

_AREA_OF_L: LiteralString = """head(COLLECT {
    MATCH (l)-[:IN]->(a:Area) RETURN { name: a.name, name_en: a.nameEn } })"""

_PLACE_ROW: LiteralString = (
    """RETURN collect({
  key: key, sort_key: sortKey,
  name: n.name, description: n.description, schedule: n.schedule,
  age_min: n.ageMin, age_max: n.ageMax, languages: coalesce(n.languages, []),
  organisation_name: o.name, organisation_kind: o.kind,
  website: o.website, phone: o.phone,
  location_name: l.name, address: l.address, postal_code: l.postalCode,
  area_code: l.areaCode, area: """
    + _AREA_OF_L
    + """,
  latitude: l.point.y, longitude: l.point.x,
  distance_km: CASE WHEN meters IS NULL THEN null ELSE meters / 1000.0 END,
  interest_tags: """
    + _INTEREST_TAGS_OF_N
    + """
}) AS items
}
RETURN unknown, items
"""
)

# Opportunities (the shape of docs/public-finder.md): active, of an active organisation,
# taken up through an active service of its own; the place is its active location if any.
_OPPORTUNITIES: LiteralString = (
    _UNKNOWN_TAGS
    + """
MATCH (org:Organisation)-[:OFFERS]->(op:Opportunity)
WHERE size(unknown) = 0 AND coalesce(op.active, true) AND coalesce(org.active, true)
  AND (size($interest_tags) = 0
       OR any(c IN [(op)-[:INTERESTED_IN]->(ft:Tag) | ft.code] WHERE c IN $interest_tags))
  AND ($area_codes IS NULL OR op.areaCode IN $area_codes)
  AND EXISTS { MATCH (op)-[:VIA]->(svc:Service) WHERE coalesce(svc.active, true) }
WITH org, op, head(COLLECT {
  MATCH (op)-[:AT]->(x:Location) WHERE coalesce(x.active, true) RETURN x ORDER BY x.id
}) AS l
WITH org, op, l, CASE WHEN $center IS NULL OR l IS NULL THEN null
                      ELSE point.distance(l.point, point($center)) END AS meters
WHERE $center IS NULL OR meters <= $meters
WITH org, op, l, meters, op.id AS key,
     CASE WHEN $center IS NULL THEN op.title ELSE meters END AS sortKey
"""
    + _PAGE
    + """
RETURN collect({
  key: key, sort_key: sortKey,
  title: op.title, description: op.description, schedule: op.schedule,
  age_min: op.ageMin, age_max: op.ageMax, area_code: op.areaCode,
  area: head(COLLECT { MATCH (a:Area {code: op.areaCode})
                       RETURN { name: a.name, name_en: a.nameEn } }),
  organisation_name: org.name, organisation_kind: org.kind,
  location_name: l.name, address: l.address, postal_code: l.postalCode,
  latitude: l.point.y, longitude: l.point.x,
  distance_km: CASE WHEN meters IS NULL THEN null ELSE meters / 1000.0 END,
  interest_tags: COLLECT {
    MATCH (op)-[:INTERESTED_IN]->(t:Tag) WHERE t.kind = 'INTEREST'
    RETURN t { .code, label_ja: t.labelJa, label_en: t.labelEn } ORDER BY t.code }
}) AS items
}
RETURN unknown, items
"""
)

# What the search form offers: the interest tags, and the areas that hold something to find.
_CHOICES: LiteralString = """
CALL () {
  MATCH (t:Tag) WHERE t.kind = 'INTEREST'
  WITH t ORDER BY t.code
  RETURN collect(t { .code, label_ja: t.labelJa, label_en: t.labelEn }) AS interest_tags
}
CALL () {
  MATCH (o:Organisation)-[:PROVIDES]->(n:Service)-[:AT]->(l:Location)
  WHERE n.mode = 'EXCHANGE' AND coalesce(n.active, true) AND coalesce(l.active, true)
    AND coalesce(o.active, true)
  RETURN collect(DISTINCT l.areaCode) AS place_areas
}
CALL () {
  MATCH (org:Organisation)-[:OFFERS]->(op:Opportunity)
  WHERE coalesce(op.active, true) AND coalesce(org.active, true) AND op.areaCode IS NOT NULL
  RETURN collect(DISTINCT op.areaCode) AS opportunity_areas
}
RETURN interest_tags, place_areas, opportunity_areas
"""


def _place_statement(
    near: tuple[float, float, float] | None, area_codes: Sequence[str] | None, tags: Sequence[str]
) -> LiteralString:
    entry = _ENTRY_ALL
    if near is not None:
        entry = _ENTRY_NEAR
    elif area_codes is not None:
        entry = _ENTRY_AREA
    elif tags:
        entry = _ENTRY_TAGS
    return _UNKNOWN_TAGS + entry + _PLACE_FILTERS + _PAGE + _PLACE_ROW


def _params(
    *,
    interest_tags: Sequence[str],
    area_codes: Sequence[str] | None,
    near: tuple[float, float, float] | None,
    limit: int,
    after_key: Any,
    after_id: str | None,
) -> dict[str, Any]:
    return {
        "interest_tags": list(interest_tags),
        "area_codes": None if area_codes is None else list(area_codes),
        # A map parameter; Cypher's point() makes the WGS-84 point from it.
        "center": None if near is None else {"latitude": near[0], "longitude": near[1]},
        "meters": None if near is None else near[2] * 1000.0,
        "limit": limit,
        "after_key": after_key,
        "after_id": after_id,
    }


def _run(query: LiteralString, params: dict[str, Any]) -> dict[str, Any]:
    rows = session.read(lambda tx: result_rows(tx.run(query, **params)))
    row = rows[0]
    return {"unknown_tags": list(row["unknown"]), "items": plain(row["items"])}


def public_places(
    *,
    interest_tags: Sequence[str],
    area_codes: Sequence[str] | None,
    near: tuple[float, float, float] | None,
    limit: int,
    after_key: Any = None,
    after_id: str | None = None,
) -> dict[str, Any]:
    """`{unknown_tags, items}`: up to `limit` places after the cursor, in one round trip."""
    params = _params(
        interest_tags=interest_tags,
        area_codes=area_codes,
        near=near,
        limit=limit,
        after_key=after_key,
        after_id=after_id,
    )
    return _run(_place_statement(near, area_codes, interest_tags), params)


def public_opportunities(
    *,
    interest_tags: Sequence[str],
    area_codes: Sequence[str] | None,
    near: tuple[float, float, float] | None,
    limit: int,
    after_key: Any = None,
    after_id: str | None = None,
) -> dict[str, Any]:
    """`{unknown_tags, items}`: up to `limit` opportunities after the cursor, in one round
    trip."""
    params = _params(
        interest_tags=interest_tags,
        area_codes=area_codes,
        near=near,
        limit=limit,
        after_key=after_key,
        after_id=after_id,
    )
    return _run(_OPPORTUNITIES, params)


def finder_choices() -> dict[str, Any]:
    """The interest tags, and the area codes that hold a place or an opportunity."""
    row = session.read(lambda tx: tx.single(_CHOICES))
    assert row is not None
    return {
        "interest_tags": row["interest_tags"],
        "place_areas": sorted(row["place_areas"]),
        "opportunity_areas": sorted(row["opportunity_areas"]),
    }
