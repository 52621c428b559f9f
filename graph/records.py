"""Turn driver values into plain Python ones at the repository boundary."""

from __future__ import annotations

from typing import Any

from neo4j.time import Date, DateTime


def plain(value: Any) -> Any:
    """Recursively replace Neo4j temporal values with `datetime`/`date` objects."""
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
