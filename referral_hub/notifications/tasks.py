"""Notification tasks (queue `notifications`). They take ids, re-read state, and are
harmless to run twice: deliveries are keyed per event and recipient, and a delivered
one is never sent again. Only transient failures are retried, with exponential backoff.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from referral_hub.notifications import services
from referral_hub.notifications.messages import Kind, backoff_seconds


@shared_task(name="hub.notifications.dispatch")
def dispatch(kind: str, referral_id: str, version: int) -> int:
    pending = services.plan(kind=Kind(kind), referral_id=referral_id, version=version)
    for delivery_id in pending:
        deliver.delay(delivery_id)
    return len(pending)


@shared_task(name="hub.notifications.deliver", bind=True, max_retries=6)
def deliver(self, delivery_id: int) -> str:
    final = self.request.retries >= self.max_retries
    try:
        return services.deliver(delivery_id, final_attempt=final)
    except services.RetryLater as transient:
        countdown = backoff_seconds(self.request.retries + 1, settings.HUB_NOTIFY_BACKOFF_SECONDS)
        raise self.retry(exc=transient, countdown=countdown) from transient
