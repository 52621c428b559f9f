"""Attack probe for OFFER_ROLE referrals (review wtatk19)."""

from referral_hub.accounts.actor import SYSTEM
from referral_hub.directory import opportunity_services
from tests.referrals.flows import move
from tests.referrals.test_offer_role import offer, offered  # noqa: F401


def test_a_draft_for_an_archived_opportunity_cannot_be_sent(offered):  # noqa: F811
    """Create checks the opportunity is active and taken up through the service; SEND of a
    draft does not look at the opportunity again."""
    network, people, subject, opportunity = offered
    draft = offer(people, subject, network, opportunity, send=False)
    assert draft["errors"] == []
    opportunity_services.opportunity_archive(actor=SYSTEM, opportunity_id=opportunity)
    sent = move(people["counsellor"], draft["referral"]["id"], "SEND", 1)
    assert sent["errors"] != [], sent
