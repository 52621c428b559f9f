"""Work in batches until none is left, for the periodic tasks."""

from __future__ import annotations

from collections.abc import Callable

BATCH = 500


def drain(step: Callable[[int], int], batch: int = BATCH) -> int:
    """Call `step(batch)` (one transaction handling at most `batch` items; it returns how
    many it handled) until a call handles fewer. Returns the total handled."""
    total = 0
    while True:
        done = step(batch)
        total += done
        if done < batch:
            return total
