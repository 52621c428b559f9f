"""Limits of the pathway questions. Pure."""

from __future__ import annotations

from datetime import date

from referral_hub.core.errors import ErrorCode, FieldError

MAX_HOPS = 4  # graph/pathways.py's quantifier {1,4} must match
ROUTES_LIMIT = 50


def hop_errors(max_hops: int) -> list[FieldError]:
    if not 1 <= max_hops <= MAX_HOPS:
        return [
            FieldError(
                "maxHops", ErrorCode.OUT_OF_RANGE, f"maxHops must be between 1 and {MAX_HOPS}."
            )
        ]
    return []


# k-anonymity: a count of people between 1 and K_ANONYMITY - 1 is never shown.
K_ANONYMITY = 5
COVERAGE_MONTHS_MAX = 24


def suppressed(count: int) -> int | None:
    """0 or at least K_ANONYMITY as is; 1–4 hidden (None), since so few could be named."""
    return None if 0 < count < K_ANONYMITY else count


def months_errors(months: int) -> list[FieldError]:
    if not 1 <= months <= COVERAGE_MONTHS_MAX:
        return [
            FieldError(
                "months",
                ErrorCode.OUT_OF_RANGE,
                f"months must be between 1 and {COVERAGE_MONTHS_MAX}.",
            )
        ]
    return []


def flow_cells(rows: list[dict]) -> tuple[list[dict], int]:
    """(cells shown, how many were hidden). A cell of fewer than K_ANONYMITY referrals is
    dropped whole — counts, rates and all — and totals are only ever sums of the cells
    shown, so no total can be used to back out a hidden cell."""
    shown = [row for row in rows if row["referrals"] >= K_ANONYMITY]
    for cell in shown:
        decided = cell["accepted"] + cell["declined"]
        cell["acceptance_rate"] = cell["accepted"] / decided if decided else None
        cell["completion_rate"] = cell["completed"] / cell["accepted"] if cell["accepted"] else None
    return shown, len(rows) - len(shown)


PERIOD_DAYS_MAX = 3 * 366


def period_errors(since: date, until: date) -> list[FieldError]:
    if until <= since:
        return [FieldError("period", ErrorCode.INVALID, "period: until must be after since.")]
    if (until - since).days > PERIOD_DAYS_MAX:
        return [
            FieldError("period", ErrorCode.OUT_OF_RANGE, "period: at most three years at once.")
        ]
    return []
