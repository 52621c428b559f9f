"""Which kind of record each of a list of hub UUIDs names: the one lookup `node(id)` and
`nodes(ids)` need before each id goes to its own kind's read (which applies that kind's
permission, consent rule and audit). Only existence is read here, by each label's unique
id constraint, and only for the kinds the caller may read at all."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import LiteralString

from graph import session

# Every kind a node id may name: the label, which is also the API's type name.
NODE_KINDS: tuple[str, ...] = (
    "Organisation",
    "Service",
    "Location",
    "Referral",
    "Subject",
    "Opportunity",
)

_KINDS: LiteralString = """
UNWIND $ids AS id
CALL {
  WITH id WITH id WHERE 'Organisation' IN $kinds
  MATCH (:Organisation {id: id}) RETURN 'Organisation' AS kind
  UNION
  WITH id WITH id WHERE 'Service' IN $kinds
  MATCH (:Service {id: id}) RETURN 'Service' AS kind
  UNION
  WITH id WITH id WHERE 'Location' IN $kinds
  MATCH (:Location {id: id}) RETURN 'Location' AS kind
  UNION
  WITH id WITH id WHERE 'Referral' IN $kinds
  MATCH (:Referral {id: id}) RETURN 'Referral' AS kind
  UNION
  WITH id WITH id WHERE 'Subject' IN $kinds
  MATCH (:Subject {id: id}) RETURN 'Subject' AS kind
  UNION
  WITH id WITH id WHERE 'Opportunity' IN $kinds
  MATCH (:Opportunity {id: id}) RETURN 'Opportunity' AS kind
}
RETURN id, kind
"""


def node_kinds(ids: Sequence[str], kinds: Collection[str]) -> dict[str, str]:
    """{id: kind} for the ids that name a record of one of `kinds`; one round trip."""
    if not ids or not kinds:
        return {}
    wanted = [kind for kind in NODE_KINDS if kind in kinds]
    rows = session.read(lambda tx: tx.rows(_KINDS, ids=list(ids), kinds=wanted))
    return {row["id"]: row["kind"] for row in rows}
