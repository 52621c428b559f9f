"""Deliver one notification (called by the deliver task), and the ORG_ADMIN's side."""

from __future__ import annotations

import logging
import time
from datetime import UTC, timedelta
from secrets import token_hex
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from graph import audit_log
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.reauthentication import require_recent_second_factor
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.notifications import egress, relay, signing_secrets
from referral_hub.notifications.messages import (
    Kind,
    backoff_seconds,
    email_for,
    signature,
    webhook_body,
)
from referral_hub.notifications.models import Delivery, Webhook

logger = logging.getLogger("referral_hub.notifications")


class RetryLater(Exception):
    """A transient failure (timeout, connection refused, 5xx): try again after a backoff."""


NO_ATTEMPT = "NO_ATTEMPT"


def deliver(delivery_id: int) -> str:
    """Make one attempt if one is due and none is in flight; returns the status after it
    (PENDING: it failed and has a next attempt time), or NO_ATTEMPT.

    The attempt is counted and claimed before anything is sent, so a worker that dies
    mid-POST leaves a row saying so; the claim ends at HUB_NOTIFY_ATTEMPT_LEASE_SECONDS,
    after which the relay may hand the delivery out again. A receiver may then see the
    same `Idempotency-Key` twice, which is what the key is for.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.HUB_NOTIFY_ATTEMPT_LEASE_SECONDS)
    claimed = (
        Delivery.objects.filter(
            id=delivery_id,
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=now,
            attempts__lt=settings.HUB_NOTIFY_MAX_ATTEMPTS,
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(
            attempts=F("attempts") + 1,
            claimed_until=lease,
            last_attempt_at=now,
            # A claim that ran out is an attempt that never reported back.
            last_error=Case(
                When(claimed_until__isnull=False, then=Value(_INTERRUPTED)),
                default=F("last_error"),
            ),
        )
    )
    delivery = Delivery.objects.filter(id=delivery_id).first()
    if delivery is None or not claimed:
        # Delivered, given up, not due yet or in flight elsewhere: a re-run does nothing.
        return NO_ATTEMPT
    outcome: dict[str, Any] = {"claimed_until": None}
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            _send_email(delivery)
        else:
            _post_webhook(delivery)
    except RetryLater as transient:
        outcome.update(_try_again(delivery.attempts, str(transient)))
    except _Refused as refused:
        outcome.update(last_error=str(refused)[:500], status=Delivery.Status.FAILED)
    except Exception as unexpected:  # a fault of ours (or too slow): counted as transient
        logger.exception("delivery %s: attempt failed", delivery_id)
        outcome.update(
            _try_again(delivery.attempts, f"internal error ({type(unexpected).__name__})")
        )
    else:
        outcome.update(status=Delivery.Status.DELIVERED, delivered_at=timezone.now(), last_error="")
    # Only while the claim is still ours: a later attempt's result is not overwritten.
    Delivery.objects.filter(id=delivery_id, claimed_until=lease).update(
        updated_at=timezone.now(), **outcome
    )
    return str(outcome.get("status", Delivery.Status.PENDING))


def _try_again(attempts: int, error: str) -> dict[str, Any]:
    """After a failure that another attempt may cure: its time, or FAILED at the last."""
    if attempts >= settings.HUB_NOTIFY_MAX_ATTEMPTS:
        return {"last_error": error[:500], "status": Delivery.Status.FAILED}
    wait = backoff_seconds(attempts, settings.HUB_NOTIFY_BACKOFF_SECONDS)
    return {
        "last_error": error[:500],
        "next_attempt_at": timezone.now() + timedelta(seconds=wait),
        "queued_for": None,
    }


_INTERRUPTED = "the previous attempt was interrupted before it reported back"


class _Refused(Exception):
    """A permanent failure (4xx): retrying cannot help."""


def _send_email(delivery: Delivery) -> None:
    message = email_for(
        Kind(delivery.kind),
        str(delivery.referral_id),
        settings.HUB_PUBLIC_URL,
        language=delivery.language,
    )
    try:
        send_mail(message.subject, message.body, None, [delivery.recipient])
    except OSError as exc:  # SMTP down or unreachable: transient
        raise RetryLater(f"e-mail: {exc}") from exc


def _post_webhook(delivery: Delivery) -> None:
    hook = Webhook.objects.filter(organisation_id=delivery.organisation_id).first()
    if hook is None:
        raise _Refused("the webhook was removed")
    body = webhook_body(
        key=delivery.key,
        kind=Kind(delivery.kind),
        referral_id=str(delivery.referral_id),
        version=delivery.version,
        at=delivery.created_at.astimezone(UTC).isoformat(),
    )
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": delivery.key,
        "X-Tsunagari-Signature": signature(
            signing_secrets.open_secret(hook), int(time.time()), body
        ),
    }
    try:
        status = egress.post(
            hook.url,
            body,
            headers,
            timeout=settings.HUB_WEBHOOK_TIMEOUT_SECONDS,
            allowed_hosts=settings.HUB_WEBHOOK_ALLOWED_HOSTS,
        )
    except egress.EgressRefused as refused:
        raise _Refused("address refused") from refused
    except egress.Unreachable as unreachable:
        raise RetryLater("unreachable") from unreachable
    if status >= 500:
        raise RetryLater(f"HTTP {status}")
    if 300 <= status < 400:
        raise _Refused(f"redirect refused (HTTP {status})")
    if status >= 400:
        raise _Refused(f"HTTP {status}")


# --- the ORG_ADMIN's side ------------------------------------------------------------------


def _require_admin(actor: Actor) -> str:
    if not actor.organisation_id or not actor.has_role(Role.ORG_ADMIN):
        raise PublicError(ErrorCode.FORBIDDEN, "Webhooks and deliveries are the ORG_ADMIN's.")
    return actor.organisation_id


def webhook_register(*, actor: Actor, url: str) -> dict[str, str]:
    """Register (or replace) the organisation's webhook; the secret is returned only now.
    The URL must lead to a public HTTPS endpoint (referral_hub/notifications/egress.py),
    checked now and again at every delivery; the registration is audited. Like issuing a
    token, it asks a person for a second factor proved in the last minutes: whoever holds
    the secret can speak for the hub to the organisation's systems."""
    organisation_id = _require_admin(actor)
    require_recent_second_factor(actor)
    allowed = settings.HUB_WEBHOOK_ALLOWED_HOSTS
    destination, errors = egress.parse(url, allowed)
    if destination is not None:
        try:
            egress.public_address(destination, allowed)
        except egress.EgressRefused:
            errors = [FieldError("url", ErrorCode.INVALID, "url must lead to a public address.")]
        except egress.Unreachable:
            errors = [FieldError("url", ErrorCode.INVALID, "url's host does not resolve.")]
    if errors:
        raise ValidationFailed(errors)
    secret = token_hex(32)
    with transaction.atomic():
        Webhook.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={"url": url, **signing_secrets.seal(secret, organisation_id)},
        )
        audit_log.record_and_return(
            audit_record(actor, "WEBHOOK_REGISTER", "Webhook", organisation_id)
        )
    return {"url": url, "secret": secret}


def deliveries_list(*, actor: Actor, limit: int = 50) -> list[dict[str, Any]]:
    """The organisation's latest deliveries, newest first, and before them what it is
    still owed but no relay has planned (status WAITING: no channel or attempt yet)."""
    organisation_id = _require_admin(actor)
    owed = [
        {
            "id": f"outbox:{row['key']}",
            "kind": row["kind"],
            "channel": None,
            "recipient": None,
            "referral_id": row["referral_id"],
            "status": "WAITING",
            "attempts": 0,
            "last_error": None,
            "created_at": row["created_at"].to_native(),
            "delivered_at": None,
        }
        for row in relay.waiting(organisation_id, limit)
    ]
    now = timezone.now()
    made = [
        {
            "id": str(d.id),
            "kind": d.kind,
            "channel": d.channel,
            "recipient": d.recipient,
            "referral_id": str(d.referral_id),
            "status": "SENDING"
            if d.status == Delivery.Status.PENDING and d.claimed_until and d.claimed_until > now
            else d.status,
            "attempts": d.attempts,
            "last_error": d.last_error or None,
            "created_at": d.created_at,
            "delivered_at": d.delivered_at,
        }
        for d in Delivery.objects.filter(organisation_id=organisation_id)[: limit - len(owed)]
    ]
    return owed + made
