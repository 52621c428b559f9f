"""Pages of referrals: a receiver's inbox, a sender's outbox, the auditors' review queue.

Each page is ONE statement: it filters and pages the referrals, decides per subject
under which basis the reader may see the subject's initials (graph/consent_rule.py),
returns the sealed data only where it may, and writes one audit event naming every
subject it showed (graph/audit_log.py APPEND_PAGE_READ). The read and its audit commit
together, and a page of 50 costs one round trip whatever its contents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import APPEND_PAGE_READ, AuditRecord, audit_params
from graph.consent_rule import basis_consent, read_basis
from graph.listing import PAGE_DESC, Page, PageRequest, page_from
from graph.records import plain
from graph.referral_repo import handoff_event

# SENT or RECEIVED past its deadline, for a referral `n`.
_OVERDUE: LiteralString = (
    "coalesce(n.state IN ['SENT', 'RECEIVED'] AND n.deadline < datetime(), false)"
)


def _audited_rows(basis: LiteralString, consent: LiteralString = "null") -> LiteralString:
    """A page's rows (`reader`, `n`, `sortKey` in scope) with their parties and each
    subject's `basis` (and the `consent` it rests on): the audit of every subject read,
    then one row per referral again."""
    return (
        """
MATCH (n)-[:FROM]->(from:Organisation),
      (n)-[:TO]->(svc:Service)<-[:PROVIDES]-(to:Organisation), (n)-[:FOR]->(s:Subject)
WITH reader, n, sortKey, from, svc, to, s, """
        + basis
        + """ AS basis
WITH reader, n, sortKey, from, svc, to, s, basis, """
        + consent
        + """ AS consent
WITH reader, collect({n: n, sortKey: sortKey, from: from, svc: svc, to: to, s: s,
                      basis: basis, consent: consent}) AS rows
WITH rows, reader.areaCode AS auditArea,
     [row IN rows WHERE row.basis IS NOT NULL |
      {subject: row.s.id, basis: row.basis, consent: row.consent}]
       AS reads
"""
        + APPEND_PAGE_READ
        + """
UNWIND rows AS row
WITH row, row.n AS n, row.s AS s, row.from AS from, row.to AS to, row.svc AS svc
"""
    )


# From the paged rows to the answer: basis per row, the audit, then one row per referral.
_PAGE_TAIL: LiteralString = (
    _audited_rows(read_basis(), "CASE WHEN basis = 'CONSENT' THEN " + basis_consent() + " END")
    + """
RETURN n { .id, .state, .version, .urgency, .deadline,
           created_at: n.createdAt, updated_at: n.updatedAt,
           waitlisted: coalesce(n.waitlisted, false),
           legal_basis: coalesce(n.legalBasis, 'CONSENT'), review_state: n.reviewState,
           purpose: coalesce(n.purpose, 'SUPPORT'),
           overdue: """
    + _OVERDUE
    + """,
           subject_id: s.id,
           sender: from { .id, .name, .kind }, receiver: to { .id, .name, .kind },
           service: svc { .id, .name, .mode },
           last_event: head(COLLECT { MATCH (n)-[:HAS_EVENT]->(e:HandoffEvent)
                                     RETURN """
    + handoff_event("e", "row.basis")
    + """ ORDER BY e.version DESC, e.at DESC }),
           subject_sealed: CASE WHEN row.basis IS NOT NULL THEN s.sealed END,
           subject_key: CASE WHEN row.basis IS NOT NULL THEN head(COLLECT {
             MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
             RETURN {masterKeyId: k.masterKeyId, blob: k.blob} }) END
         } AS referral,
       row.sortKey AS sortKey
ORDER BY sortKey DESC, referral.id ASC
"""
)

_FILTERS: LiteralString = (
    """
WITH reader, n WHERE ($state IS NULL OR n.state = $state)
  AND ($urgency IS NULL OR n.urgency = $urgency)
  AND ($overdue IS NULL OR """
    + _OVERDUE
    + """ = $overdue)
WITH reader, n, n.createdAt.epochMillis AS sortKey
"""
)


# The inbox's and outbox's referrals before paging; a box's totalCount counts them. The
# receiver never sees a referral that was never sent (a draft, or a draft cancelled or
# withdrawn before sending).
_INBOX_MATCH: LiteralString = (
    """
MATCH (reader:Organisation {id: $reader})-[:PROVIDES]->(:Service)<-[:TO]-(n:Referral)
WHERE n.sentAt IS NOT NULL
"""
    + _FILTERS
)
_OUTBOX_MATCH: LiteralString = (
    """
MATCH (reader:Organisation {id: $reader})<-[:FROM]-(n:Referral)
"""
    + _FILTERS
)
_COUNT: LiteralString = "RETURN count(n) AS total"
_INBOX: LiteralString = _INBOX_MATCH + PAGE_DESC + _PAGE_TAIL
_OUTBOX: LiteralString = _OUTBOX_MATCH + PAGE_DESC + _PAGE_TAIL

# Statutory referrals sent from or to organisations in the auditor's areas. The auditor
# reads the justification (sealed with the subject's key) under the statute's own basis.
_REVIEW_MATCH: LiteralString = """
OPTIONAL MATCH (reader:Organisation {id: $reader})
MATCH (n:Referral)-[:FROM]->(sender:Organisation)
WHERE n.legalBasis STARTS WITH 'STATUTORY_'
  AND ($area_codes IS NULL OR sender.areaCode IN $area_codes)
  AND ($reviewed IS NULL OR (n.reviewState <> 'PENDING') = $reviewed)
WITH reader, n, n.createdAt.epochMillis AS sortKey
"""
_REVIEW_QUEUE: LiteralString = (
    _REVIEW_MATCH
    + PAGE_DESC
    + _audited_rows("n.legalBasis")
    + """
RETURN n { .id, .state, .version, .urgency,
           created_at: n.createdAt, updated_at: n.updatedAt, legal_basis: n.legalBasis,
           review_state: coalesce(n.reviewState, 'PENDING'), reviewed_at: n.reviewedAt,
           reviewed_by: n.reviewedBy, review_note: n.reviewNote,
           subject_id: s.id,
           sender: from { .id, .name, .kind }, receiver: to { .id, .name, .kind },
           service: svc { .id, .name, .mode },
           justification_sealed: n.justificationSealed,
           subject_key: head(COLLECT { MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
                                      RETURN {masterKeyId: k.masterKeyId, blob: k.blob} })
         } AS referral,
       row.sortKey AS sortKey
ORDER BY sortKey DESC, referral.id ASC
"""
)


def _page(query: LiteralString, *, page: PageRequest, audit: AuditRecord, **params: Any) -> Page:
    def work(tx: session.Tx) -> list[dict[str, Any]]:
        return [
            plain(row) for row in tx.rows(query, **params, **page.params(), **audit_params(audit))
        ]

    return page_from(session.write(work), page, key="referral")


def referral_box(
    *,
    box: str,
    reader: str,
    page: PageRequest,
    audit: AuditRecord,
    state: str | None = None,
    urgency: str | None = None,
    overdue: bool | None = None,
) -> Page:
    """A page of the reader's INBOX or OUTBOX, newest first, with its audit, in one trip."""
    return _page(
        _INBOX if box == "INBOX" else _OUTBOX,
        page=page,
        audit=audit,
        reader=reader,
        state=state,
        urgency=urgency,
        overdue=overdue,
        purpose="REFERRAL",
        categories=["CONTACT"],  # the initials come from the name
    )


def referral_box_count(
    *,
    box: str,
    reader: str,
    state: str | None = None,
    urgency: str | None = None,
    overdue: bool | None = None,
) -> int:
    """How many referrals the INBOX or OUTBOX holds under these filters (no personal data:
    nothing of a subject is read, so nothing is audited); one round trip."""
    query = (_INBOX_MATCH if box == "INBOX" else _OUTBOX_MATCH) + _COUNT
    params = {"reader": reader, "state": state, "urgency": urgency, "overdue": overdue}
    row = session.read(lambda tx: tx.single(query, **params))
    return row["total"] if row else 0


def review_queue_count(*, reader: str, area_codes: list[str] | None, reviewed: bool | None) -> int:
    """How many statutory referrals the review queue holds; one round trip."""
    params = {"reader": reader, "area_codes": area_codes, "reviewed": reviewed}
    row = session.read(lambda tx: tx.single(_REVIEW_MATCH + _COUNT, **params))
    return row["total"] if row else 0


def review_queue(
    *,
    reader: str,
    page: PageRequest,
    audit: AuditRecord,
    area_codes: list[str] | None,
    reviewed: bool | None,
) -> Page:
    return _page(
        _REVIEW_QUEUE,
        page=page,
        audit=audit,
        reader=reader,
        area_codes=area_codes,
        reviewed=reviewed,
    )


_REVIEW: LiteralString = """
MATCH (n:Referral {id: $id})-[:FROM]->(sender:Organisation), (n)-[:FOR]->(s:Subject)
WHERE n.legalBasis STARTS WITH 'STATUTORY_'
  AND ($area_codes IS NULL OR sender.areaCode IN $area_codes)
SET n.reviewState = $finding, n.reviewedAt = datetime(), n.reviewedBy = $reviewer,
    n.reviewNote = $note
RETURN n.id AS id, s.id AS subject_id, n.legalBasis AS legal_basis
"""


def review_record(
    *,
    referral_id: str,
    finding: str,
    note: str | None,
    reviewer: str,
    area_codes: list[str] | None,
    audit_for: Callable[[dict[str, Any]], AuditRecord],
) -> dict[str, Any] | None:
    """Record an auditor's finding on a statutory referral, audited naming its subject."""

    def work(tx: session.Tx) -> dict[str, Any] | None:
        row = tx.single(
            _REVIEW,
            id=referral_id,
            finding=finding,
            note=note,
            reviewer=reviewer,
            area_codes=area_codes,
        )
        if row is None:
            return None
        audit_log.append(tx, audit_for(row))
        return row

    return session.write(work)
