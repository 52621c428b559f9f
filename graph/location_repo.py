"""Repository for `(:Location)`: a place with an address, a WGS-84 point and its area."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import AuditRecord
from graph.errors import MissingReferences, NotFound
from graph.projections import LOCATION_NODE
from graph.records import plain

_BY_IDS: LiteralString = (
    "UNWIND $ids AS id MATCH (n:Location {id: id}) RETURN " + LOCATION_NODE + " AS location"
)

_LINK_AREA: LiteralString = """
WITH n
OPTIONAL MATCH (n)-[old:IN]->(:Area)
DELETE old
WITH DISTINCT n
OPTIONAL MATCH (a:Area {code: n.areaCode})
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | MERGE (n)-[:IN]->(a))
RETURN n.id AS id
"""

_CREATE: LiteralString = (
    """
MATCH (o:Organisation {id: $organisation_id})
CREATE (o)-[:HAS_LOCATION]->(n:Location {
  id: $id, name: $name, address: $address, postalCode: $postal_code, areaCode: $area_code,
  point: CASE WHEN $latitude IS NULL THEN null
              ELSE point({latitude: $latitude, longitude: $longitude}) END,
  active: true, createdAt: datetime(), updatedAt: datetime()
})
"""
    + _LINK_AREA
)

_UPDATE: LiteralString = (
    """
MATCH (n:Location {id: $id})
SET n += $properties, n.updatedAt = datetime()
SET n.point = CASE WHEN NOT $point_given THEN n.point
                   WHEN $latitude IS NULL THEN null
                   ELSE point({latitude: $latitude, longitude: $longitude}) END
"""
    + _LINK_AREA
)

UPDATABLE: dict[str, str] = {
    "name": "name",
    "address": "address",
    "postal_code": "postalCode",
    "area_code": "areaCode",
    "active": "active",
}


def location_create(
    *, location_id: str, organisation_id: str, fields: dict[str, Any], audit: AuditRecord
) -> dict[str, Any]:
    params = {
        key: fields.get(key)
        for key in ("name", "address", "postal_code", "area_code", "latitude", "longitude")
    }

    def work(tx: session.Tx) -> None:
        if tx.single(_CREATE, id=location_id, organisation_id=organisation_id, **params) is None:
            raise MissingReferences({"organisationId": [organisation_id]})
        audit_log.append(tx, audit)

    session.write(work)
    return locations_by_ids([location_id])[location_id]


def location_update(
    *, location_id: str, fields: dict[str, Any], audit: AuditRecord
) -> dict[str, Any]:
    properties = {UPDATABLE[k]: v for k, v in fields.items() if k in UPDATABLE}
    point_given = "latitude" in fields or "longitude" in fields

    def work(tx: session.Tx) -> None:
        row = tx.single(
            _UPDATE,
            id=location_id,
            properties=properties,
            point_given=point_given,
            latitude=fields.get("latitude"),
            longitude=fields.get("longitude"),
        )
        if row is None:
            raise NotFound(location_id)
        audit_log.append(tx, audit)

    session.write(work)
    return locations_by_ids([location_id])[location_id]


def locations_by_ids(ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = session.read(lambda tx: tx.rows(_BY_IDS, ids=list(ids)))
    return {row["location"]["id"]: plain(row["location"]) for row in rows}
