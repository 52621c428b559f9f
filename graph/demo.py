"""Batched, idempotent writers for the demo networks (MERGE on application ids)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graph import session

_ORGANISATIONS: LiteralString = """
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
ON CREATE SET o.createdAt = datetime()
SET o.name = row.name, o.kind = row.kind, o.description = row.description,
    o.areaCode = row.area_code, o.phone = row.phone, o.active = true, o.updatedAt = datetime()
WITH o, row
MATCH (a:Area {code: row.area_code})
MERGE (o)-[:BASED_IN]->(a)
"""

_LOCATIONS: LiteralString = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation_id})
MATCH (a:Area {code: row.area_code})
MERGE (l:Location {id: row.id})
ON CREATE SET l.createdAt = datetime()
SET l.name = row.name, l.address = row.address, l.postalCode = row.postal_code,
    l.areaCode = row.area_code, l.active = true, l.updatedAt = datetime(),
    l.point = point({latitude: row.latitude, longitude: row.longitude})
MERGE (o)-[:HAS_LOCATION]->(l)
MERGE (l)-[:IN]->(a)
"""

_SERVICES: LiteralString = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation_id})
MATCH (l:Location {id: row.location_id})
MERGE (s:Service {id: row.id})
ON CREATE SET s.createdAt = datetime(), s.capacityUpdatedAt = datetime()
SET s.name = row.name, s.description = row.description, s.mode = row.mode,
    s.ageMin = row.age_min, s.ageMax = row.age_max, s.languages = row.languages,
    s.schedule = row.schedule, s.acceptsReferrals = row.accepts_referrals,
    s.responseTargetHours = row.response_target_hours, s.capacityStatus = row.capacity_status,
    s.active = true, s.updatedAt = datetime()
MERGE (o)-[:PROVIDES]->(s)
MERGE (s)-[:AT]->(l)
WITH s, row
CALL (s, row) {
  UNWIND row.tags AS code
  MATCH (t:Tag {code: code})
  MERGE (s)-[:ADDRESSES]->(t)
}
"""

_PARTNERSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (a:Organisation {id: row.a}), (b:Organisation {id: row.b})
MERGE (a)-[p:PARTNERS_WITH]->(b)
SET p.since = date(row.since), p.sharesData = row.shares_data
"""


def write_batch(
    *,
    organisations: Sequence[dict[str, Any]],
    locations: Sequence[dict[str, Any]],
    services: Sequence[dict[str, Any]],
    partnerships: Sequence[dict[str, Any]],
) -> None:
    """One transaction per batch, so an interrupted load leaves whole municipalities."""

    def work(tx: session.Tx) -> None:
        for query, rows in (
            (_ORGANISATIONS, organisations),
            (_LOCATIONS, locations),
            (_SERVICES, services),
            (_PARTNERSHIPS, partnerships),
        ):
            if rows:
                tx.run(query, rows=list(rows)).consume()

    session.write(work)
