"""How a service's responsiveness is shown: bands, never counts or exact rates. Pure.

Exact figures per service could be differenced like any aggregate (issue 25: a count of
2 or 3 named the service; a rate over a shown count pinned how many were declined), so
the nightly task keeps only bands, each computed over at least MINIMUM_REFERRALS
referrals (and a share band over at least that many decided or accepted ones):
"usually replies within 3 days", "most referrals accepted".
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

WINDOW_DAYS = 90
MINIMUM_REFERRALS = 10
# "Still connected at 90 days" (issue 20): of a service's connected referrals whose 90-day
# check-in was answered, the share that said STILL_ATTENDING, as a band, shown from this
# many answered referrals (not windowed: a 90-day answer comes three months after the
# referral, so the nightly 90-day window would hold almost none).
STILL_CONNECTED_MINIMUM = 5


class ReplyBand(StrEnum):
    WITHIN_A_DAY = "WITHIN_A_DAY"
    WITHIN_3_DAYS = "WITHIN_3_DAYS"
    WITHIN_A_WEEK = "WITHIN_A_WEEK"
    SLOWER = "SLOWER"


class ShareBand(StrEnum):
    MOST = "MOST"  # 75% or more
    MORE_THAN_HALF = "MORE_THAN_HALF"  # 50% to under 75%
    SOME = "SOME"  # 25% to under 50%
    FEW = "FEW"  # under 25%


# Upper bounds in hours (inclusive), checked in order; anything slower is SLOWER.
REPLY_BANDS: tuple[tuple[float, ReplyBand], ...] = (
    (24, ReplyBand.WITHIN_A_DAY),
    (72, ReplyBand.WITHIN_3_DAYS),
    (168, ReplyBand.WITHIN_A_WEEK),
)
# Lower bounds of the share (inclusive), checked in order; anything less is FEW.
SHARE_BANDS: tuple[tuple[float, ShareBand], ...] = (
    (0.75, ShareBand.MOST),
    (0.5, ShareBand.MORE_THAN_HALF),
    (0.25, ShareBand.SOME),
)
# What recommend's ranking reads for a band (the middle of it).
BAND_HOURS = {
    ReplyBand.WITHIN_A_DAY: 12.0,
    ReplyBand.WITHIN_3_DAYS: 48.0,
    ReplyBand.WITHIN_A_WEEK: 120.0,
    ReplyBand.SLOWER: 240.0,
}
BAND_SHARE = {
    ShareBand.MOST: 0.875,
    ShareBand.MORE_THAN_HALF: 0.625,
    ShareBand.SOME: 0.375,
    ShareBand.FEW: 0.125,
}
_REPLY_TEXT = {
    ReplyBand.WITHIN_A_DAY: "usually replies within a day",
    ReplyBand.WITHIN_3_DAYS: "usually replies within 3 days",
    ReplyBand.WITHIN_A_WEEK: "usually replies within a week",
    ReplyBand.SLOWER: "often takes over a week to reply",
}
_ACCEPTANCE_TEXT = {
    ShareBand.MOST: "most referrals accepted",
    ShareBand.MORE_THAN_HALF: "more than half of referrals accepted",
    ShareBand.SOME: "some referrals accepted",
    ShareBand.FEW: "few referrals accepted",
}


def reply_band(median_hours: float | None) -> ReplyBand | None:
    if median_hours is None:
        return None
    for bound, band in REPLY_BANDS:
        if median_hours <= bound:
            return band
    return ReplyBand.SLOWER


def share_band(part: int, whole: int) -> ShareBand | None:
    """The band of part / whole, only over at least MINIMUM_REFERRALS."""
    if whole < MINIMUM_REFERRALS:
        return None
    share = part / whole
    for bound, band in SHARE_BANDS:
        if share >= bound:
            return band
    return ShareBand.FEW


def still_connected_band(still_attending: int, answered: int) -> ShareBand | None:
    """The band of still_attending / answered 90-day check-ins, from
    STILL_CONNECTED_MINIMUM answered ones."""
    if answered < STILL_CONNECTED_MINIMUM:
        return None
    share = still_attending / answered
    for bound, band in SHARE_BANDS:
        if share >= bound:
            return band
    return ShareBand.FEW


def bands(figures: dict[str, Any]) -> dict[str, str | None]:
    """The bands of one service's raw figures over the window (from the nightly
    statement); all None under MINIMUM_REFERRALS referrals, except still connected at 90
    days, which has its own minimum."""
    still = still_connected_band(
        figures.get("still_attending_90", 0), figures.get("answered_90", 0)
    )
    return {**_window_bands(figures), "still_connected_band": still.value if still else None}


def _window_bands(figures: dict[str, Any]) -> dict[str, str | None]:
    if figures["referrals"] < MINIMUM_REFERRALS:
        return {"reply_band": None, "acceptance_band": None, "completion_band": None}
    accepted = figures["accepted"]
    reply = reply_band(figures["ack_hours"])
    acceptance = share_band(accepted, accepted + figures["declined"])
    completion = share_band(figures["completed"], accepted)
    return {
        "reply_band": reply.value if reply else None,
        "acceptance_band": acceptance.value if acceptance else None,
        "completion_band": completion.value if completion else None,
    }


def summary(shown: dict[str, Any] | None) -> str | None:
    """e.g. "usually replies within 3 days, most referrals accepted"; None without bands."""
    if not shown:
        return None
    parts = []
    if shown.get("reply_band"):
        parts.append(_REPLY_TEXT[ReplyBand(shown["reply_band"])])
    if shown.get("acceptance_band"):
        parts.append(_ACCEPTANCE_TEXT[ShareBand(shown["acceptance_band"])])
    return ", ".join(parts) or None
