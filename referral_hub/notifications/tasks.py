"""Notification tasks (queue `notifications`). They take ids, re-read state, and are
harmless to run twice: outbox entries are planned once, deliveries are keyed per event
and recipient, an attempt is claimed before it is made, and a delivered one is never
sent again. Retries are not the broker's: a failed attempt sets the delivery's next
attempt time and is queued for then; if that message is lost, the relay (every
HUB_OUTBOX_RELAY_SECONDS) hands it out again.
"""

from __future__ import annotations

from celery import shared_task

from referral_hub.notifications import relay as outbox_relay
from referral_hub.notifications import services


@shared_task(name="hub.notifications.relay", ignore_result=True)
def relay() -> dict[str, int]:
    return outbox_relay.relay()


@shared_task(name="hub.notifications.deliver", ignore_result=True)
def deliver(delivery_id: int) -> str:
    status = services.deliver(delivery_id)
    if status == "PENDING":  # a transient failure: the next attempt has its time
        outbox_relay.queue_retry(delivery_id)
    return status
