"""Repository for `(:Service)`: writes, reads by id and the composable directory search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import AuditRecord
from graph.errors import MissingReferences, NotFound
from graph.listing import PAGE_ASC, PAGE_DESC, Page, PageRequest, page_from
from graph.projections import ALL_SERVICE_PARTS, SERVICE, ServiceParts
from graph.records import plain, result_rows

_BY_IDS: LiteralString = (
    "UNWIND $ids AS id MATCH (n:Service {id: id}) RETURN " + SERVICE + " AS service"
)

_REFERENCES: LiteralString = """
RETURN
  [x IN [$organisation_id] WHERE x IS NOT NULL
     AND NOT EXISTS { MATCH (:Organisation {id: x}) }] AS organisationId,
  [code IN $tag_codes WHERE NOT EXISTS { MATCH (:Tag {code: code}) }] AS tagCodes,
  [id IN $location_ids WHERE NOT EXISTS { MATCH (:Location {id: id}) }] AS locationIds
"""

_CREATE: LiteralString = """
MATCH (o:Organisation {id: $organisation_id})
CREATE (o)-[:PROVIDES]->(n:Service {
  id: $id, name: $name, description: $description, mode: $mode,
  ageMin: $age_min, ageMax: $age_max, languages: $languages, schedule: $schedule,
  acceptsReferrals: $accepts_referrals, responseTargetHours: $response_target_hours,
  capacityStatus: $capacity_status, capacityUpdatedAt: datetime(),
  checkInDays: $check_in_days, active: true, createdAt: datetime(), updatedAt: datetime()
})
WITH n
CALL (n) {
  UNWIND $location_ids AS location_id
  MATCH (l:Location {id: location_id})
  MERGE (n)-[:AT]->(l)
}
CALL (n) {
  UNWIND $tag_codes AS code
  MATCH (t:Tag {code: code})
  MERGE (n)-[:ADDRESSES]->(t)
}
RETURN n.id AS id
"""

# Absent keys keep their value; `+=` with a map of only the given properties.
_UPDATE: LiteralString = """
MATCH (n:Service {id: $id})
SET n += $properties, n.updatedAt = datetime()
SET n.capacityUpdatedAt = CASE WHEN $capacity_changed THEN datetime() ELSE n.capacityUpdatedAt END
RETURN n.id AS id
"""

_SET_TAGS: LiteralString = """
MATCH (n:Service {id: $id})
OPTIONAL MATCH (n)-[old:ADDRESSES]->(:Tag)
DELETE old
WITH DISTINCT n
CALL (n) {
  UNWIND $tag_codes AS code
  MATCH (t:Tag {code: code})
  MERGE (n)-[:ADDRESSES]->(t)
}
SET n.updatedAt = datetime()
RETURN n.id AS id
"""

_SET_LOCATIONS: LiteralString = """
MATCH (n:Service {id: $id})
OPTIONAL MATCH (n)-[old:AT]->(:Location)
DELETE old
WITH DISTINCT n
CALL (n) {
  UNWIND $location_ids AS location_id
  MATCH (l:Location {id: location_id})
  MERGE (n)-[:AT]->(l)
}
SET n.updatedAt = datetime()
RETURN n.id AS id
"""

_CURRENT: LiteralString = (
    "MATCH (n:Service {id: $id}) RETURN n.ageMin AS age_min, n.ageMax AS age_max"
)

# camelCase graph property for each snake_case field a caller may update.
UPDATABLE: dict[str, str] = {
    "name": "name",
    "description": "description",
    "mode": "mode",
    "age_min": "ageMin",
    "age_max": "ageMax",
    "languages": "languages",
    "schedule": "schedule",
    "accepts_referrals": "acceptsReferrals",
    "response_target_hours": "responseTargetHours",
    "capacity_status": "capacityStatus",
    "active": "active",
    "check_in_days": "checkInDays",
}


def _check_references(
    tx: session.Tx,
    *,
    organisation_id: str | None = None,
    tag_codes: Sequence[str] = (),
    location_ids: Sequence[str] = (),
) -> None:
    row = tx.single(
        _REFERENCES,
        organisation_id=organisation_id,
        tag_codes=list(tag_codes),
        location_ids=list(location_ids),
    )
    missing = {field: ids for field, ids in (row or {}).items() if ids}
    if missing:
        raise MissingReferences(missing)


def service_create(
    *,
    service_id: str,
    organisation_id: str,
    fields: dict[str, Any],
    tag_codes: Sequence[str],
    location_ids: Sequence[str],
    audit: AuditRecord,
) -> dict[str, Any]:
    def work(tx: session.Tx) -> str:
        _check_references(
            tx, organisation_id=organisation_id, tag_codes=tag_codes, location_ids=location_ids
        )
        row = tx.single(
            _CREATE,
            id=service_id,
            organisation_id=organisation_id,
            tag_codes=list(tag_codes),
            location_ids=list(location_ids),
            **fields,
        )
        assert row is not None
        audit_log.append(tx, audit)
        return row["id"]

    return _get_required(session.write(work))


def service_current(service_id: str) -> dict[str, Any]:
    row = session.read(lambda tx: tx.single(_CURRENT, id=service_id))
    if row is None:
        raise NotFound(service_id)
    return row


def service_update(
    *,
    service_id: str,
    fields: dict[str, Any],
    audit: AuditRecord,
    tag_codes: Sequence[str] | None = None,
    location_ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Change the given fields (snake_case keys of UPDATABLE); tags/locations replace the set."""
    properties = {UPDATABLE[key]: value for key, value in fields.items()}

    def work(tx: session.Tx) -> str:
        _check_references(tx, tag_codes=tag_codes or (), location_ids=location_ids or ())
        row = tx.single(
            _UPDATE,
            id=service_id,
            properties=properties,
            capacity_changed="capacity_status" in fields,
        )
        if row is None:
            raise NotFound(service_id)
        if tag_codes is not None:
            tx.run(_SET_TAGS, id=service_id, tag_codes=list(tag_codes)).consume()
        if location_ids is not None:
            tx.run(_SET_LOCATIONS, id=service_id, location_ids=list(location_ids)).consume()
        audit_log.append(tx, audit)
        return row["id"]

    return _get_required(session.write(work))


def services_by_ids(
    ids: Sequence[str], *, parts: ServiceParts = ALL_SERVICE_PARTS
) -> dict[str, dict[str, Any]]:
    """Batch fetch: one round trip whatever the number of ids; `parts` left out are null."""
    found = session.read(
        lambda tx: result_rows(tx.run(_BY_IDS, ids=list(ids), parts=parts.param()))
    )
    return {row["service"]["id"]: plain(row["service"]) for row in found}


def _get_required(service_id: str) -> dict[str, Any]:
    found = services_by_ids([service_id])
    return found[service_id]


# --- search ---------------------------------------------------------------------------------
# The statement is assembled from the constant fragments below according to which filters
# are present; values only ever travel as parameters. The most selective filter present
# becomes the entry point (full-text, then distance, then area, then tags).

_ENTRY_SEARCH: LiteralString = """
CALL db.index.fulltext.queryNodes('service_text', $search) YIELD node AS n, score
WITH n, score
"""
_ENTRY_NEAR: LiteralString = """
MATCH (l:Location) WHERE point.distance(l.point, point($center)) <= $meters
MATCH (n:Service)-[:AT]->(l)
WITH DISTINCT n, 0.0 AS score
"""
# With an area too, the nearby location itself must lie in the area: checked on the row
# we already hold instead of expanding every candidate's locations again.
_ENTRY_NEAR_IN_AREA: LiteralString = """
MATCH (l:Location) WHERE point.distance(l.point, point($center)) <= $meters
  AND l.areaCode IN $area_codes
MATCH (n:Service)-[:AT]->(l)
WITH DISTINCT n, 0.0 AS score
"""
_ENTRY_AREA: LiteralString = """
MATCH (l:Location) WHERE l.areaCode IN $area_codes
MATCH (n:Service)-[:AT]->(l)
WITH DISTINCT n, 0.0 AS score
"""
_ENTRY_TAGS: LiteralString = """
MATCH (t:Tag) WHERE t.code IN $entry_tags
MATCH (n:Service)-[:ADDRESSES]->(t)
WITH DISTINCT n, 0.0 AS score
"""
_ENTRY_ALL: LiteralString = """
MATCH (n:Service)
WITH n, 0.0 AS score
"""

_ACTIVE: LiteralString = "WHERE coalesce(n.active, true)\n"
_F_AREA: LiteralString = (
    "AND EXISTS { MATCH (n)-[:AT]->(fl:Location) WHERE fl.areaCode IN $area_codes }\n"
)
# Tag checks expand from the service (a handful of tags) rather than from the tag, whose
# degree can be in the tens of thousands at national scale.
_F_TAGS_ALL: LiteralString = (
    "AND all(code IN $tags_all WHERE code IN [(n)-[:ADDRESSES]->(ft:Tag) | ft.code])\n"
)
_F_TAGS_ANY: LiteralString = (
    "AND any(code IN [(n)-[:ADDRESSES]->(ft:Tag) | ft.code] WHERE code IN $tags_any)\n"
)
_F_MODE: LiteralString = "AND n.mode = $mode\n"
_F_ACCEPTS: LiteralString = "AND n.acceptsReferrals = $accepts_referrals\n"
_F_CAPACITY: LiteralString = "AND n.capacityStatus IN $capacity_statuses\n"
_F_ORG_KINDS: LiteralString = (
    "AND EXISTS { MATCH (fo:Organisation)-[:PROVIDES]->(n) WHERE fo.kind IN $organisation_kinds }\n"
)
_F_ORG: LiteralString = (
    "AND EXISTS { MATCH (:Organisation {id: $organisation_id})-[:PROVIDES]->(n) }\n"
)
_F_AGE: LiteralString = "AND coalesce(n.ageMin, 0) <= $age AND coalesce(n.ageMax, 200) >= $age\n"

_DISTANCE: LiteralString = """
CALL (n) {
  MATCH (n)-[:AT]->(dl:Location)
  WHERE coalesce(dl.active, true) AND point.distance(dl.point, point($center)) <= $meters
  RETURN min(point.distance(dl.point, point($center))) AS meters
}
WITH n, score, meters WHERE meters IS NOT NULL
"""
_NO_DISTANCE: LiteralString = "WITH n, score, null AS meters\n"

_SORT_KEYS: dict[str, LiteralString] = {
    "NAME": "WITH n, score, meters, n.name AS sortKey\n",
    "DISTANCE": "WITH n, score, meters, meters AS sortKey\n",
    "RELEVANCE": "WITH n, score, meters, score AS sortKey\n",
    "RECENTLY_UPDATED": "WITH n, score, meters, n.updatedAt.epochMillis AS sortKey\n",
}
_DESCENDING = {"RELEVANCE", "RECENTLY_UPDATED"}

_RETURN: LiteralString = (
    "RETURN "
    + SERVICE
    + """ AS service, sortKey,
       CASE WHEN meters IS NULL THEN null ELSE meters / 1000.0 END AS distance_km,
       score
"""
)


def _entry(
    search: str | None,
    near: tuple[float, float, float] | None,
    area_codes: Sequence[str] | None,
    tags_all: Sequence[str],
    tags_any: Sequence[str],
) -> tuple[LiteralString, dict[str, Any]]:
    """Where a search starts, the most selective way in its criteria allow (full text,
    distance, area, a tag, or every service), with that entry's parameters."""
    if search is not None:
        return _ENTRY_SEARCH, {"search": search}
    if near is not None:
        return (_ENTRY_NEAR if area_codes is None else _ENTRY_NEAR_IN_AREA), {}
    if area_codes is not None:
        return _ENTRY_AREA, {}
    if tags_all or tags_any:
        return _ENTRY_TAGS, {"entry_tags": list(tags_all[:1] or tags_any)}
    return _ENTRY_ALL, {}


def search_statement(
    *,
    sort: str,
    search: str | None = None,
    near: tuple[float, float, float] | None = None,
    area_codes: Sequence[str] | None = None,
    tags_all: Sequence[str] = (),
    tags_any: Sequence[str] = (),
    mode: str | None = None,
    accepts_referrals: bool | None = None,
    capacity_statuses: Sequence[str] = (),
    organisation_kinds: Sequence[str] = (),
    organisation_id: str | None = None,
    age: int | None = None,
    parts: ServiceParts = ALL_SERVICE_PARTS,
) -> tuple[LiteralString, dict[str, Any]]:
    """The Cypher text and parameters for one search; exposed so benchmarks run it raw."""
    entry, params = _entry(search, near, area_codes, tags_all, tags_any)
    params["parts"] = parts.param()
    filters: list[LiteralString] = [_ACTIVE]
    if near is not None:
        latitude, longitude, km = near
        # A map parameter; Cypher's point() makes the WGS-84 point from it.
        params["center"] = {"latitude": latitude, "longitude": longitude}
        params["meters"] = km * 1000.0
    if area_codes is not None:
        params["area_codes"] = list(area_codes)
        if entry is not _ENTRY_AREA and entry is not _ENTRY_NEAR_IN_AREA:
            filters.append(_F_AREA)
    if tags_all:
        params["tags_all"] = list(tags_all)
        filters.append(_F_TAGS_ALL)
    if tags_any:
        params["tags_any"] = list(tags_any)
        if entry is not _ENTRY_TAGS or tags_all:
            filters.append(_F_TAGS_ANY)
    for value, fragment, name in (
        (mode, _F_MODE, "mode"),
        (accepts_referrals, _F_ACCEPTS, "accepts_referrals"),
        (list(capacity_statuses) or None, _F_CAPACITY, "capacity_statuses"),
        (list(organisation_kinds) or None, _F_ORG_KINDS, "organisation_kinds"),
        (organisation_id, _F_ORG, "organisation_id"),
        (age, _F_AGE, "age"),
    ):
        if value is not None:
            params[name] = value
            filters.append(fragment)
    distance = _DISTANCE if near is not None else _NO_DISTANCE
    page = PAGE_DESC if sort in _DESCENDING else PAGE_ASC
    query: LiteralString = (
        entry + "WITH n, score\n" + "".join(filters) + distance + _SORT_KEYS[sort] + page + _RETURN
    )
    return query, params


def service_search(*, page: PageRequest, **criteria: Any) -> Page:
    query, params = search_statement(**criteria)
    rows = session.read(lambda tx: result_rows(tx.run(query, **params, **page.params())))
    for row in rows:
        row["service"] = {
            **plain(row["service"]),
            "distance_km": row["distance_km"],
            "score": row["score"],
        }
    return page_from(rows, page, key="service")
