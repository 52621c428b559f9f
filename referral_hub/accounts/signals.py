"""Every sign-in, failed sign-in, sign-out and session end goes into the audit log, on
the chain of the organisation acted for (org:system when there is none yet)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from graph import audit as audit_log
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.authentication import actor_for, client_address
from referral_hub.accounts.sessions import END_REASON, SEEN_AT, SIGNED_IN_AT
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import PublicError


def _actor(request: HttpRequest | None, user: Any) -> Actor:
    if request is not None:
        try:
            found = actor_for(request)
        except PublicError:
            found = None
        if found is not None:
            return found
    return Actor(
        username=user.get_username() if user is not None else "?",
        user_id=getattr(user, "pk", None),
        request_id=getattr(request, "request_id", None),
        client_address=client_address(request) if request is not None else None,
    )


@receiver(user_logged_in)
def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now
    actor = _actor(request, user)
    audit_log.record_and_return(audit_record(actor, "SIGN_IN", "User", str(user.pk)))


@receiver(user_logged_out)
def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, END_REASON, None)
    action = f"SESSION_END_{reason}" if reason else "SIGN_OUT"
    actor = _actor(request, user)
    audit_log.record_and_return(audit_record(actor, action, "User", str(user.pk)))


@receiver(user_login_failed)
def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    actor = Actor(
        username=str(credentials.get("username") or "?")[:150],
        request_id=getattr(request, "request_id", None),
        client_address=client_address(request) if request is not None else None,
    )
    audit_log.record_and_return(audit_record(actor, "SIGN_IN_FAILED", "User", None))
