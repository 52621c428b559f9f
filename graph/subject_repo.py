"""Repository for subjects and their consents. Consent is checked inside the statement
that reads a subject, and every read (allowed or refused) is audited in its transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, LiteralString, TypedDict

from graph import audit_log, outbox_repo, session
from graph.audit_log import APPEND_PAGE_READ, AuditRecord, audit_params
from graph.consent_rule import (
    NOW,
    OPEN_STATES,
    READ_BASIS,
    TODAY,
    basis_consent,
    consent_covers,
    read_basis,
)
from graph.errors import MissingReferences, NotFound
from graph.preference_repo import PREFERENCE_HISTORY
from graph.records import plain

# Every subject starts with a retention clock: a subject no consent ever covers (known
# only through statutory referrals) is erased like one whose consent ended. Duplicate
# hints name only subjects the registering organisation may already see (its own, or
# under consent or statute): the answer is the same whether or not a match exists
# elsewhere, so it proves nothing about other organisations' subjects.
_REGISTER: LiteralString = (
    """
MATCH (o:Organisation {id: $organisation_id})
CREATE (s:Subject {id: $id, birthYear: $birth_year, areaCode: $area_code, sealed: $sealed,
                   dupKey: $dup_key, createdAt: datetime(), cellKey: toInteger(rand() * 256),
                   erasureDueAt: """
    + NOW
    + """ + duration({days: $retention_days})})
CREATE (s)-[:REGISTERED_BY]->(o)
CREATE (s)-[:HAS_KEY]->(:SubjectKey {subjectId: $id, masterKeyId: $master_key_id, blob: $blob})
WITH o AS reader
RETURN COLLECT {
  MATCH (s:Subject {dupKey: $dup_key}) WHERE s.id <> $id AND """
    + READ_BASIS
    + """ IS NOT NULL
  RETURN s.id ORDER BY s.id
} AS duplicates
"""
)

# What another organisation sees of the subject's preference: the one in force (not the
# versions the subject replaced), without who recorded or lifted it, and what not to
# mention only where its basis covers NOTES (free text about the person). The registering
# organisation sees the whole history.
_PREFERENCES_SEEN: LiteralString = """CASE WHEN basis = 'OWN_RECORD' THEN history ELSE [
  p IN history WHERE p.state = 'ACTIVE' | p {
    .*, recorded_by: null, lifted_by: null,
    avoid_mentioning_sealed: CASE WHEN notes_basis IS NOT NULL
                                  THEN p.avoid_mentioning_sealed END }] END"""

_READ: LiteralString = (
    """
OPTIONAL MATCH (s:Subject {id: $id})
OPTIONAL MATCH (reader:Organisation {id: $reader})
WITH s, reader, CASE WHEN s IS NOT NULL AND reader IS NOT NULL THEN """
    + READ_BASIS
    + """ END AS basis
WITH s, basis, CASE WHEN basis = 'CONSENT' THEN """
    + basis_consent()
    + """ END AS consent,
     CASE WHEN basis IS NOT NULL AND basis <> 'OWN_RECORD' THEN """
    + read_basis("['NOTES']")
    + """ END AS notes_basis
OPTIONAL MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
WITH s, basis, consent, notes_basis, k, """
    + PREFERENCE_HISTORY
    + """ AS history
RETURN s IS NOT NULL AS found, basis, consent,
       CASE WHEN basis IS NOT NULL THEN s { .id, .birthYear, .areaCode, .sealed, .erasedAt,
                                            .erasureDueAt, masterKeyId: k.masterKeyId,
                                            blob: k.blob, preferences: """
    + _PREFERENCES_SEEN
    + """ } END AS subject
"""
)


def subject_register(
    *,
    subject_id: str,
    organisation_id: str,
    birth_year: int,
    area_code: str,
    sealed: str,
    dup_key: str,
    master_key_id: str,
    blob: str,
    retention_days: int,
    audit: AuditRecord,
) -> list[str]:
    """Create the subject and its wrapped key; return ids of likely duplicates."""

    def work(tx: session.Tx) -> list[str]:
        row = tx.single(
            _REGISTER,
            id=subject_id,
            organisation_id=organisation_id,
            birth_year=birth_year,
            area_code=area_code,
            sealed=sealed,
            dup_key=dup_key,
            master_key_id=master_key_id,
            blob=blob,
            retention_days=retention_days,
            purpose="REFERRAL",
            categories=["CONTACT"],
        )
        if row is None:
            raise NotFound(organisation_id)
        audit_log.append(tx, audit)
        return list(row["duplicates"])

    return session.write(work)


def subject_read(
    *, subject_id: str, reader: str, purpose: str, categories: list[str], audit: AuditRecord
) -> dict[str, Any] | None:
    """The subject's stored fields if `reader` may see them now, else None.

    One statement decides and reads; the audit event (outcome OK or DENIED) is written
    in the same transaction, so there is no read without its record.
    """

    def work(tx: session.Tx) -> dict[str, Any] | None:
        row = tx.single(_READ, id=subject_id, reader=reader, purpose=purpose, categories=categories)
        assert row is not None
        if not row["found"]:
            return None
        basis = row["basis"]
        allowed = basis is not None
        audit_log.append(
            tx, _with_basis(audit, basis, row["consent"]) if allowed else _denied(audit)
        )
        return plain(row["subject"]) if allowed else None

    return session.write(work)


# Finding a pupil again: the registering organisation's own subjects with this keyed name
# hash, never another organisation's (so the answer proves nothing about anyone else's
# records). Each match is a personal-data access and is audited, naming its subject, in
# the same statement.
_FIND_OWN: LiteralString = (
    """
MATCH (reader:Organisation {id: $organisation_id})
OPTIONAL MATCH (s:Subject {dupKey: $dup_key})-[:REGISTERED_BY]->(reader)
WHERE s.erasedAt IS NULL
WITH reader, s ORDER BY s.createdAt DESC, s.id
WITH reader, collect(s)[..$limit] AS found
WITH found, reader.areaCode AS auditArea,
     [s IN found | {subject: s.id, basis: 'OWN_RECORD', consent: null}] AS reads
"""
    + APPEND_PAGE_READ
    + """
RETURN [s IN found | s { .id, .birthYear, .areaCode, .createdAt }] AS found
"""
)


def subjects_find_own(
    *, organisation_id: str, dup_key: str, limit: int, audit: AuditRecord
) -> list[dict[str, Any]]:
    """The organisation's own subjects with this duplicate key, newest first."""

    def work(tx: session.Tx) -> list[dict[str, Any]]:
        row = tx.single(
            _FIND_OWN,
            organisation_id=organisation_id,
            dup_key=dup_key,
            limit=limit,
            **audit_params(audit),
        )
        # The search itself, found or not, naming no subject (and no name):
        # repeated probing is visible to an auditor even when it finds nothing.
        audit_log.append(tx, audit)
        return [plain(found) for found in row["found"]] if row else []

    return session.write(work)


def _denied(record: AuditRecord) -> AuditRecord:
    """A refused read returned nothing: no basis, no consent, no fields."""
    return replace(record, outcome="DENIED", legal_basis=None, consent_id=None, fields=())


def _with_basis(record: AuditRecord, basis: str, consent_id: str | None) -> AuditRecord:
    return replace(
        record,
        legal_basis=basis,
        statutory=basis.startswith("STATUTORY_"),
        consent_id=consent_id,
    )


# A new ACTIVE consent `c` given by `s` (recorded, or a new version), the organisations
# it names, and no erasure due while it lasts. Both writers splice it in.
_NEW_CONSENT: LiteralString = """
CREATE (s)-[:GAVE]->(c:Consent {
  id: $id, state: 'ACTIVE', givenBy: $given_by, guardianRelationship: $guardian_relationship,
  guardianshipType: $guardianship_type,
  purposes: $purposes, categories: $categories, organisationKinds: $organisation_kinds,
  areaCode: $area_code, kindAreaCodes: $kind_area_codes, validFrom: date($valid_from),
  validUntil: date($valid_until), method: $method, evidenceSha256: $evidence_sha256,
  recordedBy: $recorded_by, recordedAt: datetime()
})
REMOVE s.erasureDueAt
WITH *
CALL (c) {
  UNWIND $organisation_ids AS organisation_id
  MATCH (o:Organisation {id: organisation_id})
  CREATE (c)-[:PERMITS]->(o)
  RETURN count(o) AS permitted
}
"""
_MISSING_ORGANISATIONS: LiteralString = (
    "[x IN $organisation_ids WHERE NOT EXISTS { MATCH (:Organisation {id: x}) }] AS missing"
)

_RECORD_CONSENT: LiteralString = (
    """
MATCH (s:Subject {id: $subject_id})-[:REGISTERED_BY]->(:Organisation {id: $organisation_id})
"""
    + _NEW_CONSENT
    + "RETURN c.id AS id, permitted, "
    + _MISSING_ORGANISATIONS
)

# When a consent ends (withdrawn or expired), in the same transaction: open referrals
# under it become WITHDRAWN with a handoff event (its reason CONSENT_WITHDRAWN or
# CONSENT_EXPIRED: a fact about the consent, not a note about the subject), and the data
# key's destruction falls due once no ACTIVE consent is left. Needs `s` and `c` in scope
# and $retention_days.
_CONSENT_ENDED: LiteralString = (
    """
CALL (c) {
  OPTIONAL MATCH (r:Referral)-[:UNDER]->(c)
  WHERE r.state IN """
    + OPEN_STATES
    + """
  WITH r WHERE r IS NOT NULL
  CREATE (r)-[:HAS_EVENT]->(:HandoffEvent {
    id: randomUUID(), fromState: r.state, toState: 'WITHDRAWN', action: 'WITHDRAW',
    side: 'SYSTEM', actor: 'system', at: datetime(), version: r.version + 1,
    reason: 'CONSENT_' + c.state
  })
  SET r.state = 'WITHDRAWN', r.version = r.version + 1, r.updatedAt = datetime(),
      r.closedAt = datetime()
  RETURN count(r) AS withdrawn,
         [x IN collect({id: r.id, version: r.version, sent: r.sentAt IS NOT NULL})
          WHERE x.sent | x { .id, .version }] AS ended
}
WITH s, c, withdrawn, ended
SET s.erasureDueAt = CASE
  WHEN EXISTS { MATCH (s)-[:GAVE]->(:Consent {state: 'ACTIVE'}) } THEN null
  ELSE """
    + NOW
    + """ + duration({days: $retention_days}) END
"""
)

_WITHDRAW_CONSENT: LiteralString = (
    """
MATCH (s:Subject)-[:GAVE]->(c:Consent {id: $id, state: 'ACTIVE'})
MATCH (s)-[:REGISTERED_BY]->(:Organisation {id: $organisation_id})
SET c.state = 'WITHDRAWN', c.withdrawnAt = datetime()
WITH s, c
"""
    + _CONSENT_ENDED
    + """
RETURN c.id AS id, s.id AS subject_id, withdrawn, ended, s.erasureDueAt AS erasure_due_at
"""
)

# A new version of an ACTIVE consent, in one transaction: the old one SUPERSEDED, the new
# one SUPERSEDES it. Open referrals under the old one that the new one still covers move
# under it; the others end at once, WITHDRAWN as by a withdrawal (reason CONSENT_NARROWED).
_AMEND_CONSENT: LiteralString = (
    """
MATCH (s:Subject)-[:GAVE]->(old:Consent {id: $old_id, state: 'ACTIVE'})
MATCH (s)-[:REGISTERED_BY]->(:Organisation {id: $organisation_id})
SET old.state = 'SUPERSEDED', old.supersededAt = datetime()
"""
    + _NEW_CONSENT
    + """
CREATE (c)-[:SUPERSEDES]->(old)
WITH s, c
CALL (s, c) {
  MATCH (s)<-[:FOR]-(r:Referral)-[u:UNDER]->(:Consent {id: $old_id})
  WHERE r.state IN """
    + OPEN_STATES
    + """
  MATCH (r)-[:TO]->(:Service)<-[:PROVIDES]-(to:Organisation)
  WITH r, u, """
    + consent_covers("r.categories", "to")
    + """ AS still
  FOREACH (_ IN CASE WHEN still THEN [1] ELSE [] END |
    DELETE u
    CREATE (r)-[:UNDER]->(c))
  FOREACH (_ IN CASE WHEN still THEN [] ELSE [1] END |
    CREATE (r)-[:HAS_EVENT]->(:HandoffEvent {
      id: randomUUID(), fromState: r.state, toState: 'WITHDRAWN', action: 'WITHDRAW',
      side: 'SYSTEM', actor: 'system', at: datetime(), version: r.version + 1,
      reason: 'CONSENT_NARROWED'
    })
    SET r.state = 'WITHDRAWN', r.version = r.version + 1, r.updatedAt = datetime(),
        r.closedAt = datetime())
  RETURN sum(CASE WHEN still THEN 1 ELSE 0 END) AS moved,
         collect(CASE WHEN NOT still AND r.sentAt IS NOT NULL
                      THEN {id: r.id, version: r.version} END) AS ended
}
RETURN c.id AS id, s.id AS subject_id, moved, ended, """
    + _MISSING_ORGANISATIONS
    + "\n"
)


class ConsentRow(TypedDict):
    """A consent as _CONSENT projects it: keyed as the GraphQL Consent type's fields."""

    id: str
    state: str
    purposes: list[str]
    categories: list[str]
    method: str
    subject_id: str
    given_by: str
    guardianship_type: str | None
    organisation_ids: list[str]
    organisation_kinds: list[str]
    area_code: str | None
    valid_from: date
    valid_until: date
    evidence_sha256: str | None


_CONSENT: LiteralString = """
MATCH (s:Subject)-[:GAVE]->(c:Consent {id: $id})
RETURN c { .id, .state, .purposes, .categories, .method,
           subject_id: s.id, given_by: c.givenBy, guardianship_type: c.guardianshipType,
           organisation_ids: COLLECT { MATCH (c)-[:PERMITS]->(o:Organisation) RETURN o.id },
           organisation_kinds: coalesce(c.organisationKinds, []), area_code: c.areaCode,
           valid_from: c.validFrom, valid_until: c.validUntil,
           evidence_sha256: c.evidenceSha256 }
       AS consent
"""


def consent_record(
    *,
    consent_id: str,
    subject_id: str,
    organisation_id: str,
    fields: dict[str, Any],
    organisation_ids: list[str],
    audit: AuditRecord,
) -> ConsentRow:
    def work(tx: session.Tx) -> None:
        row = tx.single(
            _RECORD_CONSENT,
            id=consent_id,
            subject_id=subject_id,
            organisation_id=organisation_id,
            organisation_ids=organisation_ids,
            **fields,
        )
        if row is None:
            raise NotFound(subject_id)
        if row["missing"]:  # raised inside the transaction: the consent is not kept
            raise MissingReferences({"organisationIds": row["missing"]})
        audit_log.append(tx, audit)

    session.write(work)
    return consent_get(consent_id)


def consent_amend(
    *,
    old_id: str,
    consent_id: str,
    organisation_id: str,
    fields: dict[str, Any],
    organisation_ids: list[str],
    audit: AuditRecord,
) -> dict[str, Any]:
    """Supersede an ACTIVE consent of a subject this organisation registered."""

    def work(tx: session.Tx) -> dict[str, Any]:
        row = tx.single(
            _AMEND_CONSENT,
            old_id=old_id,
            id=consent_id,
            organisation_id=organisation_id,
            organisation_ids=organisation_ids,
            purpose="REFERRAL",
            **fields,
        )
        if row is None:
            raise NotFound(old_id)
        if row["missing"]:  # raised inside the transaction: nothing is kept
            raise MissingReferences({"organisationIds": row["missing"]})
        audit_log.append(tx, audit)
        _announce_ended(tx, row["ended"])
        return plain(row)

    return session.write(work)


def _announce_ended(tx: session.Tx, ended: list[dict[str, Any]]) -> None:
    """Referrals a consent's end closed: their receivers hear of it (outbox, same tx)."""
    outbox_repo.record(tx, [outbox_repo.entry("WITHDRAWN", r["id"], r["version"]) for r in ended])


def consent_withdraw(
    *, consent_id: str, organisation_id: str, retention_days: int, audit: AuditRecord
) -> dict[str, Any]:
    def work(tx: session.Tx) -> dict[str, Any]:
        row = tx.single(
            _WITHDRAW_CONSENT,
            id=consent_id,
            organisation_id=organisation_id,
            retention_days=retention_days,
        )
        if row is None:
            raise NotFound(consent_id)
        audit_log.append(tx, audit)
        _announce_ended(tx, row["ended"])
        return plain(row)

    return session.write(work)


def consent_get(consent_id: str) -> ConsentRow:
    row = session.read(lambda tx: tx.single(_CONSENT, id=consent_id))
    if row is None:
        raise NotFound(consent_id)
    consent: ConsentRow = plain(row["consent"])
    return consent


_OWN_SUBJECT: LiteralString = """
MATCH (s:Subject {id: $id})-[:REGISTERED_BY]->(:Organisation {id: $organisation_id})
RETURN s.birthYear AS birth_year
"""


def own_subject_birth_year(*, subject_id: str, organisation_id: str) -> int | None:
    """The birth year of a subject this organisation registered, else None."""
    row = session.read(
        lambda tx: tx.single(_OWN_SUBJECT, id=subject_id, organisation_id=organisation_id)
    )
    return None if row is None else int(row["birth_year"])


# --- the daily maintenance: expiry and erasure -----------------------------------------------

# Consents whose last valid day (in Japan) has passed: EXPIRED, with the same cascade as
# a withdrawal, and one audit event naming the subjects, in one statement.
_EXPIRE_CONSENTS: LiteralString = (
    """
MATCH (s:Subject)-[:GAVE]->(c:Consent {state: 'ACTIVE'})
WHERE c.validUntil < """
    + TODAY
    + """
WITH s, c LIMIT $limit
SET c.state = 'EXPIRED', c.expiredAt = datetime()
WITH s, c
"""
    + _CONSENT_ENDED
    + """
WITH collect({subject: s.id, basis: null}) AS reads, count(c) AS expired,
     reduce(all = [], batch IN collect(ended) | all + batch) AS ended, null AS auditArea
"""
    + APPEND_PAGE_READ
    + """
RETURN expired, ended
"""
)

# Crypto-shredding: the subject's data key is destroyed, so its ciphertext can never be
# read again; the keyed name hash goes too. The subject node, its referrals (without
# summaries anyone can open), the audit log and statistics stay valid. Never while an
# ACTIVE consent or an open referral (a statutory one) still needs the subject, nor
# within the retention period after the subject's last referral closed.
_ERASE_DUE: LiteralString = (
    """
MATCH (s:Subject)
WHERE s.erasureDueAt <= """
    + NOW
    + """ AND s.erasedAt IS NULL
  AND NOT EXISTS { MATCH (s)-[:GAVE]->(:Consent {state: 'ACTIVE'}) }
  AND NOT EXISTS { MATCH (s)<-[:FOR]-(r:Referral) WHERE r.state IN """
    + OPEN_STATES
    + """ OR r.closedAt > """
    + NOW
    + """ - duration({days: $retention_days}) }
WITH s LIMIT $limit
OPTIONAL MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
DETACH DELETE k
SET s.erasedAt = datetime()
REMOVE s.erasureDueAt, s.dupKey
WITH collect({subject: s.id, basis: null}) AS reads, count(s) AS erased,
     null AS auditArea
"""
    + APPEND_PAGE_READ
    + """
RETURN erased
"""
)


def consents_expire(
    *, limit: int, retention_days: int, audit: AuditRecord
) -> tuple[int, list[dict[str, Any]]]:
    """Expire up to `limit` consents in one transaction: (how many, referrals withdrawn)."""

    def work(tx: session.Tx) -> dict[str, Any] | None:
        row = tx.single(
            _EXPIRE_CONSENTS, limit=limit, retention_days=retention_days, **audit_params(audit)
        )
        if row:
            _announce_ended(tx, row["ended"])
        return row

    row = session.write(work)
    return (int(row["expired"]), list(row["ended"])) if row else (0, [])


# Subjects registered before every subject had a retention clock (issue 22) and that no
# ACTIVE consent covers get one the first time the erasure task runs.
_START_MISSING_CLOCKS: LiteralString = (
    """
MATCH (s:Subject)
WHERE s.erasureDueAt IS NULL AND s.erasedAt IS NULL
  AND NOT EXISTS { MATCH (s)-[:GAVE]->(:Consent {state: 'ACTIVE'}) }
WITH s LIMIT $limit
SET s.erasureDueAt = """
    + NOW
    + """ + duration({days: $retention_days})
"""
)


def subjects_erase_due(*, limit: int, retention_days: int, audit: AuditRecord) -> int:
    """Destroy the keys of up to `limit` subjects whose erasure is due; returns how many."""

    def work(tx: session.Tx) -> dict[str, Any] | None:
        tx.run(_START_MISSING_CLOCKS, limit=limit, retention_days=retention_days).consume()
        return tx.single(
            _ERASE_DUE, limit=limit, retention_days=retention_days, **audit_params(audit)
        )

    row = session.write(work)
    return int(row["erased"]) if row else 0


# --- master key rotation ---------------------------------------------------------------------

_KEYS_UNDER_OTHER_MASTERS: LiteralString = """
MATCH (k:SubjectKey) WHERE k.masterKeyId <> $active
RETURN k.subjectId AS subject_id, k.masterKeyId AS master_key_id, k.blob AS blob
ORDER BY k.subjectId LIMIT $limit
"""

# Only a key still as it was read is replaced: one erased (deleted) or re-wrapped in the
# meantime is left alone.
_REWRAP: LiteralString = """
UNWIND $keys AS key
MATCH (k:SubjectKey {subjectId: key.subject_id})
WHERE k.masterKeyId = key.master_key_id AND k.blob = key.blob
SET k.masterKeyId = key.new_master_key_id, k.blob = key.new_blob
RETURN count(k) AS rewrapped
"""


def subject_keys_under_other_masters(*, active: str, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` subjects' wrapped keys not yet under the `active` master key."""
    return session.read(lambda tx: tx.rows(_KEYS_UNDER_OTHER_MASTERS, active=active, limit=limit))


def subject_keys_rewrap(*, keys: list[dict[str, Any]], audit: AuditRecord) -> int:
    """Store re-wrapped keys (each with new_master_key_id and new_blob); audited."""

    def work(tx: session.Tx) -> int:
        row = tx.single(_REWRAP, keys=keys)
        audit_log.append(tx, audit)
        return int(row["rewrapped"]) if row else 0

    return session.write(work)
