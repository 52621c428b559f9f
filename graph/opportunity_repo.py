"""Repository for `(:Opportunity)`: roles an organisation offers a person (issue 19).

Shape: `(org:Organisation)-[:OFFERS]->(n:Opportunity)-[:VIA]->(svc:Service)`, optionally
`(n)-[:AT]->(l:Location)`, and `(n)-[:INTERESTED_IN]->(t:Tag {kind: 'INTEREST'})`.
A write reads the facts its rule needs (the references' owners and the tags' kinds) in
its own transaction, lets the pure `decide` check them (it may raise: nothing is written),
then writes and audits in that transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import AuditRecord
from graph.listing import PAGE_ASC, Page, PageRequest, page_from
from graph.projections import LOCATION, ORGANISATION_SUMMARY, TAG
from graph.records import plain, result_rows

Row = dict[str, Any]

# One projection for every read, written for `n`; `$parts.location_areas` is the flag
# LOCATION reads (always on here: one location at most).
OPPORTUNITY: LiteralString = (
    """n {
  .id, .title, .description, .schedule,
  age_min: n.ageMin, age_max: n.ageMax, area_code: n.areaCode,
  active: coalesce(n.active, true), created_at: n.createdAt, updated_at: n.updatedAt,
  organisation: head(COLLECT { MATCH (o:Organisation)-[:OFFERS]->(n) RETURN o """
    + ORGANISATION_SUMMARY
    + """ }),
  service: head(COLLECT { MATCH (n)-[:VIA]->(s:Service) RETURN s { .id, .name, .mode } }),
  location: head(COLLECT { MATCH (n)-[:AT]->(l:Location) RETURN l """
    + LOCATION
    + """ }),
  interest_tags: COLLECT { MATCH (n)-[:INTERESTED_IN]->(t:Tag) RETURN t """
    + TAG
    + """ ORDER BY t.code }
}"""
)
_PARTS = {"location_areas": True}

_BY_IDS: LiteralString = (
    "UNWIND $ids AS id MATCH (n:Opportunity {id: id}) RETURN " + OPPORTUNITY + " AS opportunity"
)

# The facts the pure rule decides on (referral_hub/directory/opportunities.py, Facts).
_FACTS: LiteralString = """
OPTIONAL MATCH (org:Organisation {id: $organisation_id})
OPTIONAL MATCH (so:Organisation)-[:PROVIDES]->(svc:Service {id: $service_id})
OPTIONAL MATCH (lo:Organisation)-[:HAS_LOCATION]->(l:Location {id: $location_id})
RETURN org IS NOT NULL AS organisation_found,
       CASE WHEN svc IS NULL THEN null
            ELSE {owner: so.id, active: coalesce(svc.active, true)} END AS service,
       CASE WHEN l IS NULL THEN null
            ELSE {owner: lo.id, active: coalesce(l.active, true)} END AS location,
       COLLECT { UNWIND $tag_codes AS code MATCH (t:Tag {code: code})
                 RETURN {code: t.code, kind: t.kind} } AS tags
"""

_LOCK: LiteralString = """
MATCH (org:Organisation)-[:OFFERS]->(n:Opportunity {id: $id})
SET n.lockedAt = datetime()
RETURN org.id AS organisation_id, n.ageMin AS age_min, n.ageMax AS age_max,
       coalesce(n.active, true) AS active
"""

_CREATE: LiteralString = """
MATCH (org:Organisation {id: $organisation_id}), (svc:Service {id: $service_id})
CREATE (org)-[:OFFERS]->(n:Opportunity {
  id: $id, title: $title, description: $description, schedule: $schedule,
  ageMin: $age_min, ageMax: $age_max, areaCode: $area_code,
  active: true, createdAt: datetime(), updatedAt: datetime()
})-[:VIA]->(svc)
WITH n
CALL (n) {
  OPTIONAL MATCH (l:Location {id: $location_id})
  FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | CREATE (n)-[:AT]->(l))
}
CALL (n) {
  UNWIND $tag_codes AS code
  MATCH (t:Tag {code: code})
  CREATE (n)-[:INTERESTED_IN]->(t)
}
RETURN n.id AS id
"""

# Absent keys keep their value; the relationships are replaced only when asked
# ($service_id / $location_id / $tag_codes null: unchanged; $clear_location: drop it).
_UPDATE: LiteralString = """
MATCH (n:Opportunity {id: $id})
SET n += $properties, n.updatedAt = datetime()
WITH n
CALL (n) {
  WITH n WHERE $service_id IS NOT NULL
  MATCH (svc:Service {id: $service_id})
  OPTIONAL MATCH (n)-[old:VIA]->(:Service)
  DELETE old
  WITH DISTINCT n, svc
  CREATE (n)-[:VIA]->(svc)
}
CALL (n) {
  WITH n WHERE $location_id IS NOT NULL OR $clear_location
  OPTIONAL MATCH (n)-[old:AT]->(:Location)
  DELETE old
  WITH DISTINCT n
  OPTIONAL MATCH (l:Location {id: $location_id})
  FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | CREATE (n)-[:AT]->(l))
}
CALL (n) {
  WITH n WHERE $tag_codes IS NOT NULL
  OPTIONAL MATCH (n)-[old:INTERESTED_IN]->(:Tag)
  DELETE old
  WITH DISTINCT n
  UNWIND $tag_codes AS code
  MATCH (t:Tag {code: code})
  CREATE (n)-[:INTERESTED_IN]->(t)
}
RETURN n.id AS id
"""

# camelCase graph property for each snake_case field a caller may update.
UPDATABLE: dict[str, str] = {
    "title": "title",
    "description": "description",
    "schedule": "schedule",
    "age_min": "ageMin",
    "age_max": "ageMax",
    "area_code": "areaCode",
    "active": "active",
}


def _facts(
    tx: session.Tx,
    *,
    organisation_id: str,
    service_id: str | None,
    location_id: str | None,
    tag_codes: Sequence[str] | None,
) -> Row:
    row = tx.single(
        _FACTS,
        organisation_id=organisation_id,
        service_id=service_id,
        location_id=location_id,
        tag_codes=list(tag_codes or ()),
    )
    assert row is not None  # OPTIONAL MATCHes: always one row
    return row


def opportunity_create(
    *,
    opportunity_id: str,
    organisation_id: str,
    fields: dict[str, Any],
    service_id: str,
    location_id: str | None,
    tag_codes: Sequence[str],
    decide: Callable[[Row], None],
    audit: AuditRecord,
) -> dict[str, Any]:
    """`fields`: title, description, schedule, age_min, age_max, area_code."""

    def work(tx: session.Tx) -> str:
        facts = _facts(
            tx,
            organisation_id=organisation_id,
            service_id=service_id,
            location_id=location_id,
            tag_codes=tag_codes,
        )
        decide(facts)  # raises before anything is written
        row = tx.single(
            _CREATE,
            id=opportunity_id,
            organisation_id=organisation_id,
            service_id=service_id,
            location_id=location_id,
            tag_codes=list(tag_codes),
            **fields,
        )
        assert row is not None
        audit_log.append(tx, audit)
        return row["id"]

    return _get_required(session.write(work))


def opportunity_update(
    *,
    opportunity_id: str,
    decide: Callable[[Row | None], Row],
    check: Callable[[Row, Row], None],
    audit: AuditRecord,
) -> dict[str, Any]:
    """Lock the opportunity, let `decide(current)` name the change and `check(facts,
    change)` hold its references to the owner's (both pure, both may raise: nothing is
    written), apply it and audit it, in one transaction.

    The change is {"fields": {snake_case: value}, "service_id", "location_id",
    "clear_location", "tag_codes"}; a None reference is left as it is."""

    def work(tx: session.Tx) -> str:
        current = tx.single(_LOCK, id=opportunity_id)
        change = decide(current)
        assert current is not None  # decide refuses a missing opportunity
        facts = _facts(
            tx,
            organisation_id=current["organisation_id"],
            service_id=change.get("service_id"),
            location_id=change.get("location_id"),
            tag_codes=change.get("tag_codes"),
        )
        check(facts, change)
        properties = {UPDATABLE[key]: value for key, value in change["fields"].items()}
        row = tx.single(
            _UPDATE,
            id=opportunity_id,
            properties=properties,
            service_id=change.get("service_id"),
            location_id=change.get("location_id"),
            clear_location=bool(change.get("clear_location")),
            tag_codes=None if change.get("tag_codes") is None else list(change["tag_codes"]),
        )
        assert row is not None  # locked above
        audit_log.append(tx, audit)
        return row["id"]

    return _get_required(session.write(work))


_OWNER: LiteralString = (
    "MATCH (o:Organisation)-[:OFFERS]->(:Opportunity {id: $id}) RETURN o.id AS owner"
)


def opportunity_owner(opportunity_id: str) -> str | None:
    row = session.read(lambda tx: tx.single(_OWNER, id=opportunity_id))
    return None if row is None else row["owner"]


def opportunities_by_ids(ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Batch fetch: one round trip whatever the number of ids."""
    found = session.read(lambda tx: result_rows(tx.run(_BY_IDS, ids=list(ids), parts=_PARTS)))
    return {row["opportunity"]["id"]: plain(row["opportunity"]) for row in found}


def _get_required(opportunity_id: str) -> dict[str, Any]:
    return opportunities_by_ids([opportunity_id])[opportunity_id]


# --- list -----------------------------------------------------------------------------------
# Assembled from constant fragments by which filters are present; values only as parameters.
# The most selective entry first: distance, then area, then a tag, then the organisation.

_ENTRY_NEAR: LiteralString = """
MATCH (l:Location) WHERE point.distance(l.point, point($center)) <= $meters
  AND coalesce(l.active, true)
MATCH (n:Opportunity)-[:AT]->(l)
WITH n, point.distance(l.point, point($center)) AS meters
"""
_ENTRY_AREA: LiteralString = """
MATCH (n:Opportunity) WHERE n.areaCode IN $area_codes
WITH n, null AS meters
"""
_ENTRY_TAGS: LiteralString = """
MATCH (t:Tag) WHERE t.code IN $interest_tags
MATCH (n:Opportunity)-[:INTERESTED_IN]->(t)
WITH DISTINCT n, null AS meters
"""
_ENTRY_ORG: LiteralString = """
MATCH (:Organisation {id: $organisation_id})-[:OFFERS]->(n:Opportunity)
WITH n, null AS meters
"""
_ENTRY_ALL: LiteralString = """
MATCH (n:Opportunity)
WITH n, null AS meters
"""

_ACTIVE: LiteralString = "WHERE coalesce(n.active, true)\n"
_F_AREA: LiteralString = "AND n.areaCode IN $area_codes\n"
_F_TAGS: LiteralString = (
    "AND any(code IN [(n)-[:INTERESTED_IN]->(ft:Tag) | ft.code] WHERE code IN $interest_tags)\n"
)
_F_ORG: LiteralString = (
    "AND EXISTS { MATCH (:Organisation {id: $organisation_id})-[:OFFERS]->(n) }\n"
)
_BY_TITLE: LiteralString = "WITH n, meters, n.title AS sortKey\n"
_BY_DISTANCE: LiteralString = "WITH n, meters, meters AS sortKey\n"
_RETURN: LiteralString = (
    "RETURN "
    + OPPORTUNITY
    + """ AS opportunity, sortKey,
       CASE WHEN meters IS NULL THEN null ELSE meters / 1000.0 END AS distance_km
"""
)


def list_statement(
    *,
    near: tuple[float, float, float] | None = None,
    area_codes: Sequence[str] | None = None,
    interest_tags: Sequence[str] = (),
    organisation_id: str | None = None,
) -> tuple[LiteralString, dict[str, Any]]:
    """The Cypher text and parameters of one page; nearest first with `near`, else by title."""
    params: dict[str, Any] = {"parts": _PARTS}
    filters: list[LiteralString] = [_ACTIVE]
    entry: LiteralString
    if near is not None:
        latitude, longitude, km = near
        params["center"] = {"latitude": latitude, "longitude": longitude}
        params["meters"] = km * 1000.0
        entry = _ENTRY_NEAR
    elif area_codes is not None:
        entry = _ENTRY_AREA
    elif interest_tags:
        entry = _ENTRY_TAGS
    elif organisation_id is not None:
        entry = _ENTRY_ORG
    else:
        entry = _ENTRY_ALL
    if area_codes is not None:
        params["area_codes"] = list(area_codes)
        if entry is not _ENTRY_AREA:
            filters.append(_F_AREA)
    if interest_tags:
        params["interest_tags"] = list(interest_tags)
        if entry is not _ENTRY_TAGS:
            filters.append(_F_TAGS)
    if organisation_id is not None:
        params["organisation_id"] = organisation_id
        if entry is not _ENTRY_ORG:
            filters.append(_F_ORG)
    order = _BY_DISTANCE if near is not None else _BY_TITLE
    query: LiteralString = (
        entry + "WITH n, meters\n" + "".join(filters) + order + PAGE_ASC + _RETURN
    )
    return query, params


def opportunity_list(*, page: PageRequest, **criteria: Any) -> Page:
    """One page of active opportunities, in one round trip."""
    query, params = list_statement(**criteria)
    rows = session.read(lambda tx: result_rows(tx.run(query, **params, **page.params())))
    for row in rows:
        row["opportunity"] = {**plain(row["opportunity"]), "distance_km": row["distance_km"]}
    return page_from(rows, page, key="opportunity")
