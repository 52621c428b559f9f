"""Repository for `(:Referral)-[:HAS_CHECK_IN]->(:CheckIn)` (issue 20, つながりフレイル).

Check-ins are created by the statement `SCHEDULE`, run by graph/referral_repo.py in the
transaction of the completing move. Recording an answer is its own transaction: it locks
the check-in's referral, returns what the pure rule (referral_hub/referrals/check_ins.py)
decides on — the receiver's basis to see the subject now, in the same statement — then
writes the answer, its audit and any notice to the sender together. The beat task marks
reminders and escalations in the statement that finds them, so a re-run finds nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString

from graph import audit_log, outbox_repo, session
from graph.audit_log import AuditRecord
from graph.consent_rule import NOW, read_basis
from graph.listing import PAGE_ASC, Page, PageRequest, page_from
from graph.records import plain

Row = dict[str, Any]

# Needs `r` (the completed referral) in scope; $check_ins from check_ins.graph_rows.
SCHEDULE: LiteralString = """
MATCH (r:Referral {id: $id})
UNWIND $check_ins AS planned
CREATE (r)-[:HAS_CHECK_IN]->(:CheckIn {
  id: randomUUID(), index: planned.index, days: planned.days,
  dueAt: datetime(planned.due_at), escalateAt: datetime(planned.escalate_at),
  state: 'DUE', createdAt: datetime()
})
"""


def schedule(tx: session.Tx, referral_id: str, check_ins: list[dict[str, Any]]) -> None:
    """In the caller's (the completing move's) transaction; nothing for an empty list."""
    if check_ins:
        tx.run(SCHEDULE, id=referral_id, check_ins=check_ins).consume()


# A check-in as readers get it; its note only where `basis` is not null.
def projection(node: LiteralString, basis: LiteralString) -> LiteralString:
    return (
        node
        + " { .id, .index, .days, .state, .answer, due_at: "
        + node
        + ".dueAt, escalate_at: "
        + node
        + ".escalateAt, answered_at: "
        + node
        + ".answeredAt, answered_by: "
        + node
        + ".answeredBy, reminded_at: "
        + node
        + ".remindedAt, escalated_at: "
        + node
        + ".escalatedAt, note_sealed: CASE WHEN "
        + basis
        + " IS NOT NULL THEN "
        + node
        + ".noteSealed END }"
    )


# Only the receiving organisation records; it finds the check-in of a referral it
# received, by id or by index, and the basis it has to write about the subject now
# (`ci`: the basis predicate binds `c` to a consent in its own subqueries).
_LOCK: LiteralString = (
    """
MATCH (reader:Organisation {id: $reader})-[:PROVIDES]->(svc:Service)<-[:TO]-(r:Referral {id: $id}),
      (r)-[:FOR]->(s:Subject), (r)-[:FROM]->(from:Organisation)
WHERE r.sentAt IS NOT NULL
SET r.lockedAt = datetime()
WITH r, s, reader, from, svc
OPTIONAL MATCH (r)-[:HAS_CHECK_IN]->(ci:CheckIn)
WHERE ($check_in_id IS NOT NULL AND ci.id = $check_in_id)
   OR ($check_in_id IS NULL AND ci.index = $index)
WITH r, s, ci, reader, from, svc, r.categories AS shared
RETURN ci.id AS check_in_id, ci.index AS index, ci.state AS state, ci.days AS days,
       r.id AS referral_id, r.version AS version, s.id AS subject_id, from.id AS from_id,
       svc.id AS service_id, coalesce(r.legalBasis, 'CONSENT') AS legal_basis,
       r.categories AS categories, """
    + read_basis("shared")
    + """ AS basis,
       head(COLLECT { MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
                      RETURN {masterKeyId: k.masterKeyId, blob: k.blob} }) AS key
"""
)

_RECORD: LiteralString = """
MATCH (c:CheckIn {id: $check_in_id}) WHERE c.state = 'DUE'
SET c.state = 'ANSWERED', c.answer = $answer, c.noteSealed = $note_sealed,
    c.answeredAt = datetime(), c.answeredBy = $actor, c.organisationId = $organisation_id
RETURN c.id AS id
"""


def check_in_record(
    *,
    referral_id: str,
    reader: str,
    check_in_id: str | None,
    index: int | None,
    decide: Callable[[Row | None], Row],
    audit_for: Callable[[Row], AuditRecord],
    announce: Callable[[Row], list[outbox_repo.Entry]],
) -> Row:
    """Lock, let `decide(row)` (pure, may raise; seals the note) give the fields, write the
    answer, its audit and its notices in one transaction."""

    def work(tx: session.Tx) -> Row:
        row = tx.single(
            _LOCK,
            id=referral_id,
            reader=reader,
            check_in_id=check_in_id,
            index=index,
            purpose="REFERRAL",
        )
        fields = decide(row)  # raises before anything is written
        assert row is not None  # decide refuses a missing check-in
        written = tx.single(_RECORD, check_in_id=row["check_in_id"], **fields)
        assert written is not None  # the lock orders two recordings; decide saw DUE
        audit_log.append(tx, audit_for(row))
        outbox_repo.record(tx, announce(row))
        return {**row, **fields}

    return session.write(work)


# Only a check-in its receiver may answer now (the basis recordCheckIn needs: consent,
# statute in sight or its own record) is listed, reminded or escalated: once the person
# withdrew their consent, or a statute's sight ended with the referral, pressing the
# receiver to follow them up would press it to contact someone it may not record
# anything about. A new consent brings the check-in back. Needs `reader`, `s`, `r`, and
# no `c` in scope (the basis binds `c` to a consent in its own subqueries).
_ANSWERABLE: LiteralString = read_basis("r.categories") + " IS NOT NULL"

# The receiving organisation's check-ins whose day has come, unanswered, oldest due first.
# No subject data: the page shows the referral, its service and sender, and the dates;
# the referral's own page is the consent-checked, audited read of the person.
_PAGE_MATCH: LiteralString = (
    """
MATCH (reader:Organisation {id: $reader})-[:PROVIDES]->(svc:Service)<-[:TO]-(r:Referral)
      -[:HAS_CHECK_IN]->(n:CheckIn {state: 'DUE'}),
      (r)-[:FOR]->(s:Subject)
WHERE n.dueAt <= """
    + NOW
    + """ + duration({days: $ahead_days})
  AND ($overdue IS NULL OR (n.escalateAt <= """
    + NOW
    + """) = $overdue)
  AND """
    + _ANSWERABLE
    + """
WITH reader, svc, r, n, n.dueAt.epochMillis AS sortKey
"""
)
_PAGE: LiteralString = (
    _PAGE_MATCH
    + PAGE_ASC
    + """
MATCH (r)-[:FROM]->(from:Organisation)
RETURN n { .id, .index, .days, .state, due_at: n.dueAt, escalate_at: n.escalateAt,
           reminded_at: n.remindedAt, escalated_at: n.escalatedAt,
           overdue: n.escalateAt <= """
    + NOW
    + """,
           referral: r { .id, .state, .outcome, closed_at: r.closedAt },
           service: svc { .id, .name }, sender: from { .id, .name } } AS check_in,
       sortKey
ORDER BY sortKey ASC, check_in.id ASC
"""
)


def check_in_page(
    *, reader: str, page: PageRequest, overdue: bool | None, ahead_days: int = 0
) -> Page:
    """A page of the reader's due (and overdue) check-ins, in one round trip."""
    rows = session.read(
        lambda tx: [
            plain(row)
            for row in tx.rows(
                _PAGE,
                reader=reader,
                overdue=overdue,
                ahead_days=ahead_days,
                purpose="REFERRAL",
                **page.params(),
            )
        ]
    )
    return page_from(rows, page, key="check_in")


def _overdue(when: LiteralString, marked: LiteralString) -> LiteralString:
    """Check-ins whose `when` has come, not yet `marked`, that the receiver may answer now:
    marked in the same statement, oldest first (the reminder and the escalation differ
    only in these two properties)."""
    return (
        """
MATCH (r:Referral)-[:HAS_CHECK_IN]->(ci:CheckIn {state: 'DUE'}),
      (r)-[:TO]->(:Service)<-[:PROVIDES]-(reader:Organisation), (r)-[:FOR]->(s:Subject)
WHERE ci."""
        + when
        + " <= "
        + NOW
        + " AND ci."
        + marked
        + """ IS NULL
  AND """
        + _ANSWERABLE
        + """
WITH r, ci ORDER BY ci."""
        + when
        + """ LIMIT $limit
SET ci."""
        + marked
        + " = "
        + NOW
        + """
RETURN r.id AS referral_id, r.version AS version, ci.index AS index, ci.id AS check_in_id
"""
    )


_REMIND = _overdue("dueAt", "remindedAt")
_ESCALATE = _overdue("escalateAt", "escalatedAt")


def overdue_mark(*, kind: str, limit: int) -> list[Row]:
    """CHECK_IN_REMIND the check-ins whose day has come, or CHECK_IN_ESCALATE those past
    their escalation; marked and announced in one transaction."""
    query = _REMIND if kind == "CHECK_IN_REMIND" else _ESCALATE

    def work(tx: session.Tx) -> list[Row]:
        rows = tx.rows(query, limit=limit, purpose="REFERRAL")
        outbox_repo.record(
            tx,
            [
                outbox_repo.check_in_entry(kind, r["referral_id"], r["version"], r["index"])
                for r in rows
            ],
        )
        return rows

    return session.write(work)
