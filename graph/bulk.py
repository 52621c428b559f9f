"""Batched, idempotent upserts (MERGE on application ids) for demo loads and HSDS imports.

Rows use snake_case keys. `upsert` runs inside a caller's transaction, so an import can
put a whole file in one transaction and a demo load can commit per batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, LiteralString, TypedDict

from graph import audit_log, session
from graph.audit_log import AuditRecord

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from 3.12

_TAGS: LiteralString = """
UNWIND $rows AS row
MERGE (t:Tag {code: row.code})
SET t.kind = row.kind, t.labelJa = row.label_ja, t.labelEn = row.label_en,
    t.stigmaSensitive = row.stigma_sensitive, t.description = row.description,
    t.descriptionJa = row.description_ja
"""

_ORGANISATIONS: LiteralString = """
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
ON CREATE SET o.createdAt = datetime()
SET o.name = row.name, o.kind = row.kind, o.description = row.description,
    o.areaCode = row.area_code, o.website = row.website, o.email = row.email,
    o.phone = row.phone, o.active = coalesce(row.active, true), o.updatedAt = datetime()
WITH o, row
OPTIONAL MATCH (o)-[old:BASED_IN]->(:Area)
DELETE old
WITH DISTINCT o, row
MATCH (a:Area {code: row.area_code})
MERGE (o)-[:BASED_IN]->(a)
"""

_LOCATIONS: LiteralString = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation_id})
MERGE (l:Location {id: row.id})
ON CREATE SET l.createdAt = datetime()
SET l.name = row.name, l.address = row.address, l.postalCode = row.postal_code,
    l.areaCode = row.area_code, l.active = coalesce(row.active, true), l.updatedAt = datetime(),
    l.point = CASE WHEN row.latitude IS NULL THEN null
                   ELSE point({latitude: row.latitude, longitude: row.longitude}) END
MERGE (o)-[:HAS_LOCATION]->(l)
WITH l, row
OPTIONAL MATCH (l)-[old:IN]->(:Area)
DELETE old
WITH DISTINCT l, row
MATCH (a:Area {code: row.area_code})
MERGE (l)-[:IN]->(a)
"""

_SERVICES: LiteralString = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation_id})
MERGE (s:Service {id: row.id})
ON CREATE SET s.createdAt = datetime(), s.capacityUpdatedAt = datetime()
SET s.name = row.name, s.description = row.description, s.mode = row.mode,
    s.ageMin = row.age_min, s.ageMax = row.age_max, s.languages = row.languages,
    s.schedule = row.schedule, s.acceptsReferrals = row.accepts_referrals,
    s.responseTargetHours = row.response_target_hours, s.capacityStatus = row.capacity_status,
    s.active = coalesce(row.active, true), s.updatedAt = datetime()
MERGE (o)-[:PROVIDES]->(s)
WITH s, row
CALL (s, row) {
  OPTIONAL MATCH (s)-[old:AT|ADDRESSES]->()
  DELETE old
}
CALL (s, row) {
  UNWIND row.location_ids AS location_id
  MATCH (l:Location {id: location_id})
  MERGE (s)-[:AT]->(l)
}
CALL (s, row) {
  UNWIND row.tags AS code
  MATCH (t:Tag {code: code})
  MERGE (s)-[:ADDRESSES]->(t)
}
"""

# Opportunities (issue 19): the role, its VIA service, its place and its interests.
_OPPORTUNITIES: LiteralString = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation_id}), (svc:Service {id: row.service_id})
MERGE (n:Opportunity {id: row.id})
ON CREATE SET n.createdAt = datetime()
SET n.title = row.title, n.description = row.description, n.schedule = row.schedule,
    n.ageMin = row.age_min, n.ageMax = row.age_max, n.areaCode = row.area_code,
    n.active = coalesce(row.active, true), n.updatedAt = datetime()
MERGE (o)-[:OFFERS]->(n)
WITH n, row, svc
CALL (n) {
  OPTIONAL MATCH (n)-[old:VIA|AT|INTERESTED_IN]->()
  DELETE old
}
MERGE (n)-[:VIA]->(svc)
WITH n, row
CALL (n, row) {
  MATCH (l:Location {id: row.location_id})
  MERGE (n)-[:AT]->(l)
}
CALL (n, row) {
  UNWIND row.interest_tags AS code
  MATCH (t:Tag {code: code, kind: 'INTEREST'})
  MERGE (n)-[:INTERESTED_IN]->(t)
}
"""

# Stored from the smaller id to the larger, as partnership_add does.
_PARTNERSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (a:Organisation {id: row.a}), (b:Organisation {id: row.b})
WITH CASE WHEN a.id < b.id THEN a ELSE b END AS x, CASE WHEN a.id < b.id THEN b ELSE a END AS y,
     row
MERGE (x)-[p:PARTNERS_WITH]->(y)
SET p.since = CASE WHEN row.since IS NULL THEN null ELSE date(row.since) END,
    p.sharesData = coalesce(row.shares_data, false)
"""


_HOLDERS: LiteralString = """
RETURN COLLECT { UNWIND $services AS id MATCH (s:Service {id: id})
                 RETURN [id, COLLECT { MATCH (o:Organisation)-[:PROVIDES]->(s) RETURN o.id }] }
         AS services,
       COLLECT { UNWIND $locations AS id MATCH (l:Location {id: id})
                 RETURN [id, COLLECT { MATCH (o:Organisation)-[:HAS_LOCATION]->(l) RETURN o.id }] }
         AS locations
"""

Holders = dict[str, dict[str, list[str]]]


def holders(tx: session.Tx, *, services: Sequence[str], locations: Sequence[str]) -> Holders:
    """Which of these services and locations the graph has, each with the organisations
    holding it (none, one, or — after an operator's import — more): kept apart by kind,
    since one id may name a service and a location."""
    row = tx.single(_HOLDERS, services=list(services), locations=list(locations))
    assert row is not None
    return {
        kind: {record_id: owners for record_id, owners in row[kind]}
        for kind in ("services", "locations")
    }


def upsert(
    tx: session.Tx,
    *,
    tags: Sequence[dict[str, Any]] = (),
    organisations: Sequence[dict[str, Any]] = (),
    locations: Sequence[dict[str, Any]] = (),
    services: Sequence[dict[str, Any]] = (),
    partnerships: Sequence[dict[str, Any]] = (),
    opportunities: Sequence[dict[str, Any]] = (),
    chunk: int = 5000,
) -> None:
    for query, rows in (
        (_TAGS, tags),
        (_ORGANISATIONS, organisations),
        (_LOCATIONS, locations),
        (_SERVICES, services),
        (_PARTNERSHIPS, partnerships),
        (_OPPORTUNITIES, opportunities),
    ):
        for start in range(0, len(rows), chunk):
            tx.run(query, rows=list(rows[start : start + chunk])).consume()


class Tables(TypedDict, total=False):
    """The rows `write_batch` passes on to `upsert`, by table (never its `chunk`)."""

    tags: Sequence[dict[str, Any]]
    organisations: Sequence[dict[str, Any]]
    locations: Sequence[dict[str, Any]]
    services: Sequence[dict[str, Any]]
    partnerships: Sequence[dict[str, Any]]
    opportunities: Sequence[dict[str, Any]]


def write_batch(*, audit: AuditRecord, **rows: Unpack[Tables]) -> None:
    """One transaction for the given rows and the audit event that records them."""

    def work(tx: session.Tx) -> None:
        upsert(tx, **rows)
        audit_log.append(tx, audit)

    session.write(work, bulk=True)


# For the demo's referral history: who sends (schools) and who receives (services of
# other organisations that take referrals for one of $needs) within $area_codes.
_DEMO_PARTIES: LiteralString = """
CALL () {
  MATCH (o:Organisation {kind: 'SCHOOL'}) WHERE o.areaCode IN $area_codes
  RETURN collect(o { .id, area_code: o.areaCode } ) AS schools
}
CALL () {
  MATCH (o:Organisation)-[:PROVIDES]->(s:Service)
  WHERE o.areaCode IN $area_codes AND o.kind <> 'SCHOOL'
    AND coalesce(s.acceptsReferrals, true) AND coalesce(s.active, true)
    AND coalesce(s.capacityStatus, 'AVAILABLE') <> 'FULL'
  WITH o, s, [(s)-[:ADDRESSES]->(t:Tag) WHERE t.code IN $needs | t.code] AS needs
  WHERE needs <> []
  RETURN collect({id: s.id, organisation_id: o.id, needs: needs}) AS services
}
RETURN schools, services, COUNT { MATCH (:Referral) } AS referrals
"""


def demo_parties(*, area_codes: Sequence[str], needs: Sequence[str]) -> dict[str, Any]:
    """Schools and receiving services (ordered by id) in the areas, and how many referrals
    the graph already holds (the history is only written into a graph without any)."""
    row = session.read(
        lambda tx: tx.single(_DEMO_PARTIES, area_codes=list(area_codes), needs=list(needs))
    )
    assert row is not None
    return {
        "schools": sorted(row["schools"], key=lambda s: s["id"]),
        "services": sorted(row["services"], key=lambda s: s["id"]),
        "referrals": row["referrals"],
    }


# The second story's parties (issue 20): community salons (places with an open exchange-type
# service for older people) and the regional comprehensive support centres' services that
# take referrals, in the areas.
_DEMO_ELDERLY_PARTIES: LiteralString = """
CALL () {
  MATCH (o:Organisation {kind: 'PLACE'})-[:PROVIDES]->(s:Service {mode: 'EXCHANGE'})
        -[:ADDRESSES]->(:Tag {code: 'older_people'})
  WHERE o.areaCode IN $area_codes AND coalesce(o.active, true)
  RETURN collect(DISTINCT o { .id, area_code: o.areaCode }) AS salons
}
CALL () {
  MATCH (o:Organisation {kind: 'COMPREHENSIVE_SUPPORT_CENTRE'})-[:PROVIDES]->(s:Service)
  WHERE o.areaCode IN $area_codes AND coalesce(o.active, true)
    AND coalesce(s.acceptsReferrals, true) AND coalesce(s.active, true)
  RETURN collect({id: s.id, organisation_id: o.id}) AS centres
}
RETURN salons, centres
"""


def demo_elderly_parties(*, area_codes: Sequence[str]) -> dict[str, Any]:
    """Salons and the centres' services in the areas, each ordered by id."""
    row = session.read(lambda tx: tx.single(_DEMO_ELDERLY_PARTIES, area_codes=list(area_codes)))
    assert row is not None
    return {
        "salons": sorted(row["salons"], key=lambda s: s["id"]),
        "centres": sorted(row["centres"], key=lambda s: s["id"]),
    }


# The demo's front-line cast: the school that sent the most referrals and the receiving
# organisation with the most still open (ties by id), so that `make run`'s counsellor and
# caseworker sign in to pages with something on them.
_DEMO_BUSIEST: LiteralString = """
CALL () {
  OPTIONAL MATCH (o:Organisation {kind: 'SCHOOL'})<-[:FROM]-(r:Referral)
  WHERE o.areaCode IN $area_codes
  WITH o, count(r) AS sent WHERE o IS NOT NULL
  RETURN o { .id, .name } AS school ORDER BY sent DESC, o.id LIMIT 1
}
CALL () {
  OPTIONAL MATCH (o:Organisation)-[:PROVIDES]->(:Service)<-[:TO]-(r:Referral)
  WHERE o.areaCode IN $area_codes AND r.state IN $sent_open_states
  WITH o, count(r) AS open WHERE o IS NOT NULL
  RETURN o { .id, .name } AS receiver ORDER BY open DESC, o.id LIMIT 1
}
RETURN school, receiver
"""


def demo_busiest(*, area_codes: Sequence[str]) -> dict[str, Any]:
    """{'school': {id, name} | None, 'receiver': {id, name} | None}."""
    row = session.read(lambda tx: tx.single(_DEMO_BUSIEST, area_codes=list(area_codes)))
    return dict(row) if row else {"school": None, "receiver": None}
