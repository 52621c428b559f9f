"""The transactional outbox: what a write must announce, recorded in the write's transaction.

A notification used to be queued on the broker after the write committed, so a broker
outage lost it (issue 13). Now the write itself records an `(:OutboxEntry:Due)` in the
same transaction — the referral and its announcement commit or roll back together — and
the relay (referral_hub/notifications/relay.py) turns due entries into deliveries and
takes the `:Due` label off. Entries carry no personal data: a kind, a referral, a version.
"""

from __future__ import annotations

from typing import Any, LiteralString, NotRequired, TypedDict

from graph import session


class Entry(TypedDict):
    kind: str
    referralId: str
    version: int
    # A check-in's index (issue 20): a completed referral's version no longer changes, so
    # its check-ins' reminders are told apart by their index.
    checkIn: NotRequired[int]


def entry(kind: str, referral_id: str, version: int) -> Entry:
    return {"kind": str(kind), "referralId": referral_id, "version": int(version)}


def check_in_entry(kind: str, referral_id: str, version: int, index: int) -> Entry:
    return {**entry(kind, referral_id, version), "checkIn": int(index)}


def key(item: Entry) -> str:
    base = f"{item['referralId']}:{item['version']}:{item['kind']}"
    return base if "checkIn" not in item else f"{base}:{item['checkIn']}"


# MERGE on the key: a managed transaction the driver retries, or a second writer of the
# same event, finds the entry there and adds nothing.
_RECORD: LiteralString = """
UNWIND $entries AS e
MERGE (o:OutboxEntry {key: e.key})
ON CREATE SET o:Due, o.kind = e.kind, o.referralId = e.referralId, o.version = e.version,
              o.checkIn = e.checkIn, o.createdAt = datetime()
"""


def record(tx: session.Tx, entries: list[Entry]) -> None:
    """Record entries in the caller's transaction (nothing is sent for an empty list)."""
    if entries:
        tx.run(_RECORD, entries=[{**item, "key": key(item)} for item in entries]).consume()


def record_now(entries: list[Entry]) -> None:
    """Record entries in a transaction of their own (for messages of an older release)."""
    session.write(lambda tx: record(tx, entries))


# Oldest first, with the parties a delivery needs (no subject data), in one round trip.
_DUE: LiteralString = """
MATCH (o:OutboxEntry:Due)
WITH o ORDER BY coalesce(o.failures, 0), o.createdAt LIMIT $limit
OPTIONAL MATCH (r:Referral {id: o.referralId})-[:FROM]->(from:Organisation)
OPTIONAL MATCH (r)-[:TO]->(:Service)<-[:PROVIDES]-(to:Organisation)
RETURN o.key AS key, o.kind AS kind, o.referralId AS referral_id, o.version AS version,
       o.createdAt AS created_at, o.checkIn AS check_in,
       from.id AS from_id, from.email AS from_email, to.id AS to_id, to.email AS to_email
"""


def due(limit: int) -> list[dict[str, Any]]:
    return session.read(lambda tx: tx.rows(_DUE, limit=limit))


_MARK_RELAYED: LiteralString = """
UNWIND $keys AS key
MATCH (o:OutboxEntry:Due {key: key})
REMOVE o:Due
SET o.relayedAt = datetime()
"""

# An entry the relay could not plan is tried again on later passes, behind the others;
# after MAX_FAILURES it leaves the queue as :Failed (logged, for an operator to look at).
MAX_FAILURES = 5
_MARK_FAILED: LiteralString = """
UNWIND $keys AS key
MATCH (o:OutboxEntry:Due {key: key})
SET o.failures = coalesce(o.failures, 0) + 1
WITH o WHERE o.failures >= $max_failures
REMOVE o:Due
SET o:Failed
"""


def mark_failed(keys: list[str]) -> None:
    session.write(lambda tx: tx.run(_MARK_FAILED, keys=keys, max_failures=MAX_FAILURES).consume())


# Relayed entries are kept for a while (a trace of what was announced), then dropped.
_PRUNE: LiteralString = """
MATCH (o:OutboxEntry) WHERE o.relayedAt < datetime() - duration({days: $keep_days})
WITH o LIMIT $limit
DETACH DELETE o
"""


def mark_relayed(keys: list[str], *, keep_days: int, prune_limit: int = 1000) -> None:
    def work(tx: session.Tx) -> None:
        tx.run(_MARK_RELAYED, keys=keys).consume()
        tx.run(_PRUNE, keep_days=keep_days, limit=prune_limit).consume()

    session.write(work)


# What an organisation is still owed, for its ORG_ADMIN during a broker outage: due
# entries of referrals it sends (for the kinds its senders hear of) or receives.
_WAITING_FOR: LiteralString = """
MATCH (o:OutboxEntry:Due)
MATCH (r:Referral {id: o.referralId})-[:FROM]->(from:Organisation)
MATCH (r)-[:TO]->(:Service)<-[:PROVIDES]-(to:Organisation)
WITH o, from, to
WHERE (from.id = $organisation_id AND o.kind IN $sender_kinds)
   OR (to.id = $organisation_id AND o.kind IN $receiver_kinds)
RETURN o.key AS key, o.kind AS kind, o.referralId AS referral_id, o.version AS version,
       o.createdAt AS created_at
ORDER BY o.createdAt DESC LIMIT $limit
"""


def waiting_for(
    *, organisation_id: str, sender_kinds: list[str], receiver_kinds: list[str], limit: int
) -> list[dict[str, Any]]:
    return session.read(
        lambda tx: tx.rows(
            _WAITING_FOR,
            organisation_id=organisation_id,
            sender_kinds=sender_kinds,
            receiver_kinds=receiver_kinds,
            limit=limit,
        )
    )


_COUNT_DUE: LiteralString = "MATCH (o:OutboxEntry:Due) RETURN count(o) AS due"


def count_due() -> int:
    row = session.read(lambda tx: tx.single(_COUNT_DUE))
    return int(row["due"]) if row else 0
