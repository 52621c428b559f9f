"""Referrals SENT and not acknowledged in time: the reminder, then the escalation.

Each is a HandoffEvent that does not change the state or the version (the caseworker's
next move must not fail with CONFLICT because the system spoke). Marking the referral
(`remindedAt`, `escalatedAt`) in the same statement makes a second run find nothing, and
the notification is recorded in the outbox in the same transaction.
"""

from __future__ import annotations

from typing import Any, LiteralString

from graph import outbox_repo, session

_EVENT: LiteralString = """
CREATE (r)-[:HAS_EVENT]->(e:HandoffEvent {
  id: randomUUID(), fromState: 'SENT', toState: 'SENT', action: $action, side: 'SYSTEM',
  actor: 'system', at: datetime(), version: r.version
})
RETURN r.id AS referral_id, e.id AS event_id, r.version AS version
"""

_REMIND: LiteralString = (
    """
MATCH (r:Referral {state: 'SENT'}) WHERE r.deadline <= datetime() AND r.remindedAt IS NULL
WITH r ORDER BY r.deadline LIMIT $limit
SET r.remindedAt = datetime()
WITH r
"""
    + _EVENT
)

_ESCALATE: LiteralString = (
    """
MATCH (r:Referral {state: 'SENT'}) WHERE r.escalateAt <= datetime() AND r.escalatedAt IS NULL
WITH r ORDER BY r.escalateAt LIMIT $limit
SET r.escalatedAt = datetime()
WITH r
"""
    + _EVENT
)


def overdue_mark(*, action: str, limit: int) -> list[dict[str, Any]]:
    """REMIND referrals past their deadline, or ESCALATE those past their escalation."""
    query = _REMIND if action == "REMIND" else _ESCALATE

    def work(tx: session.Tx) -> list[dict[str, Any]]:
        rows = tx.rows(query, action=action, limit=limit)
        # The notification kind is the event's action (REMIND, ESCALATE).
        outbox_repo.record(
            tx, [outbox_repo.entry(action, r["referral_id"], r["version"]) for r in rows]
        )
        return rows

    return session.write(work)
