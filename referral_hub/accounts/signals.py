"""Every sign-in, failed sign-in, sign-out, session end and second-factor change goes into
the audit log, on the chain of the organisation acted for (org:system when there is none
yet). The second-factor events are django-allauth's signals."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import signals as account_signals
from allauth.core import context as allauth_context
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from graph import audit_log
from referral_hub.accounts.actor import SYSTEM, Actor
from referral_hub.accounts.authentication import actor_for, client_address
from referral_hub.accounts.second_factor import ENROLLED_AT
from referral_hub.accounts.sessions import END_REASON, SEEN_AT, SIGNED_IN_AT
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import PublicError


def _actor(request: HttpRequest | None, user: Any) -> Actor:
    if request is not None:
        try:
            found = actor_for(request, require_second_factor=False)
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


def _factor_event(request: HttpRequest | None, user: Any, action: str, authenticator: Any) -> None:
    # No request: the command line (reset_second_factor) acting as the operator.
    actor = _actor(request, user) if request is not None else SYSTEM
    audit_log.record_and_return(
        audit_record(actor, action, f"Authenticator:{authenticator.type}", str(authenticator.pk))
    )


# Added and removed factors are audited from the model's own signals, inside the
# transaction that writes them: an audit that fails undoes the change (allauth's
# signals of the same name are sent only after the commit).
@receiver(post_save, sender=Authenticator)
def factor_added(sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    if not created or raw:
        # A use (last_used_at) or a spent recovery code; or loaddata (restore_hub) putting
        # back a factor whose SECOND_FACTOR_ADD is already in the restored log.
        return
    request = allauth_context.request
    if (
        request is not None
        and getattr(request.user, "pk", None) == instance.user_id
        and instance.type != Authenticator.Type.RECOVERY_CODES
        and not Authenticator.objects.filter(user_id=instance.user_id)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exclude(pk=instance.pk)
        .exists()
    ):
        # Enrolling one's first factor proved possession of it: this session counts as
        # verified. A further key or new recovery codes prove nothing of the kind.
        request.session[ENROLLED_AT] = time.time()
    _factor_event(request, instance.user, "SECOND_FACTOR_ADD", instance)


@receiver(post_delete, sender=Authenticator)
def factor_removed(sender: Any, instance: Any, **kw: Any) -> None:
    _factor_event(allauth_context.request, instance.user, "SECOND_FACTOR_REMOVE", instance)


@receiver(mfa_signals.authenticator_reset)
def factor_reset(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any
) -> None:
    _factor_event(request, user, "SECOND_FACTOR_RESET", authenticator)


@receiver(mfa_signals.authentication_failed)
def factor_failed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any
) -> None:
    _factor_event(request, user, "SECOND_FACTOR_FAILED", authenticator)


@receiver(mfa_signals.authenticator_used)
def factor_used(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any
) -> None:
    # At sign-in the SIGN_IN event follows; a re-authentication is an event of its own.
    if kw.get("reauthenticated"):
        _factor_event(request, user, "REAUTHENTICATE", authenticator)


def session_ended_elsewhere(request: HttpRequest | None, user: Any, tracked_id: int) -> None:
    """A person ended one of their other sessions from "where am I signed in"."""
    actor = _actor(request, user) if request is not None else SYSTEM
    audit_log.record_and_return(
        audit_record(actor, "SESSION_END_BY_USER", "UserSession", str(tracked_id))
    )


@receiver(account_signals.password_reset)
def password_was_reset(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
    actor = _actor(request, user)
    audit_log.record_and_return(audit_record(actor, "PASSWORD_RESET", "User", str(user.pk)))


@receiver(account_signals.password_changed)
def password_was_changed(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
    actor = _actor(request, user)
    audit_log.record_and_return(audit_record(actor, "PASSWORD_CHANGE", "User", str(user.pk)))
