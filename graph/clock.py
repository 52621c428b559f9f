"""The graph's clock: Neo4j's own, unless a test has set it.

Every statement that compares dates uses `NOW` or `TODAY` from graph/consent_rule.py,
which read the `$clock_now` parameter that graph/session.py passes to every statement.
In production it is null, so Neo4j's clock decides and Python's clock never does; the
property tests set it to move time (expiry, the age of majority, statutory sight).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

_frozen: datetime | None = None


def now_param() -> str | None:
    """The value of `$clock_now`: an ISO date-time with its offset, or None (real time)."""
    return None if _frozen is None else _frozen.isoformat()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Tests only: every statement in the block sees `moment` as the current time."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("a frozen moment needs its time zone")
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
