"""How a service's responsiveness is shown in the directory. Pure.

Figures over fewer than MINIMUM_REFERRALS referrals are not shown at all: they would
mislead, and with very few referrals they could point at individual cases.
"""

from __future__ import annotations

import math
from typing import Any

WINDOW_DAYS = 90
MINIMUM_REFERRALS = 5


def replies_within(hours: float) -> str:
    if hours < 24:
        whole = max(1, math.ceil(hours))
        return "1 hour" if whole == 1 else f"{whole} hours"
    days = math.ceil(hours / 24)
    return "1 day" if days == 1 else f"{days} days"


def summary(figures: dict[str, Any] | None) -> str | None:
    """e.g. "usually replies within 2 days, 90% accepted"; None below the minimum."""
    if not figures or (figures.get("referrals") or 0) < MINIMUM_REFERRALS:
        return None
    parts = []
    if figures.get("median_ack_hours") is not None:
        parts.append(f"usually replies within {replies_within(figures['median_ack_hours'])}")
    if figures.get("acceptance_rate") is not None:
        parts.append(f"{round(figures['acceptance_rate'] * 100)}% accepted")
    return ", ".join(parts) or None
