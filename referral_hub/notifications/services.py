"""Turn a handoff event into deliveries, and deliver them (called by the tasks)."""

from __future__ import annotations

import logging
import time
from datetime import UTC
from secrets import token_hex
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from graph import audit as audit_log
from graph import organisations as organisation_repo
from graph import referrals as referral_repo
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.notifications import egress, signing_secrets
from referral_hub.notifications.messages import (
    AUDIENCES,
    Audience,
    Kind,
    email_for,
    signature,
    webhook_body,
)
from referral_hub.notifications.models import Delivery, Webhook

logger = logging.getLogger("referral_hub.notifications")


class RetryLater(Exception):
    """A transient failure (timeout, connection refused, 5xx): try again after a backoff."""


def announce(kind: Kind, referral_id: str, version: int) -> None:
    """Queue the notifications of an event that has committed. Never fails the caller: the
    action stands even if the broker is down (the failure is logged)."""
    from referral_hub.notifications import tasks

    try:
        tasks.dispatch.apply_async((kind.value, referral_id, version), retry=False)
    except Exception:  # any broker failure: the action itself is done and stands
        logger.exception("could not queue %s notification for referral %s", kind, referral_id)


def plan(*, kind: Kind, referral_id: str, version: int) -> list[int]:
    """Create the deliveries for one event (once: keys are unique); ids of pending ones."""
    parties = referral_repo.referral_parties(referral_id)
    if parties is None:
        return []
    from_id, to_id = parties["from_id"], parties["to_id"]
    organisations = organisation_repo.organisations_by_ids([from_id, to_id])
    pending = []
    for audience in AUDIENCES[kind]:
        organisation_id = from_id if audience == Audience.SENDER else to_id
        for channel, recipient in _recipients(audience, organisation_id, organisations):
            delivery, _ = Delivery.objects.get_or_create(
                key=f"{referral_id}:{version}:{kind.value}:{channel}:{recipient}",
                defaults={
                    "organisation_id": organisation_id,
                    "channel": channel,
                    "recipient": recipient,
                    "kind": kind.value,
                    "referral_id": referral_id,
                    "version": version,
                },
            )
            if delivery.status == Delivery.Status.PENDING:
                pending.append(delivery.id)
    return pending


def _recipients(
    audience: Audience, organisation_id: str, organisations: dict[str, dict[str, Any]]
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if audience == Audience.RECEIVER_ADMINS:
        admins = get_user_model().objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role=Role.ORG_ADMIN.value,
        )
        found += [(Delivery.Channel.EMAIL, user.email) for user in admins if user.email]
        return found
    email = (organisations.get(organisation_id) or {}).get("email")
    if email:
        found.append((Delivery.Channel.EMAIL, email))
    hook = Webhook.objects.filter(organisation_id=organisation_id).first()
    if hook:
        found.append((Delivery.Channel.WEBHOOK, hook.url))
    return found


def deliver(delivery_id: int, *, final_attempt: bool) -> str:
    """Make one attempt; raises RetryLater for a transient failure unless it is the last."""
    delivery = Delivery.objects.get(id=delivery_id)
    if delivery.status != Delivery.Status.PENDING:
        return delivery.status  # delivered (or given up) already: a re-run does nothing
    delivery.attempts += 1
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            _send_email(delivery)
        else:
            _post_webhook(delivery)
    except RetryLater as transient:
        delivery.last_error = str(transient)[:500]
        delivery.status = Delivery.Status.FAILED if final_attempt else Delivery.Status.PENDING
        delivery.save(update_fields=["attempts", "last_error", "status", "updated_at"])
        if not final_attempt:
            raise
        return delivery.status
    except _Refused as refused:
        delivery.last_error = str(refused)[:500]
        delivery.status = Delivery.Status.FAILED
    else:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
    delivery.save()
    return delivery.status


class _Refused(Exception):
    """A permanent failure (4xx): retrying cannot help."""


def _send_email(delivery: Delivery) -> None:
    message = email_for(Kind(delivery.kind), str(delivery.referral_id), settings.HUB_PUBLIC_URL)
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
    checked now and again at every delivery; the registration is audited."""
    organisation_id = _require_admin(actor)
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


def deliveries_list(*, actor: Actor, limit: int = 50) -> list[Delivery]:
    organisation_id = _require_admin(actor)
    return list(Delivery.objects.filter(organisation_id=organisation_id)[:limit])
