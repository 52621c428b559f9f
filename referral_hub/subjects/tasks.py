"""Periodic maintenance of subjects (scheduled in settings.CELERY_BEAT_SCHEDULE).

Names are explicit and routed to the maintenance queue (see referral_hub/celery.py), so
notifications never wait behind them. No automatic retry: a failed run leaves nothing
half-done (each batch is one transaction) and the next scheduled run picks up the rest.
"""

from __future__ import annotations

from celery import shared_task

from referral_hub.subjects import maintenance


@shared_task(name="hub.maintenance.expire_consents")
def expire_consents() -> int:
    return maintenance.expire_consents()


@shared_task(name="hub.maintenance.erase_due_subjects")
def erase_due_subjects() -> int:
    return maintenance.erase_due_subjects()
