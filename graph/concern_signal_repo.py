"""Repository for `(:ConcernSignal)`: recording a murmur, one statement and its audit event.

The statement checks, with the write, everything the graph knows: the organisation
exists and runs at least one active exchange-type service (an open place, where murmurs
are heard), the need is a NEED tag, and the area is the organisation's own or inside it.
When any of these fails nothing is created, and the caller's transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import AuditRecord
from graph.concern_signal_rule import checked_signal
from graph.consent_rule import NOW
from graph.errors import GraphError


class SignalRefused(GraphError):
    """The graph refused the signal; `reason` is ORGANISATION, NEED, AREA or EXCHANGE."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"concern signal refused: {reason}")


# recordedAt keeps the day only: the exact time a murmur was entered, beside the place,
# could point to who was there (the audit event keeps the moment, for auditors only).
_RECORD: LiteralString = (
    """
OPTIONAL MATCH (org:Organisation {id: $organisation_id}) WHERE coalesce(org.active, true)
OPTIONAL MATCH (need:Tag {code: $need_tag, kind: 'NEED'})
OPTIONAL MATCH (area:Area {code: $area_code})
WITH org, need, area,
     CASE
       WHEN org IS NULL THEN 'ORGANISATION'
       WHEN need IS NULL THEN 'NEED'
       WHEN area IS NULL OR org.areaCode IS NULL
         OR NOT EXISTS { MATCH (area)-[:PART_OF*0..2]->(:Area {code: org.areaCode}) }
         THEN 'AREA'
       WHEN NOT $on_rounds
         AND NOT EXISTS { MATCH (org)-[:PROVIDES]->(s:Service {mode: 'EXCHANGE'})
                         WHERE coalesce(s.active, true) } THEN 'EXCHANGE'
     END AS refused
CALL (org, need, area, refused) {
  WITH org, need, area WHERE refused IS NULL
  CREATE (c:ConcernSignal {id: $id, month: date($month), ageBand: $age_band,
                           recordedAt: datetime.truncate('day', """
    + NOW
    + """)})
  CREATE (c)-[:ABOUT]->(need), (c)-[:IN]->(area), (c)-[:HEARD_AT]->(org)
  RETURN count(c) AS created
}
RETURN refused, created
"""
)


def concern_signal_record(
    *, fields: Mapping[str, Any], audit: AuditRecord, on_rounds: bool = False
) -> dict[str, Any]:
    """Record one signal and its audit event in one transaction; SignalRefused (nothing
    written) when the graph refuses it. `fields` passes graph/concern_signal_rule.py first.
    `on_rounds`: a welfare volunteer heard it on their rounds, so no open place is asked."""
    signal = checked_signal(fields)

    def work(tx: session.Tx) -> dict[str, Any]:
        row = tx.single(
            _RECORD,
            id=signal["id"],
            month=signal["month"],
            age_band=signal["ageBand"],
            need_tag=signal["needTag"],
            area_code=signal["areaCode"],
            organisation_id=signal["organisationId"],
            on_rounds=on_rounds,
        )
        assert row is not None  # OPTIONAL MATCHes: always one row
        if row["refused"] is not None:
            raise SignalRefused(str(row["refused"]))
        audit_log.append(tx, audit)
        return signal

    return session.write(work)


# For the demo (referral_hub/pathways/demo_murmurs.py): organisations in the areas that run
# an active open exchange-type place, and the NEED tags no active place in an area
# addresses; and whether any signal is recorded yet (the demo writes into none).
_DEMO_PLACES: LiteralString = """
MATCH (o:Organisation)-[:PROVIDES]->(s:Service {mode: 'EXCHANGE'})
WHERE o.areaCode IN $area_codes AND coalesce(o.active, true) AND coalesce(s.active, true)
WITH DISTINCT o
RETURN o.id AS id, o.areaCode AS area_code ORDER BY o.name, o.id LIMIT $limit
"""
_UNADDRESSED: LiteralString = """
MATCH (t:Tag {kind: 'NEED'})
WHERE NOT EXISTS {
  MATCH (:Area {code: $area_code})<-[:PART_OF*0..2]-(:Area)<-[:IN]-(l:Location)<-[:AT]-(s:Service)
        -[:ADDRESSES]->(t)
  WHERE coalesce(s.active, true) AND coalesce(l.active, true)
}
RETURN t.code AS code ORDER BY code
"""
_ANY_SIGNAL: LiteralString = "MATCH (c:ConcernSignal) RETURN count(c) > 0 AS any LIMIT 1"


def demo_places(*, area_codes: list[str], limit: int) -> list[dict[str, Any]]:
    return session.read(lambda tx: tx.rows(_DEMO_PLACES, area_codes=area_codes, limit=limit))


def unaddressed_needs(*, area_code: str) -> list[str]:
    return [
        row["code"] for row in session.read(lambda tx: tx.rows(_UNADDRESSED, area_code=area_code))
    ]


def any_signal() -> bool:
    row = session.read(lambda tx: tx.single(_ANY_SIGNAL))
    return bool(row and row["any"])
