"""Limits of the pathway questions. Pure."""

from __future__ import annotations

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
