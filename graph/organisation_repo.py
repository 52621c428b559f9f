"""Repository for `(:Organisation)` and `PARTNERS_WITH`: writes, reads by id, listing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import AuditRecord
from graph.errors import MissingReferences, NotFound
from graph.listing import PAGE_ASC, PAGE_DESC, Page, PageRequest, page_from
from graph.projections import ALL_ORGANISATION_PARTS, ORGANISATION, OrganisationParts
from graph.records import plain, result_rows

_BY_IDS: LiteralString = (
    "UNWIND $ids AS id MATCH (n:Organisation {id: id}) RETURN " + ORGANISATION + " AS organisation"
)

# The area is linked when the graph knows it; the service layer already refused unknown codes.
_LINK_AREA: LiteralString = """
WITH n
OPTIONAL MATCH (n)-[old:BASED_IN]->(:Area)
DELETE old
WITH DISTINCT n
OPTIONAL MATCH (a:Area {code: n.areaCode})
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | MERGE (n)-[:BASED_IN]->(a))
RETURN n.id AS id
"""

_CREATE: LiteralString = (
    """
CREATE (n:Organisation {
  id: $id, name: $name, kind: $kind, description: $description, areaCode: $area_code,
  website: $website, email: $email, phone: $phone, active: true,
  createdAt: datetime(), updatedAt: datetime()
})
"""
    + _LINK_AREA
)

# Kind and area are attested facts (a consent may permit "welfare offices in this ward"):
# an organisation's own update only requests a change to them, which waits for a
# coordinator (_DECIDE_CHANGE). A request that changes nothing clears a pending one.
_UPDATE: LiteralString = """
MATCH (n:Organisation {id: $id})
SET n += $properties, n.updatedAt = datetime()
WITH n, coalesce($kind, n.kind) AS kind, coalesce($area_code, n.areaCode) AS area
WITH n, kind, area,
     $request_change AND (kind <> n.kind OR area <> coalesce(n.areaCode, '')) AS requested
FOREACH (_ IN CASE WHEN requested THEN [1] ELSE [] END |
  SET n.pendingKind = kind, n.pendingAreaCode = area, n.pendingRequestedAt = datetime(),
      n.pendingRequestedBy = $requested_by)
FOREACH (_ IN CASE WHEN $request_change AND NOT requested THEN [1] ELSE [] END |
  REMOVE n.pendingKind, n.pendingAreaCode, n.pendingRequestedAt, n.pendingRequestedBy)
RETURN n.id AS id, requested
"""

# A coordinator whose area holds both the organisation's area and the requested one
# approves (the change is applied and attested) or rejects (it is dropped).
_DECIDE_CHANGE: LiteralString = (
    """
MATCH (n:Organisation {id: $id})
WHERE n.pendingRequestedAt IS NOT NULL
  AND ($area_codes IS NULL
       OR (n.areaCode IN $area_codes AND n.pendingAreaCode IN $area_codes))
SET n.kind = CASE WHEN $approve THEN n.pendingKind ELSE n.kind END,
    n.areaCode = CASE WHEN $approve THEN n.pendingAreaCode ELSE n.areaCode END,
    n.attestedAt = CASE WHEN $approve THEN datetime() ELSE n.attestedAt END,
    n.attestedBy = CASE WHEN $approve THEN $decided_by ELSE n.attestedBy END,
    n.updatedAt = datetime()
REMOVE n.pendingKind, n.pendingAreaCode, n.pendingRequestedAt, n.pendingRequestedBy
"""
    + _LINK_AREA
)

_PARTNERS_EXIST: LiteralString = """
RETURN [x IN [$a, $b] WHERE NOT EXISTS { MATCH (:Organisation {id: x}) }] AS missing
"""

# One relationship per pair whichever way it was added: stored from the smaller id.
_ADD_PARTNERSHIP: LiteralString = """
MATCH (a:Organisation {id: $a}), (b:Organisation {id: $b})
WITH CASE WHEN a.id < b.id THEN a ELSE b END AS x, CASE WHEN a.id < b.id THEN b ELSE a END AS y
OPTIONAL MATCH (x)-[old:PARTNERS_WITH]-(y)
DELETE old
MERGE (x)-[p:PARTNERS_WITH]->(y)
SET p.since = CASE WHEN $since IS NULL THEN date() ELSE date($since) END,
    p.sharesData = $shares_data
RETURN p.since AS since
"""

_REMOVE_PARTNERSHIP: LiteralString = """
MATCH (:Organisation {id: $a})-[p:PARTNERS_WITH]-(:Organisation {id: $b})
DELETE p
RETURN count(p) AS removed
"""

# Changed only through a coordinator's approval (see _UPDATE).
ATTESTED = ("kind", "area_code")

UPDATABLE: dict[str, str] = {
    "name": "name",
    "description": "description",
    "website": "website",
    "email": "email",
    "phone": "phone",
    "active": "active",
}


def organisation_create(
    *, organisation_id: str, fields: dict[str, Any], audit: AuditRecord
) -> dict[str, Any]:
    params = {
        key: fields.get(key)
        for key in ("name", "kind", "description", "area_code", "website", "email", "phone")
    }

    def work(tx: session.Tx) -> None:
        tx.single(_CREATE, id=organisation_id, **params)
        audit_log.append(tx, audit)

    session.write(work)
    return organisations_by_ids([organisation_id])[organisation_id]


def organisation_update(
    *,
    organisation_id: str,
    fields: dict[str, Any],
    audit: AuditRecord,
    request_audit: AuditRecord | None = None,
) -> dict[str, Any]:
    """Write the plain fields; `kind` and `area_code` only become a pending change
    (audited with `request_audit`) for a coordinator to decide."""
    attested = {key: fields.get(key) for key in ATTESTED}
    properties = {UPDATABLE[key]: value for key, value in fields.items() if key not in ATTESTED}

    def work(tx: session.Tx) -> None:
        row = tx.single(
            _UPDATE,
            id=organisation_id,
            properties=properties,
            request_change=any(value is not None for value in attested.values()),
            requested_by=audit.actor_user,
            **attested,
        )
        if row is None:
            raise NotFound(organisation_id)
        audit_log.append(tx, audit)
        if row["requested"] and request_audit is not None:
            audit_log.append(tx, request_audit)

    session.write(work)
    return organisations_by_ids([organisation_id])[organisation_id]


def organisation_change_decide(
    *,
    organisation_id: str,
    approve: bool,
    decided_by: str,
    area_codes: list[str] | None,
    audit: AuditRecord,
) -> dict[str, Any]:
    """Apply or drop a pending kind/area change; NotFound if none is pending in reach."""

    def work(tx: session.Tx) -> None:
        row = tx.single(
            _DECIDE_CHANGE,
            id=organisation_id,
            approve=approve,
            decided_by=decided_by,
            area_codes=area_codes,
        )
        if row is None:
            raise NotFound(organisation_id)
        audit_log.append(tx, audit)

    session.write(work)
    return organisations_by_ids([organisation_id])[organisation_id]


def organisations_by_ids(
    ids: Sequence[str], *, parts: OrganisationParts = ALL_ORGANISATION_PARTS
) -> dict[str, dict[str, Any]]:
    """Batch fetch: one round trip whatever the number of ids; `parts` left out are null."""
    found = session.read(
        lambda tx: result_rows(tx.run(_BY_IDS, ids=list(ids), parts=parts.param()))
    )
    return {row["organisation"]["id"]: plain(row["organisation"]) for row in found}


def partnership_add(
    *,
    organisation_id: str,
    partner_id: str,
    since: str | None,
    shares_data: bool,
    audit: AuditRecord,
) -> None:
    def work(tx: session.Tx) -> None:
        row = tx.single(_PARTNERS_EXIST, a=organisation_id, b=partner_id)
        if row and row["missing"]:
            raise MissingReferences(
                {
                    "organisationId" if organisation_id in row["missing"] else "partnerId": row[
                        "missing"
                    ]
                }
            )
        audit_log.append(tx, audit)
        tx.run(
            _ADD_PARTNERSHIP, a=organisation_id, b=partner_id, since=since, shares_data=shares_data
        ).consume()

    session.write(work)


def partnership_remove(*, organisation_id: str, partner_id: str, audit: AuditRecord) -> bool:
    def work(tx: session.Tx) -> bool:
        row = tx.single(_REMOVE_PARTNERSHIP, a=organisation_id, b=partner_id)
        audit_log.append(tx, audit)
        return bool(row and row["removed"])

    return session.write(work)


_SERVICE_OWNER: LiteralString = (
    "MATCH (o:Organisation)-[:PROVIDES]->(:Service {id: $id}) RETURN o.id AS owner"
)
_LOCATION_OWNER: LiteralString = (
    "MATCH (o:Organisation)-[:HAS_LOCATION]->(:Location {id: $id}) RETURN o.id AS owner"
)


def service_owner(service_id: str) -> str | None:
    row = session.read(lambda tx: tx.single(_SERVICE_OWNER, id=service_id))
    return None if row is None else row["owner"]


def location_owner(location_id: str) -> str | None:
    row = session.read(lambda tx: tx.single(_LOCATION_OWNER, id=location_id))
    return None if row is None else row["owner"]


# --- listing --------------------------------------------------------------------------------

_ENTRY_SEARCH: LiteralString = """
CALL db.index.fulltext.queryNodes('organisation_text', $search) YIELD node AS n, score
WITH n, score
"""
_ENTRY_PARTNER: LiteralString = """
MATCH (:Organisation {id: $partner_of})-[:PARTNERS_WITH]-(n:Organisation)
WITH DISTINCT n, 0.0 AS score
"""
_ENTRY_AREA: LiteralString = """
MATCH (n:Organisation) WHERE n.areaCode IN $area_codes
WITH n, 0.0 AS score
"""
_ENTRY_KINDS: LiteralString = """
MATCH (n:Organisation) WHERE n.kind IN $kinds
WITH n, 0.0 AS score
"""
_ENTRY_ALL: LiteralString = "MATCH (n:Organisation)\nWITH n, 0.0 AS score\n"

_ACTIVE: LiteralString = "WHERE coalesce(n.active, true)\n"
_F_KINDS: LiteralString = "AND n.kind IN $kinds\n"
_F_AREA: LiteralString = "AND n.areaCode IN $area_codes\n"
_F_PARTNER: LiteralString = (
    "AND EXISTS { MATCH (:Organisation {id: $partner_of})-[:PARTNERS_WITH]-(n) }\n"
)
_SORT_KEYS: dict[str, LiteralString] = {
    "NAME": "WITH n, score, n.name AS sortKey\n",
    "RELEVANCE": "WITH n, score, score AS sortKey\n",
    "RECENTLY_UPDATED": "WITH n, score, n.updatedAt.epochMillis AS sortKey\n",
}
_DESCENDING = {"RELEVANCE", "RECENTLY_UPDATED"}
_RETURN: LiteralString = "RETURN " + ORGANISATION + " AS organisation, sortKey\n"


def list_statement(
    *,
    sort: str,
    search: str | None = None,
    kinds: Sequence[str] = (),
    area_codes: Sequence[str] | None = None,
    partner_of: str | None = None,
    parts: OrganisationParts = ALL_ORGANISATION_PARTS,
) -> tuple[LiteralString, dict[str, Any]]:
    params: dict[str, Any] = {"parts": parts.param()}
    filters: list[LiteralString] = [_ACTIVE]
    if search is not None:
        entry, params["search"] = _ENTRY_SEARCH, search
    elif partner_of is not None:
        entry = _ENTRY_PARTNER
    elif area_codes is not None:
        entry = _ENTRY_AREA
    elif kinds:
        entry = _ENTRY_KINDS
    else:
        entry = _ENTRY_ALL
    if partner_of is not None:
        params["partner_of"] = partner_of
        if entry is not _ENTRY_PARTNER:
            filters.append(_F_PARTNER)
    if area_codes is not None:
        params["area_codes"] = list(area_codes)
        if entry is not _ENTRY_AREA:
            filters.append(_F_AREA)
    if kinds:
        params["kinds"] = list(kinds)
        if entry is not _ENTRY_KINDS:
            filters.append(_F_KINDS)
    page = PAGE_DESC if sort in _DESCENDING else PAGE_ASC
    query: LiteralString = entry + "".join(filters) + _SORT_KEYS[sort] + page + _RETURN
    return query, params


def organisation_list(*, page: PageRequest, **criteria: Any) -> Page:
    query, params = list_statement(**criteria)
    rows = session.read(lambda tx: result_rows(tx.run(query, **params, **page.params())))
    for row in rows:
        row["organisation"] = plain(row["organisation"])
    return page_from(rows, page, key="organisation")


_COUNT: LiteralString = "MATCH (o:Organisation) RETURN count(o) AS n"


def organisation_count() -> int:
    row = session.read(lambda tx: tx.single(_COUNT))
    return 0 if row is None else int(row["n"])
