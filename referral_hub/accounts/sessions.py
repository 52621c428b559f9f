"""Staff sessions end on an unattended desk: after HUB_SESSION_IDLE_SECONDS without a
request, and HUB_SESSION_MAX_SECONDS after sign-in whatever happens. Each end is audited
(referral_hub/accounts/signals.py), and the person is told why on the sign-in page.

Bearer-token requests carry no session cookie and are not affected: a token has its own
expiry.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SIGNED_IN_AT = "hub:signed_in_at"
SEEN_AT = "hub:seen_at"
# "Seen" is written at most this often, so an idle session is detected to within this
# many seconds and a busy one does not rewrite its session row on every request.
SEEN_RESOLUTION_SECONDS = 15
# Why a session ended, for the audit event (the logout signal reads it from the request).
END_REASON = "_hub_session_end"


def expired(signed_in_at: float | None, seen_at: float | None, now: float) -> str | None:
    """IDLE, LIFETIME or None (pure: the rule the middleware applies)."""
    if seen_at is not None and now - seen_at > settings.HUB_SESSION_IDLE_SECONDS:
        return "IDLE"
    if signed_in_at is not None and now - signed_in_at > settings.HUB_SESSION_MAX_SECONDS:
        return "LIFETIME"
    return None


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Every signed-in session, whatever headers come with it (a bearer request carries
        # no session cookie, so it never gets here).
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            reason = expired(session.get(SIGNED_IN_AT), session.get(SEEN_AT), now)
            if reason is not None:
                setattr(request, END_REASON, reason)
                logout(request)  # audited by the user_logged_out handler, with the reason
                if reason == "IDLE":
                    message = _("You were signed out after a time without activity.")
                else:
                    message = _("Your session reached its longest time; please sign in again.")
                messages.info(request, message)
            else:
                session.setdefault(SIGNED_IN_AT, now)  # sessions from before this rule
                if now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION_SECONDS:
                    session[SEEN_AT] = now
        return self.get_response(request)
