"""The deadline check and the nightly responsiveness figures (maintenance queue; scheduled
in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from graph import check_in_repo, deadline_repo, statistics_repo
from referral_hub.core.batches import drain
from referral_hub.notifications.messages import Kind
from referral_hub.notifications.relay import nudge
from referral_hub.referrals import check_ins, responsiveness


@shared_task(name="hub.maintenance.check_deadlines")
def check_deadlines() -> dict[str, int]:
    """Remind receivers of SENT referrals past their deadline; escalate at twice it.

    Each marks what it did in the same statement as its HandoffEvent, so a second run (or
    one that overlaps) finds nothing new; the notifications are in the outbox with it."""

    def step(kind: Kind, limit: int) -> int:
        rows = deadline_repo.overdue_mark(action=kind.value, limit=limit)
        if rows:
            nudge()
        return len(rows)

    def drained(kind: Kind) -> int:
        return drain(lambda limit: step(kind, limit))

    return {kind.value: drained(kind) for kind in (Kind.REMIND, Kind.ESCALATE)}


@shared_task(name="hub.maintenance.check_check_ins")
def check_check_ins() -> dict[str, int]:
    """Check-ins after a connection (issue 20): remind the receiving organisation on a
    check-in's due working day, escalate to its ORG_ADMINs HUB_CHECK_IN_ESCALATE_DAYS
    working days later (both times were fixed on Japanese working days when the referral
    completed: referral_hub/referrals/check_ins.py).

    Each run marks what it announced in the statement that finds it, with the outbox entry
    in the same transaction, so a second run (or one that overlaps) finds nothing new."""

    def step(kind: Kind, limit: int) -> int:
        rows = check_in_repo.overdue_mark(kind=kind.value, limit=limit)
        if rows:
            nudge()
        return len(rows)

    def drained(kind: Kind) -> int:
        return drain(lambda limit: step(kind, limit))

    return {kind.value: drained(kind) for kind in (Kind.CHECK_IN_REMIND, Kind.CHECK_IN_ESCALATE)}


@shared_task(name="hub.maintenance.refresh_responsiveness")
def refresh_responsiveness() -> int:
    """Nightly per-service bands over the last 90 days (see referrals/responsiveness.py)."""
    figures = statistics_repo.responsiveness_figures(
        days=responsiveness.WINDOW_DAYS, still_days=check_ins.STILL_CONNECTED_DAYS
    )
    return statistics_repo.responsiveness_write(
        [{"id": row["id"], **responsiveness.bands(row)} for row in figures]
    )
