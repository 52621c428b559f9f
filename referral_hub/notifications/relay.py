"""The outbox relay: due outbox entries become deliveries, due deliveries go to a worker.

Writes record what they must announce in the graph, in their own transaction
(graph/outbox_repo.py). After the commit the request only *nudges* (`nudge`): one small
message asking a worker to relay now. Whatever the nudge cannot do — the broker is down,
the process died after its commit, a broker message was lost — the periodic relay (beat,
every HUB_OUTBOX_RELAY_SECONDS) does later: a broker outage delays a notification and
never loses one. Every step is idempotent (deliveries are keyed per event and
recipient, hand-offs to the broker are claimed row by row), so two relays at once, or a
relay re-run after a crash, send nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from graph import outbox_repo
from graph.breaker import CircuitBreaker, CircuitOpen
from referral_hub.accounts.language import language_of
from referral_hub.accounts.roles import Role
from referral_hub.notifications.messages import AUDIENCES, Audience, Kind
from referral_hub.notifications.models import Delivery, Webhook

logger = logging.getLogger("referral_hub.notifications")


# After a nudge finds the broker down, requests stop trying for a while: the periodic
# relay picks their entries up, and no request spends its time on a dead broker.
_broker_circuit = CircuitBreaker(cooldown=5.0)
# Sent by name: tasks.py defines them and imports this module, not the other way round.
# With ignore_result, as the tasks declare: otherwise sending subscribes to the result
# backend, which waits on a Redis that is down (the fault suite measured 19 s).
RELAY_TASK = "hub.notifications.relay"
DELIVER_TASK = "hub.notifications.deliver"


def nudge() -> None:
    """Ask a worker to relay now. Never fails the caller: the write has committed and its
    announcement is in the outbox, so a broker that is down only delays it."""
    try:
        _broker_circuit.before()
    except CircuitOpen:
        return
    try:
        current_app.send_task(RELAY_TASK, retry=False, ignore_result=True)
    except Exception:  # any broker failure; the periodic relay picks the entry up
        _broker_circuit.failed()
        logger.warning("broker unavailable: notifications wait in the outbox", exc_info=True)
    else:
        _broker_circuit.succeeded()


def relay(limit: int = 200) -> dict[str, int]:
    """One pass: plan the deliveries of due outbox entries, then hand due deliveries to
    the broker. Returns how many entries were planned and deliveries queued."""
    entries = outbox_repo.due(limit)
    planned, failed = [], []
    for row in entries:
        try:
            plan(row)
        except Exception:  # one entry that cannot be planned must not hold up the rest
            logger.exception("could not plan outbox entry %s", row["key"])
            failed.append(row["key"])
        else:
            planned.append(row["key"])
    if planned:  # marked only after planning: a crash in between means planning again
        outbox_repo.mark_relayed(planned, keep_days=settings.HUB_OUTBOX_KEEP_DAYS)
    if failed:
        outbox_repo.mark_failed(failed)
    give_up_exhausted()
    return {"planned": len(planned), "queued": queue_due(limit)}


def plan(row: dict[str, Any]) -> list[Delivery]:
    """The deliveries of one outbox entry (created once: keys are unique)."""
    kind = Kind(row["kind"])
    if row["from_id"] is None or row["to_id"] is None:
        logger.error("outbox entry %s names no referral the graph knows", row["key"])
        return []
    made = []
    for audience in AUDIENCES[kind]:
        if audience == Audience.SENDER:
            organisation_id, email = row["from_id"], row["from_email"]
        else:
            organisation_id, email = row["to_id"], row["to_email"]
        for channel, recipient, language in _recipients(audience, organisation_id, email):
            delivery, _ = Delivery.objects.get_or_create(
                key=delivery_key(row, kind, channel, recipient),
                defaults={
                    "organisation_id": organisation_id,
                    "channel": channel,
                    "recipient": recipient,
                    "language": language,
                    "kind": kind.value,
                    "referral_id": row["referral_id"],
                    "version": row["version"],
                },
            )
            made.append(delivery)
    return made


def delivery_key(row: dict[str, Any], kind: Kind, channel: str, recipient: str) -> str:
    """One per event and recipient; the recipient hashed, so a long webhook URL (up to
    500 characters) keeps the key within its column."""
    digest = hashlib.sha256(recipient.encode()).hexdigest()[:16]
    key = f"{row['referral_id']}:{row['version']}:{kind.value}:{channel}:{digest}"
    # A check-in's notices (issue 20) are one per check-in of the completed referral.
    return key if row.get("check_in") is None else f"{key}:{row['check_in']}"


def _recipients(audience: Audience, organisation_id: str, email: str | None) -> list[tuple]:
    """(channel, recipient, language): a person's e-mail in the language they chose on the
    pages; an organisation's address and its webhook in the hub's default language."""
    default = settings.LANGUAGE_CODE
    if audience == Audience.RECEIVER_ADMINS:
        admins = get_user_model().objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role=Role.ORG_ADMIN.value,
        )
        return [
            (Delivery.Channel.EMAIL, user.email, language_of(user)) for user in admins if user.email
        ]
    found = [(Delivery.Channel.EMAIL, email, default)] if email else []
    hook = Webhook.objects.filter(organisation_id=organisation_id).first()
    if hook:
        found.append((Delivery.Channel.WEBHOOK, hook.url, default))
    return found


def give_up_exhausted() -> int:
    """Deliveries that used every attempt without an outcome (each claim ran out: the
    worker died every time) are FAILED, not handed out for ever."""
    return Delivery.objects.filter(
        status=Delivery.Status.PENDING,
        attempts__gte=settings.HUB_NOTIFY_MAX_ATTEMPTS,
        claimed_until__lt=timezone.now(),
    ).update(status=Delivery.Status.FAILED, claimed_until=None, updated_at=timezone.now())


def queue_due(limit: int) -> int:
    """Hand each due delivery to the broker once per hand-off period.

    A delivery is due when its next attempt's time has come and no attempt is in flight;
    it is handed over again only when its last hand-off is older than
    HUB_NOTIFY_REQUEUE_SECONDS (the message was lost, or its worker died before taking it).
    The conditional update claims the hand-off, so two relays never both queue it.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.HUB_NOTIFY_REQUEUE_SECONDS)
    due = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(queued_for__isnull=True) | Q(queued_for__lt=stale))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("id", "queued_for")[:limit]
    )
    return sum(_hand_off(delivery_id, seen, now) for delivery_id, seen in list(due))


def queue_retry(delivery_id: int) -> None:
    """Hand a delivery whose attempt failed to the broker for its next attempt time, so a
    retry does not wait for the relay's next pass (which still covers a lost message)."""
    row = Delivery.objects.filter(id=delivery_id, status=Delivery.Status.PENDING).values(
        "next_attempt_at", "queued_for"
    )
    for found in row:
        try:
            _hand_off(delivery_id, found["queued_for"], found["next_attempt_at"])
        except Exception:  # the relay hands it out when the broker is back
            logger.warning("broker unavailable: retry of delivery %s waits", delivery_id)


def _hand_off(delivery_id: int, seen: datetime | None, at: datetime) -> bool:
    """Queue the delivery's attempt for `at` unless another relay or retry has handed it
    out since its hand-off time was `seen`: the conditional update is the claim."""
    if not Delivery.objects.filter(id=delivery_id, queued_for=seen).update(queued_for=at):
        return False
    current_app.send_task(
        DELIVER_TASK, args=(delivery_id,), eta=at, retry=False, ignore_result=True
    )
    return True


def waiting(organisation_id: str, limit: int) -> list[dict[str, Any]]:
    """Announcements owed to an organisation that no relay has planned yet (the broker
    is down, or the relay has not run since the write)."""
    return outbox_repo.waiting_for(
        organisation_id=organisation_id,
        sender_kinds=[k.value for k, a in AUDIENCES.items() if Audience.SENDER in a],
        receiver_kinds=[
            k.value
            for k, a in AUDIENCES.items()
            if Audience.RECEIVER in a or Audience.RECEIVER_ADMINS in a
        ],
        limit=limit,
    )
