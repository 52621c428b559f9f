"""Responsiveness as bands (referral_hub/referrals/responsiveness.py): every boundary."""

import pytest

from referral_hub.referrals.responsiveness import (
    MINIMUM_REFERRALS,
    STILL_CONNECTED_MINIMUM,
    ReplyBand,
    ShareBand,
    bands,
    reply_band,
    share_band,
    still_connected_band,
    summary,
)


@pytest.mark.parametrize(
    ("hours", "band"),
    [
        (None, None),
        (0.0, ReplyBand.WITHIN_A_DAY),
        (24.0, ReplyBand.WITHIN_A_DAY),
        (24.01, ReplyBand.WITHIN_3_DAYS),
        (72.0, ReplyBand.WITHIN_3_DAYS),
        (72.01, ReplyBand.WITHIN_A_WEEK),
        (168.0, ReplyBand.WITHIN_A_WEEK),
        (168.01, ReplyBand.SLOWER),
    ],
)
def test_reply_bands(hours, band):
    assert reply_band(hours) == band


@pytest.mark.parametrize(
    ("part", "whole", "band"),
    [
        (15, 20, ShareBand.MOST),  # 0.75
        (14, 20, ShareBand.MORE_THAN_HALF),  # 0.70
        (10, 20, ShareBand.MORE_THAN_HALF),  # 0.50
        (9, 20, ShareBand.SOME),  # 0.45
        (5, 20, ShareBand.SOME),  # 0.25
        (4, 20, ShareBand.FEW),  # 0.20
        (0, 20, ShareBand.FEW),
        (10, 10, ShareBand.MOST),
        (9, 9, None),  # under the minimum of 10
    ],
)
def test_share_bands(part, whole, band):
    assert MINIMUM_REFERRALS == 10
    assert share_band(part, whole) == band


def figures(**changes):
    return {
        "referrals": 12,
        "ack_hours": 30.0,
        "accepted": 8,
        "declined": 2,
        "completed": 3,
        **changes,
    }


def test_bands_need_ten_referrals_and_ten_of_each_share():
    assert bands(figures()) == {
        "reply_band": "WITHIN_3_DAYS",
        "acceptance_band": "MOST",  # 8 of 10 decided
        "completion_band": None,  # 3 of only 8 accepted: too few
        "still_connected_band": None,  # no 90-day check-in answered
    }
    assert bands(figures(referrals=9)) == {
        "reply_band": None,
        "acceptance_band": None,
        "completion_band": None,
        "still_connected_band": None,
    }
    assert bands(figures(accepted=7, declined=2))["acceptance_band"] is None  # 9 decided
    assert bands(figures(accepted=10, completed=5))["completion_band"] == "MORE_THAN_HALF"


def test_summary_reads_the_bands():
    shown = {"reply_band": "WITHIN_3_DAYS", "acceptance_band": "MOST"}
    assert summary(shown) == "usually replies within 3 days, most referrals accepted"
    assert summary({"reply_band": "SLOWER"}) == "often takes over a week to reply"
    assert summary({"acceptance_band": "FEW"}) == "few referrals accepted"
    assert summary({"reply_band": None, "acceptance_band": None}) is None
    assert summary(None) is None


# --- still connected at 90 days (issue 20) ---------------------------------------------------


@pytest.mark.parametrize(
    ("still", "answered", "band"),
    [
        (4, 4, None),  # 4 answered: hidden
        (5, 5, "MOST"),  # 5 answered: shown
        (0, 5, "FEW"),
        (1, 5, "FEW"),  # 20%
        (2, 5, "SOME"),  # 40%
        (3, 5, "MORE_THAN_HALF"),  # 60%
        (4, 5, "MOST"),  # 80%
        (3, 4, None),
    ],
)
def test_still_connected_is_shown_from_five_answered(still, answered, band):
    shown = still_connected_band(still, answered)
    assert (shown.value if shown else None) == band
    # Independent of the window's own minimum of ten referrals.
    figures_now = figures(referrals=0, still_attending_90=still, answered_90=answered)
    assert bands(figures_now)["still_connected_band"] == band


def test_still_connected_minimum_is_five():
    assert STILL_CONNECTED_MINIMUM == 5
