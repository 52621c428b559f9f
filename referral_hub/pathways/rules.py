"""Limits of the pathway questions. Pure."""

from __future__ import annotations

from datetime import date

from referral_hub.core.errors import ErrorCode, FieldError
from referral_hub.pathways.disclosure import perturbed, rate

MAX_HOPS = 4  # graph/pathway_repo.py's quantifier {1,4} must match
ROUTES_LIMIT = 50


def hop_errors(max_hops: int) -> list[FieldError]:
    if not 1 <= max_hops <= MAX_HOPS:
        return [
            FieldError(
                "maxHops", ErrorCode.OUT_OF_RANGE, f"maxHops must be between 1 and {MAX_HOPS}."
            )
        ]
    return []


COVERAGE_MONTHS_MAX = 24


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


def flow_cells(rows: list[dict]) -> tuple[list[dict], int, int | None]:
    """(cells shown, how many were hidden, the total). Every figure is published through
    the cell-key method (disclosure.py): a cell's count, and each count a rate is made
    of, is perturbed as a cell of its own, and a cell whose published count is under
    K_ANONYMITY is dropped whole. The total is the cell of all the records, perturbed on
    its own — never a sum of cells — so no difference of answers gives a hidden count."""
    shown = []
    for row in rows:
        referrals = perturbed(row["referrals"], row["referrals_key"])
        if not referrals:
            continue
        accepted = perturbed(row["accepted"], row["accepted_key"])
        decided = perturbed(row["decided"], row["decided_key"])
        completed = perturbed(row["completed"], row["completed_key"])
        median = row["median_days_to_accept"]
        shown.append(
            {
                "source": row["source"],
                "target": row["target"],
                "referrals": referrals,
                "acceptance_rate": rate(accepted, decided),
                "completion_rate": rate(completed, accepted),
                # A median is one record's value: whole days, and only over enough of them.
                "median_days_to_accept": float(round(median))
                if accepted and median is not None
                else None,
            }
        )
    total = perturbed(
        sum(row["referrals"] for row in rows), sum(row["referrals_key"] for row in rows)
    )
    return shown, len(rows) - len(shown), total


PERIOD_MONTHS_MAX = 36


def period_errors(since: date, until: date) -> list[FieldError]:
    """Periods are whole calendar months (fixed buckets): day-sized windows could be
    differenced to pin single referrals to their day."""
    errors = [
        FieldError(name, ErrorCode.INVALID, f"{name} must be the first day of a month.")
        for name, day in (("since", since), ("until", until))
        if day.day != 1
    ]
    if errors:
        return errors
    if until <= since:
        return [FieldError("period", ErrorCode.INVALID, "period: until must be after since.")]
    if (until.year - since.year) * 12 + until.month - since.month > PERIOD_MONTHS_MAX:
        return [
            FieldError("period", ErrorCode.OUT_OF_RANGE, "period: at most three years at once.")
        ]
    return []


def recent_months(today: date, months: int) -> tuple[date, date]:
    """The last `months` whole calendar months up to and including today's: (the first
    day of the first, the first day after the last). Fixed buckets, like `flows`."""
    end = today.year * 12 + today.month  # the month after today's, counted from year 0
    start = end - months
    return date(start // 12, start % 12 + 1, 1), date(end // 12, end % 12 + 1, 1)
