"""Repository for `(:Organisation)` nodes: create, fetch by id and keyset-paginated listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString
from uuid import UUID

from graph import session
from graph.records import plain

# Map projection shared by every read, so all callers get the same snake_case shape.
_PROJECTION: LiteralString = """
o {
  .id, .name, .kind, .description, .website, .email, .phone,
  area_code: o.areaCode,
  active: coalesce(o.active, true),
  created_at: o.createdAt,
  updated_at: o.updatedAt
}"""

_CREATE: LiteralString = (
    """
CREATE (o:Organisation {
  id: $id, name: $name, kind: $kind, description: $description, areaCode: $area_code,
  website: $website, email: $email, phone: $phone, active: true,
  createdAt: datetime(), updatedAt: datetime()
})
RETURN """
    + _PROJECTION
    + " AS organisation"
)

_GET_MANY: LiteralString = (
    """
UNWIND $ids AS id
MATCH (o:Organisation {id: id})
RETURN """
    + _PROJECTION
    + " AS organisation"
)

_LIST: LiteralString = (
    """
MATCH (o:Organisation)
WHERE coalesce(o.active, true)
  AND ($kind IS NULL OR o.kind = $kind)
  AND ($area_code IS NULL OR o.areaCode = $area_code)
  AND ($after_name IS NULL OR o.name > $after_name
       OR (o.name = $after_name AND o.id > $after_id))
WITH o ORDER BY o.name, o.id LIMIT $limit
RETURN """
    + _PROJECTION
    + " AS organisation"
)

_COUNT: LiteralString = "MATCH (o:Organisation) RETURN count(o) AS n"


@dataclass(frozen=True)
class OrganisationPage:
    items: list[dict[str, Any]]
    has_next: bool


def organisation_create(
    *,
    organisation_id: UUID,
    name: str,
    kind: str,
    description: str | None,
    area_code: str | None,
    website: str | None,
    email: str | None,
    phone: str | None,
) -> dict[str, Any]:
    params = {
        "id": str(organisation_id),
        "name": name,
        "kind": kind,
        "description": description,
        "area_code": area_code,
        "website": website,
        "email": email,
        "phone": phone,
    }
    row = session.write(lambda tx: tx.single(_CREATE, **params))
    assert row is not None
    return plain(row["organisation"])


def organisations_by_ids(ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Batch fetch for DataLoaders: one round trip whatever the number of ids."""
    rows = session.read(lambda tx: tx.rows(_GET_MANY, ids=list(ids)))
    return {row["organisation"]["id"]: plain(row["organisation"]) for row in rows}


def organisation_list(
    *,
    kind: str | None = None,
    area_code: str | None = None,
    first: int,
    after: tuple[str, str] | None = None,
) -> OrganisationPage:
    """Ordered by (name, id); `after` is the (name, id) of the last row already seen."""
    after_name, after_id = after if after is not None else (None, None)
    rows = session.read(
        lambda tx: tx.rows(
            _LIST,
            kind=kind,
            area_code=area_code,
            after_name=after_name,
            after_id=after_id,
            limit=first + 1,
        )
    )
    items = [plain(row["organisation"]) for row in rows]
    return OrganisationPage(items=items[:first], has_next=len(items) > first)


def organisation_count() -> int:
    row = session.read(lambda tx: tx.single(_COUNT))
    return 0 if row is None else int(row["n"])
