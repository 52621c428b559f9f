import pytest

from referral_hub.referrals.responsiveness import replies_within, summary


@pytest.mark.parametrize(
    ("hours", "text"), [(0.2, "1 hour"), (5.5, "6 hours"), (24, "1 day"), (30, "2 days")]
)
def test_replies_within(hours, text):
    assert replies_within(hours) == text


def test_summary_needs_five_referrals():
    figures = {"referrals": 5, "median_ack_hours": 40.0, "acceptance_rate": 0.9}
    assert summary(figures) == "usually replies within 2 days, 90% accepted"
    assert summary({**figures, "referrals": 4}) is None
    assert summary(None) is None
    assert summary({"referrals": 7, "median_ack_hours": None, "acceptance_rate": None}) is None
