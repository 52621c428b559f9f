"""The daily consent and erasure work, as idempotent functions the Celery tasks call.

Each works in batches, each batch one transaction with its audit events, and re-reads
what is due every time: running it twice, or after a crash half-way, does no harm.
"""

from __future__ import annotations

from django.conf import settings

from graph import subject_repo
from referral_hub.accounts.actor import SYSTEM
from referral_hub.core.audit import audit_record
from referral_hub.core.batches import drain
from referral_hub.notifications.relay import nudge


def expire_consents() -> int:
    """ACTIVE consents past their last valid day become EXPIRED (cascade as a withdrawal)."""

    def step(limit: int) -> int:
        done, ended = subject_repo.consents_expire(
            limit=limit,
            retention_days=settings.HUB_ERASURE_RETENTION_DAYS,
            audit=audit_record(SYSTEM, "CONSENT_EXPIRE", "Subject", None, purpose="MAINTENANCE"),
        )
        if ended:  # their notifications are in the outbox, committed with the batch
            nudge()
        return done

    return drain(step)


def erase_due_subjects() -> int:
    """Destroy the data keys of subjects whose retention has run out: after registration
    or the last consent ended, and after the last referral closed."""
    return drain(
        lambda limit: subject_repo.subjects_erase_due(
            limit=limit,
            retention_days=settings.HUB_ERASURE_RETENTION_DAYS,
            audit=audit_record(SYSTEM, "SUBJECT_ERASE", "Subject", None, purpose="MAINTENANCE"),
        )
    )
