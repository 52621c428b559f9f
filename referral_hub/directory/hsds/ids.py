"""HSDS ids as the hub keeps them: the canonical lower-case UUID text.

A UUID has many spellings (upper case, braces, `urn:uuid:`, no hyphens); stored as
written, one record could become several nodes that no API call (which canonicalises)
ever finds again. Anything that is not a short text is replaced before any other step
looks at it, so a megabyte-long "id" is never copied into each nested child's reference
or into a report line.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NOT_AN_ID = "(not a UUID)"
# The longest spelling uuid.UUID reads: urn:uuid:{…} with hyphens. A longer text that
# is no UUID is still shown in the report, up to a point.
_SPELLING_MAX = 47
_SHOWN_MAX = 64


def is_id(value: Any) -> bool:
    return isinstance(value, str) and CANONICAL.fullmatch(value) is not None


def canonical(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and len(value) <= _SPELLING_MAX:
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    if isinstance(value, str) and len(value) <= _SHOWN_MAX:
        return value  # reported as the publisher wrote it
    return NOT_AN_ID


def canonical_ids(tables: Mapping[str, list[dict[str, Any]]]) -> None:
    """Every `id` and `…_id` of every record, in place."""
    for rows in tables.values():
        for row in rows:
            for key, value in row.items():
                if isinstance(key, str) and (key == "id" or key.endswith("_id")):
                    row[key] = canonical(value)
