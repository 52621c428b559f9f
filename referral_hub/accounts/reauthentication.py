"""The most sensitive actions ask a browser session for a recent second factor.

Withdrawing a consent, a statutory referral (one that shares without consent), an
auditor's review finding, issuing an API token and changing an organisation's members
each refuse with REAUTHENTICATION_REQUIRED unless this session proved its second factor
within HUB_REAUTHENTICATE_SECONDS (default 5 minutes). The pages then send the person
to allauth's re-authentication (a code or a security key) and back.

Bearer tokens are not asked: a token is the machine equivalent of a second factor, and
is itself issued only from a session that has just proved one.
"""

from __future__ import annotations

import time

from django.conf import settings

from referral_hub.accounts.actor import Actor
from referral_hub.accounts.second_factor import is_fresh
from referral_hub.core.errors import ErrorCode, PublicError


def require_recent_second_factor(actor: Actor, *, now: float | None = None) -> None:
    if not actor.session:
        return
    window = settings.HUB_REAUTHENTICATE_SECONDS
    if is_fresh(actor.second_factor_at, time.time() if now is None else now, window):
        return
    raise PublicError(
        ErrorCode.REAUTHENTICATION_REQUIRED,
        f"Confirm it is you with your second factor (within the last {window // 60} "
        "minutes) before this action.",
    )
