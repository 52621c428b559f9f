"""Keyset pagination shared by the directory's list queries.

Every list query binds its node to `n` and its sort value to `sortKey`; these
fragments then skip past the cursor and cut the page. The id breaks ties, so the
order is total and stable under inserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

PAGE_ASC: LiteralString = """
WITH * WHERE $after_id IS NULL OR sortKey > $after_key
             OR (sortKey = $after_key AND n.id > $after_id)
WITH * ORDER BY sortKey ASC, n.id ASC LIMIT $limit
"""

PAGE_DESC: LiteralString = """
WITH * WHERE $after_id IS NULL OR sortKey < $after_key
             OR (sortKey = $after_key AND n.id > $after_id)
WITH * ORDER BY sortKey DESC, n.id ASC LIMIT $limit
"""


@dataclass(frozen=True)
class PageRequest:
    first: int
    after_key: Any = None
    after_id: str | None = None

    def params(self) -> dict[str, Any]:
        # One extra row tells whether another page follows.
        return {"limit": self.first + 1, "after_key": self.after_key, "after_id": self.after_id}


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    has_next: bool


def page_from(rows: list[dict[str, Any]], request: PageRequest, *, key: str) -> Page:
    items = [{**row[key], "sort_key": row["sortKey"]} for row in rows]
    return Page(items=items[: request.first], has_next=len(items) > request.first)
