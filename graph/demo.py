"""Batched writes for the demo network loader (idempotent: MERGE on application ids)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph import session

_UPSERT_ORGANISATIONS = """
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
ON CREATE SET o.createdAt = datetime()
SET o.name = row.name, o.kind = row.kind, o.description = row.description,
    o.areaCode = row.area_code, o.website = row.website, o.email = row.email,
    o.phone = row.phone, o.active = true, o.updatedAt = datetime()
RETURN count(o) AS n
"""


def organisations_upsert(rows: Sequence[dict[str, Any]]) -> int:
    result = session.write(lambda tx: tx.single(_UPSERT_ORGANISATIONS, rows=list(rows)))
    return 0 if result is None else int(result["n"])
