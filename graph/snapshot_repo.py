"""The whole directory as plain rows, for HSDS export (one statement per entity type)."""

from __future__ import annotations

from typing import Any, LiteralString

from graph import session
from graph.records import plain

_ORGANISATIONS: LiteralString = """
MATCH (o:Organisation)
RETURN o.id AS id, o.name AS name, o.kind AS kind, o.description AS description,
       o.areaCode AS area_code, o.website AS website, o.email AS email, o.phone AS phone,
       coalesce(o.active, true) AS active
ORDER BY o.id
"""
_LOCATIONS: LiteralString = """
MATCH (o:Organisation)-[:HAS_LOCATION]->(l:Location)
RETURN l.id AS id, o.id AS organisation_id, l.name AS name, l.address AS address,
       l.postalCode AS postal_code, l.areaCode AS area_code, l.point.y AS latitude,
       l.point.x AS longitude, coalesce(l.active, true) AS active
ORDER BY l.id
"""
_SERVICES: LiteralString = """
MATCH (o:Organisation)-[:PROVIDES]->(s:Service)
RETURN s.id AS id, o.id AS organisation_id, s.name AS name, s.description AS description,
       s.mode AS mode, s.ageMin AS age_min, s.ageMax AS age_max, s.languages AS languages,
       s.schedule AS schedule, s.acceptsReferrals AS accepts_referrals,
       s.responseTargetHours AS response_target_hours, s.capacityStatus AS capacity_status,
       coalesce(s.active, true) AS active,
       COLLECT { MATCH (s)-[:AT]->(l:Location) RETURN l.id ORDER BY l.id } AS location_ids,
       COLLECT { MATCH (s)-[:ADDRESSES]->(t:Tag) RETURN t.code ORDER BY t.code } AS tags
ORDER BY s.id
"""
_TAGS: LiteralString = """
MATCH (t:Tag)
RETURN t.code AS code, t.kind AS kind, t.labelJa AS label_ja, t.labelEn AS label_en,
       coalesce(t.stigmaSensitive, false) AS stigma_sensitive, t.description AS description,
       t.descriptionJa AS description_ja
ORDER BY t.code
"""
_PARTNERSHIPS: LiteralString = """
MATCH (a:Organisation)-[p:PARTNERS_WITH]->(b:Organisation)
RETURN a.id AS a, b.id AS b, toString(p.since) AS since,
       coalesce(p.sharesData, false) AS shares_data
ORDER BY a, b
"""
_EXISTING: LiteralString = """
RETURN COLLECT { UNWIND $organisations AS id MATCH (o:Organisation {id: id}) RETURN id }
         AS organisations,
       COLLECT { UNWIND $locations AS id MATCH (l:Location {id: id}) RETURN id } AS locations,
       COLLECT { UNWIND $tags AS code MATCH (t:Tag {code: code}) RETURN code } AS tags
"""


def directory_snapshot() -> dict[str, list[dict[str, Any]]]:
    def work(tx: session.Tx) -> dict[str, list[dict[str, Any]]]:
        return {
            name: [plain(row) for row in tx.rows(query)]
            for name, query in (
                ("organisations", _ORGANISATIONS),
                ("locations", _LOCATIONS),
                ("services", _SERVICES),
                ("tags", _TAGS),
                ("partnerships", _PARTNERSHIPS),
            )
        }

    return session.read(work, bulk=True)


def existing(
    *, organisations: list[str], locations: list[str], tags: list[str]
) -> dict[str, set[str]]:
    """Which of these ids the graph already has: an import may refer to them."""
    row = session.read(
        lambda tx: tx.single(_EXISTING, organisations=organisations, locations=locations, tags=tags)
    )
    assert row is not None
    return {key: set(values) for key, values in row.items()}
