"""Reference data in the graph: `(:Area)-[:PART_OF]->(:Area)` and `(:Tag)`, with checksums."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph import session

_CHECKSUM = "MATCH (r:ReferenceData {name: $name}) RETURN r.checksum AS checksum"

_RECORD = """
MERGE (r:ReferenceData {name: $name})
SET r.checksum = $checksum, r.syncedAt = datetime(), r.rows = $rows
"""

_AREAS = """
UNWIND $rows AS row
MERGE (a:Area {code: row.code})
SET a.name = row.name, a.nameKana = row.name_kana, a.nameEn = row.name_en,
    a.kind = row.kind, a.prefectureCode = row.prefecture_code
WITH a, row
OPTIONAL MATCH (a)-[old:PART_OF]->()
DELETE old
WITH DISTINCT a, row
OPTIONAL MATCH (parent:Area {code: row.parent_code})
FOREACH (_ IN CASE WHEN parent IS NULL THEN [] ELSE [1] END | MERGE (a)-[:PART_OF]->(parent))
RETURN count(a) AS n
"""

_TAGS = """
UNWIND $rows AS row
MERGE (t:Tag {code: row.code})
SET t.kind = row.kind, t.labelJa = row.label_ja, t.labelEn = row.label_en,
    t.stigmaSensitive = row.stigma_sensitive, t.description = row.description,
    t.descriptionJa = row.description_ja
RETURN count(t) AS n
"""

_EXISTING_TAGS = "UNWIND $codes AS code MATCH (t:Tag {code: code}) RETURN collect(t.code) AS found"
_EXISTING_AREAS = (
    "UNWIND $codes AS code MATCH (a:Area {code: code}) RETURN collect(a.code) AS found"
)


def recorded_checksum(name: str) -> str | None:
    row = session.read(lambda tx: tx.single(_CHECKSUM, name=name))
    return None if row is None else row["checksum"]


def areas_sync(rows: Sequence[dict[str, Any]], *, checksum: str) -> int:
    """Two passes in one transaction: all areas first, so every parent exists when linked."""

    def work(tx: session.Tx) -> int:
        ordered = sorted(rows, key=lambda r: (r["parent_code"] is not None, r["code"]))
        count = tx.single(_AREAS, rows=list(ordered))
        tx.run(_RECORD, name="areas", checksum=checksum, rows=len(rows)).consume()
        return 0 if count is None else int(count["n"])

    return session.write(work)


def tags_sync(rows: Sequence[dict[str, Any]], *, checksum: str) -> int:
    def work(tx: session.Tx) -> int:
        count = tx.single(_TAGS, rows=list(rows))
        tx.run(_RECORD, name="tags", checksum=checksum, rows=len(rows)).consume()
        return 0 if count is None else int(count["n"])

    return session.write(work)


def missing_tags(codes: Sequence[str]) -> list[str]:
    if not codes:
        return []
    row = session.read(lambda tx: tx.single(_EXISTING_TAGS, codes=list(codes)))
    found = set(row["found"]) if row else set()
    return [code for code in codes if code not in found]


def missing_areas(codes: Sequence[str]) -> list[str]:
    if not codes:
        return []
    row = session.read(lambda tx: tx.single(_EXISTING_AREAS, codes=list(codes)))
    found = set(row["found"]) if row else set()
    return [code for code in codes if code not in found]
