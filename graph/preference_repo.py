"""Repository for a subject's own choices, `(:Subject)-[:HAS_PREFERENCE]->(:SubjectPreference)`.

At most one preference of a subject is ACTIVE. A change writes a new version and marks
the old one LIFTED in the same transaction, under the subject's write lock, so two
concurrent changes are ordered and history is kept for auditors. Only the registering
organisation writes them (the statements match the subject through REGISTERED_BY), and
each write is audited in its transaction. Statements that decide on a referral or a
recommendation read the active one with `ACTIVE_PREFERENCE`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import AuditRecord
from graph.records import plain

# The subject's active preference as the deciding statements need it (null: none); needs
# `s` in scope.
ACTIVE_PREFERENCE: LiteralString = """head(COLLECT {
  MATCH (s)-[:HAS_PREFERENCE]->(p:SubjectPreference {state: 'ACTIVE'})
  RETURN p { .id, .doNotRefer, .exchangeOnly, .noContactBefore }
})"""


def preference_projection(node: LiteralString) -> LiteralString:
    """A preference as readers get it (avoidMentioning still sealed; the caller opens it
    with the subject's key only where the reader has a basis)."""
    return (
        node
        + " { .id, .state, .version, do_not_refer: "
        + node
        + ".doNotRefer, exchange_only: "
        + node
        + ".exchangeOnly, no_contact_before: "
        + node
        + ".noContactBefore, contact_route: "
        + node
        + ".contactRoute, avoid_mentioning_sealed: "
        + node
        + ".avoidMentioningSealed, given_by: "
        + node
        + ".givenBy, recorded_at: "
        + node
        + ".recordedAt, recorded_by: "
        + node
        + ".recordedBy, organisation_id: "
        + node
        + ".organisationId, lifted_at: "
        + node
        + ".liftedAt, lifted_by: "
        + node
        + ".liftedBy }"
    )


# Every version of the subject's preference, newest first; needs `s` in scope.
PREFERENCE_HISTORY: LiteralString = (
    "COLLECT { MATCH (s)-[:HAS_PREFERENCE]->(p:SubjectPreference) RETURN "
    + preference_projection("p")
    + " ORDER BY p.version DESC }"
)

_OWN: LiteralString = """
MATCH (s:Subject {id: $subject_id})-[:REGISTERED_BY]->(:Organisation {id: $organisation_id})
OPTIONAL MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
RETURN s.birthYear AS birth_year, s.erasedAt IS NOT NULL AS erased,
       k.masterKeyId AS master_key_id, k.blob AS blob
"""

_SET: LiteralString = (
    """
MATCH (s:Subject {id: $subject_id})-[:REGISTERED_BY]->(o:Organisation {id: $organisation_id})
WHERE s.erasedAt IS NULL
SET s.lockedAt = datetime()
WITH s, o
CALL (s) {
  OPTIONAL MATCH (s)-[:HAS_PREFERENCE]->(old:SubjectPreference {state: 'ACTIVE'})
  FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END |
    SET old.state = 'LIFTED', old.liftedAt = datetime(), old.liftedBy = $recorded_by)
  RETURN old.id AS replaced
}
CREATE (s)-[:HAS_PREFERENCE]->(p:SubjectPreference {
  id: $id, state: 'ACTIVE', doNotRefer: $do_not_refer, exchangeOnly: $exchange_only,
  noContactBefore: CASE WHEN $no_contact_before IS NULL THEN null
                        ELSE date($no_contact_before) END,
  contactRoute: $contact_route, avoidMentioningSealed: $avoid_mentioning_sealed,
  givenBy: $given_by, version: COUNT { (s)-[:HAS_PREFERENCE]->() } + 1,
  recordedAt: datetime(), recordedBy: $recorded_by, organisationId: o.id, liftedAt: null
})
RETURN replaced, """
    + preference_projection("p")
    + " AS preference\n"
)

_LIFT: LiteralString = (
    """
MATCH (s:Subject {id: $subject_id})-[:REGISTERED_BY]->(:Organisation {id: $organisation_id})
SET s.lockedAt = datetime()
WITH s
MATCH (s)-[:HAS_PREFERENCE]->(p:SubjectPreference {state: 'ACTIVE'})
SET p.state = 'LIFTED', p.liftedAt = datetime(), p.liftedBy = $lifted_by
RETURN """
    + preference_projection("p")
    + " AS preference\n"
)


def own_subject(*, subject_id: str, organisation_id: str) -> dict[str, Any] | None:
    """Birth year, erasure and key of a subject this organisation registered, else None."""
    return session.read(
        lambda tx: tx.single(_OWN, subject_id=subject_id, organisation_id=organisation_id)
    )


def preference_set(
    *,
    subject_id: str,
    organisation_id: str,
    fields: dict[str, Any],
    audit: AuditRecord,
) -> dict[str, Any] | None:
    """Lock the subject, lift its active preference, create the new one and audit it;
    None (nothing written) when the subject is not this organisation's or was erased."""

    def work(tx: session.Tx) -> dict[str, Any] | None:
        row = tx.single(_SET, subject_id=subject_id, organisation_id=organisation_id, **fields)
        if row is None:
            return None
        audit_log.append(tx, audit)
        return plain(row)

    return session.write(work)


def preference_lift(
    *, subject_id: str, organisation_id: str, lifted_by: str, audit: AuditRecord
) -> dict[str, Any] | None:
    """Lift the subject's active preference (audited); None when there is none to lift."""

    def work(tx: session.Tx) -> dict[str, Any] | None:
        row = tx.single(
            _LIFT, subject_id=subject_id, organisation_id=organisation_id, lifted_by=lifted_by
        )
        if row is None:
            return None
        # The version lifted is known only now: the event names it as its target.
        audit_log.append(tx, replace(audit, target_id=row["preference"]["id"]))
        return plain(row["preference"])

    return session.write(work)
