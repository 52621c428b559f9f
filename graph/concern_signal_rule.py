"""The one rule for what a concern signal (a murmur) may hold, checked before any statement.

A signal records that a concern about a need was heard, in an area, in a month, about
someone in an age band, at an organisation — and nothing else, ever: no name, no note, no
free text about a person (issue 19). This module names the only properties a
(:ConcernSignal) node may carry and the only links it may have, and refuses any other
field, or a value that could hold text, before graph/concern_signal_repo.py sends its
statement. That statement sets exactly these parameters one by one, never a map from
input, so nothing the caller adds can reach the node.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

# The node's own properties (recordedAt is set by the statement from the graph's clock).
SIGNAL_PROPERTIES = frozenset({"id", "month", "ageBand", "recordedAt"})
# What a caller hands the repository: the properties it may choose and the three links.
SIGNAL_FIELDS = frozenset({"id", "month", "ageBand", "needTag", "areaCode", "organisationId"})

# Codes, not words: an age band and a tag are short upper/lower-case identifiers and an
# area a six-digit JIS code, so none of them can carry a sentence about someone.
_AGE_BAND = re.compile(r"[A-Z][A-Z0-9_]{0,15}")
_TAG_CODE = re.compile(r"[a-z0-9_:.-]{1,64}")  # as the directory's tag codes: no spaces
_AREA_CODE = re.compile(r"[0-9]{6}")


class ForbiddenSignalField(ValueError):
    """A signal was handed a field it may not hold, or a value that is not a code."""


def _uuid(value: Any) -> str:
    if not isinstance(value, str):
        raise ForbiddenSignalField("id: a UUID")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ForbiddenSignalField("id: a UUID") from None


def _code(name: str, value: Any, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ForbiddenSignalField(f"{name}: a code, not text")
    return value


def checked_signal(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The signal's fields, each checked for its type and form; any other field raises."""
    extra = sorted(set(fields) - SIGNAL_FIELDS)
    if extra:
        raise ForbiddenSignalField(f"a concern signal holds no {', '.join(extra)}")
    missing = sorted(SIGNAL_FIELDS - set(fields))
    if missing:
        raise ForbiddenSignalField(f"a concern signal needs {', '.join(missing)}")
    month = fields["month"]
    if type(month) is not date or month.day != 1:
        raise ForbiddenSignalField("month: the first day of a month")
    return {
        "id": _uuid(fields["id"]),
        "month": month.isoformat(),
        "ageBand": _code("ageBand", fields["ageBand"], _AGE_BAND),
        "needTag": _code("needTag", fields["needTag"], _TAG_CODE),
        "areaCode": _code("areaCode", fields["areaCode"], _AREA_CODE),
        "organisationId": _uuid(fields["organisationId"]),
    }
