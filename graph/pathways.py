"""Pathway questions over the partnership graph. One statement each, parameters only."""

from __future__ import annotations

from typing import Any, LiteralString

from graph import session
from graph.records import plain

# The hop limit is a literal because Cypher needs a constant quantifier; shorter limits
# are applied as a filter (referral_hub/pathways/rules.py MAX_HOPS must match it).
_ROUTES: LiteralString = """
MATCH (start:Organisation {id: $from_id})
MATCH p = ANY SHORTEST (start)-[:PARTNERS_WITH]-{1,4}(target:Organisation)
WHERE target <> start AND coalesce(target.active, true)
  AND EXISTS { MATCH (target)-[:PROVIDES]->(s:Service)-[:ADDRESSES]->(:Tag {code: $need})
               WHERE coalesce(s.active, true) }
  AND length(p) <= $max_hops
  AND all(n IN nodes(p) WHERE coalesce(n.active, true))
WITH p, target, length(p) AS hops
ORDER BY hops, target.name, target.id
LIMIT $limit
RETURN hops,
       [n IN nodes(p) | n { .id, .name, .kind, area_code: n.areaCode }] AS organisations,
       COLLECT { MATCH (target)-[:PROVIDES]->(s:Service)-[:ADDRESSES]->(:Tag {code: $need})
                 WHERE coalesce(s.active, true)
                 RETURN s { .id, .name, .mode } ORDER BY s.name } AS services
"""

_ORGANISATION_EXISTS: LiteralString = (
    "OPTIONAL MATCH (o:Organisation {id: $id}) RETURN o IS NOT NULL AS found"
)


def routes(*, from_id: str, need: str, max_hops: int, limit: int) -> list[dict[str, Any]]:
    return [
        plain(row)
        for row in session.read(
            lambda tx: tx.rows(_ROUTES, from_id=from_id, need=need, max_hops=max_hops, limit=limit)
        )
    ]


def organisation_exists(organisation_id: str) -> bool:
    row = session.read(lambda tx: tx.single(_ORGANISATION_EXISTS, id=organisation_id))
    return bool(row and row["found"])
