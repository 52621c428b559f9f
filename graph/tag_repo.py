"""Repository for `(:Tag)` reads."""

from __future__ import annotations

from typing import Any, LiteralString

from graph import session

_CODES: LiteralString = "MATCH (t:Tag) RETURN collect(t.code) AS codes"
_LIST: LiteralString = """
MATCH (t:Tag) WHERE $kind IS NULL OR t.kind = $kind
RETURN t {
  .code, .kind, .description, label_ja: t.labelJa, label_en: t.labelEn,
  stigma_sensitive: coalesce(t.stigmaSensitive, false)
} AS tag
ORDER BY t.kind, t.code
"""


def tag_codes() -> list[str]:
    row = session.read(lambda tx: tx.single(_CODES))
    return [] if row is None else list(row["codes"])


def tag_list(*, kind: str | None = None) -> list[dict[str, Any]]:
    return [row["tag"] for row in session.read(lambda tx: tx.rows(_LIST, kind=kind))]
