"""Disclosure control for the aggregates (flows, coverage): the cell-key method. Pure.

Hiding counts of 1–4 is not enough once a caller puts two answers side by side: a parent
area minus its children, a grouping by kind minus one by organisation, a period minus a
shorter one, before minus after one change — each gave back a hidden count exactly
(issue 25). The cell-key method of the UK Office for National Statistics and the
Australian Bureau of Statistics closes that:

- every record (a referral, a subject) carries a random *record key* in [0, 256), drawn
  when it is created and never shown;
- a cell's *cell key* is the sum of its records' keys modulo 256, so the same records
  always make the same cell key, and any other set of records an unrelated one;
- a cell's published value is its count plus a small *noise* read from a fixed table at
  (count, cell key), then hidden if under K_ANONYMITY.

So the same question always gets the same answer (asking again teaches nothing), while
the difference of two answers carries the noise of both: it equals the hidden count only
when the two noises happen to cancel, with probability at most P_EXACT_DIFFERENCE.
Totals and rates are cells of their own, never sums or ratios of the cells shown.
"""

from __future__ import annotations

from itertools import accumulate

RECORD_KEY_RANGE = 256
K_ANONYMITY = 5  # a published count under this is hidden
# The noise and how many of the 256 cell keys give it: mean 0, variance 2.5, never more
# than 3 either way (D = 3), so a shown count is within 3 of the truth, and exactly the
# truth for one cell key in four (P_EXACT), which the caller cannot tell from the others.
NOISE_TABLE: tuple[tuple[int, int], ...] = (
    (-3, 16),
    (-2, 32),
    (-1, 48),
    (0, 64),
    (1, 48),
    (2, 32),
    (3, 16),
)
assert sum(weight for _, weight in NOISE_TABLE) == RECORD_KEY_RANGE
_BOUNDS = tuple(accumulate(weight for _, weight in NOISE_TABLE))
# Each count reads its own permutation of the table, so one cell key does not give the
# same noise to a cell of 5 and a cell of 6 (odd, hence coprime with 256).
_ROW_SHIFT = 101
P_EXACT = dict(NOISE_TABLE)[0] / RECORD_KEY_RANGE
# The chance that two independent noises cancel: a difference of two published counts
# is exact this often at most (more cells in the difference make it rarer still).
P_EXACT_DIFFERENCE = sum((weight / RECORD_KEY_RANGE) ** 2 for _, weight in NOISE_TABLE)
RATE_STEP = 0.1  # rates are published to the nearest 10%


def cell_key(record_key_sum: int) -> int:
    return record_key_sum % RECORD_KEY_RANGE


def noise(count: int, key: int) -> int:
    """The table's noise for a cell of `count` records with cell key `key`."""
    column = (key + _ROW_SHIFT * count) % RECORD_KEY_RANGE
    for (value, _), bound in zip(NOISE_TABLE, _BOUNDS, strict=True):
        if column < bound:
            return value
    raise AssertionError("the table covers every column")  # pragma: no cover


def perturbed(count: int, record_key_sum: int) -> int | None:
    """The published count: 0 stays 0 (no records, nothing to protect); otherwise the
    count plus its noise, hidden (None) when that is under K_ANONYMITY."""
    if count == 0:
        return 0
    value = count + noise(count, cell_key(record_key_sum))
    return value if value >= K_ANONYMITY else None


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """A rate of two *published* counts, both shown and non-zero, to the nearest 10%."""
    if not numerator or not denominator:
        return None
    share = min(1.0, numerator / denominator)
    return round(round(share / RATE_STEP) * RATE_STEP, 1)
