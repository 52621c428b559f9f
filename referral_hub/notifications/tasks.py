"""Notification tasks (queue `notifications`). They take ids, re-read state, and are
harmless to run twice: outbox entries are planned once, deliveries are keyed per event
and recipient, an attempt is claimed before it is made, and a delivered one is never
sent again. Retries are not the broker's: a failed attempt sets the delivery's next
attempt time and is queued for then; if that message is lost, the relay (every
HUB_OUTBOX_RELAY_SECONDS) hands it out again.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from graph import outbox_repo
from referral_hub.notifications import relay as outbox_relay
from referral_hub.notifications import services

# Acknowledged on receipt, not late: the delivery row, not the broker message, is the
# truth (a lost message is handed out again by the relay), and a late-acknowledged task
# would be cancelled mid-POST whenever the worker loses the broker, then POSTed again.
# An attempt ends well inside its claim, so it can never overlap the next one.
_LEASE = settings.HUB_NOTIFY_ATTEMPT_LEASE_SECONDS


@shared_task(name=outbox_relay.RELAY_TASK, ignore_result=True, acks_late=False)
def relay() -> dict[str, int]:
    return outbox_relay.relay()


# celery-types declares the time limits int, but Celery takes seconds as a float (the
# worker's --time-limit is one), and a fraction of the lease is not whole in the tests.
@shared_task(  # type: ignore[call-overload]
    name=outbox_relay.DELIVER_TASK,
    ignore_result=True,
    acks_late=False,
    soft_time_limit=_LEASE * 0.75,
    time_limit=_LEASE * 0.9,
)
def deliver(delivery_id: int) -> str:
    status = services.deliver(delivery_id)
    if status == "PENDING":  # a transient failure: the next attempt has its time
        outbox_relay.queue_retry(delivery_id)
    return status


@shared_task(name="hub.notifications.dispatch", ignore_result=True, acks_late=False)
def dispatch(kind: str, referral_id: str, version: int) -> None:
    """Messages queued by the release before the outbox: recorded in it, then relayed."""
    outbox_repo.record_now([outbox_repo.entry(kind, referral_id, version)])
    outbox_relay.relay()
