"""どこか measured (issue 19): for each recent month, how many people registered in an area
had at least one place — a connection completed in the twelve months before that month's
end — and how many had none. Pure.

Every figure is a count of subjects, so each is published as the cell-key method does for
`unconnectedSubjects` (referral_hub/pathways/disclosure.py): perturbed, hidden under 5;
the ones without a place are a cell of their own (their own records' keys), never the
difference of the two shown, and the share is a rate of two published counts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from referral_hub.pathways.disclosure import perturbed, rate
from referral_hub.pathways.signals import CONCERN_MONTHS, months_back

TREND_MONTHS = CONCERN_MONTHS  # graph/pathway_repo.py TREND_MONTHS must match


def somewhere_months(rows: list[dict[str, Any]], this_month: date) -> list[dict[str, Any]]:
    """One entry per month of the last TREND_MONTHS, oldest first; a month with no
    registered subject is all zeros."""
    by_month = {row["month"]: row for row in rows}
    published = []
    for month in months_back(this_month, TREND_MONTHS):
        row = by_month.get(month, {})
        registered, registered_key = (
            int(row.get("registered", 0)),
            int(row.get("registered_key") or 0),
        )
        connected, connected_key = int(row.get("connected", 0)), int(row.get("connected_key") or 0)
        shown_registered = perturbed(registered, registered_key)
        shown_connected = perturbed(connected, connected_key)
        published.append(
            {
                "month": month,
                "registered": shown_registered,
                "connected": shown_connected,
                "unconnected": perturbed(registered - connected, registered_key - connected_key),
                "share": rate(shown_connected, shown_registered),
            }
        )
    return published
