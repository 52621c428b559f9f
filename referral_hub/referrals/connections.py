"""What counts as a connection made, for どこか measured (issue 19). Pure.

A referral that was COMPLETED with one of these outcomes connected its subject somewhere.
The OFFER_ROLE branch of issue 19 adds TOOK_UP (a person took a role up); the two lists
are one constant after the merge.
"""

from __future__ import annotations

from referral_hub.referrals.handoff import Outcome

CONNECTING_OUTCOMES: tuple[str, ...] = (Outcome.CONNECTED.value,)
