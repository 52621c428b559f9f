"""A subject's disclosure record (第三者提供記録, APPI art. 29; the material for a
disclosure request, art. 33): every audit event about the subject, found through its
mentions (graph/audit_log.py), with the organisations named, and every consent the
subject gave, in one statement.

The record is read from the audit log itself, not from a second log, so it cannot say
less than the log does (`verify_audit` checks that the mentions match the hashed subject
lists); reading it is audited in the same statement without mentioning the subject, so
producing the record does not change the record.
"""

from __future__ import annotations

from typing import Any, LiteralString

from graph import session
from graph.audit_log import APPEND_ONE, AuditRecord, audit_params
from graph.records import plain

_RECORD: LiteralString = (
    """
OPTIONAL MATCH (reader:Organisation {id: $audit.actorOrganisation})
OPTIONAL MATCH (s:Subject {id: $subject_id})-[:REGISTERED_BY]->(owner:Organisation)
WHERE $every_area OR EXISTS {
  MATCH (:Area {code: owner.areaCode})-[:PART_OF*0..]->(:Area {code: reader.areaCode})
}
CALL (s) {
  OPTIONAL MATCH (:AuditMention {subject: s.id})<-[:MENTIONS]-(e:AuditEvent)
  WHERE e.seq IS NOT NULL AND e.chain IS NOT NULL  // as verification reads them
  // An event naming several subjects (a page read) holds each one's basis and consent
  // at the subject's position in its lists: this subject's are the ones shown.
  WITH s, e, head([i IN range(0, size(coalesce(e.subjects, [])) - 1)
                   WHERE e.subjects[i] = s.id]) AS at
  WITH e,
       CASE WHEN e.subjectBases IS NULL THEN e.legalBasis
            ELSE nullif(e.subjectBases[at], '') END AS basis,
       CASE WHEN e.subjectConsents IS NULL THEN e.consentId
            ELSE nullif(e.subjectConsents[at], '') END AS consentId
  ORDER BY e.at, e.chain, e.seq
  OPTIONAL MATCH (actor:Organisation {id: e.actorOrganisation})
  OPTIONAL MATCH (:Referral {id: e.targetId})-[:TO]->(:Service)<-[:PROVIDES]-(to:Organisation)
  WHERE e.targetType = 'Referral'
  OPTIONAL MATCH (consent:Consent {id: consentId})
  WITH e, basis, consentId, actor, to, consent
  WHERE e IS NOT NULL
  RETURN collect(e {
    .id, .seq, .at, .action, .outcome, .targetType, .targetId, .actorUser, .actorRole,
    .categories, .fields, .hash, legalBasis: basis, consentId: consentId,
    statutory: coalesce(basis STARTS WITH 'STATUTORY_', e.statutory),
    actorOrganisationId: e.actorOrganisation, actorOrganisationName: actor.name,
    actorOrganisationKind: actor.kind, recipientId: to.id, recipientName: to.name,
    consentVersion: CASE WHEN consent IS NULL THEN null
                         ELSE COUNT { (consent)-[:SUPERSEDES*]->(:Consent) } + 1 END
  }) AS events
}
CALL (s) {
  OPTIONAL MATCH (s)-[:GAVE]->(c:Consent)
  WITH c ORDER BY c.recordedAt, c.id
  WHERE c IS NOT NULL
  RETURN collect(c {
    .id, .state, .givenBy, .guardianshipType, .purposes, .categories,
    .organisationKinds, .areaCode, .kindAreaCodes, .method, .recordedBy,
    validFrom: toString(c.validFrom), validUntil: toString(c.validUntil),
    recordedAt: toString(c.recordedAt), withdrawnAt: toString(c.withdrawnAt),
    supersededAt: toString(c.supersededAt),
    version: COUNT { (c)-[:SUPERSEDES*]->(:Consent) } + 1,
    supersedes: head(COLLECT { MATCH (c)-[:SUPERSEDES]->(old:Consent) RETURN old.id }),
    organisations: COLLECT {
      MATCH (c)-[:PERMITS]->(o:Organisation) RETURN o { .id, .name } ORDER BY o.name
    }
  }) AS consents
}
WITH s, owner, events, consents, reader.areaCode AS auditArea,
     CASE WHEN s IS NULL THEN 'DENIED' ELSE 'OK' END AS auditOutcome
"""
    + APPEND_ONE
    + """
RETURN CASE WHEN s IS NULL THEN null ELSE {
  subjectId: s.id, areaCode: s.areaCode, registeredAt: toString(s.createdAt),
  erasedAt: toString(s.erasedAt), registeredById: owner.id, registeredByName: owner.name,
  events: events, consents: consents
} END AS record
"""
)


def disclosure_record(
    *, subject_id: str, every_area: bool, reader: AuditRecord
) -> dict[str, Any] | None:
    """The record, or None when there is no such subject registered in the reader
    organisation's area or below it (the same answer either way; the attempt is audited
    as DENIED). The area is resolved in the statement, so the whole read is one round
    trip; `every_area` for a system administrator."""
    row = session.write(
        lambda tx: tx.single(
            _RECORD, subject_id=subject_id, every_area=every_area, **audit_params(reader)
        )
    )
    assert row is not None
    return plain(row["record"]) if row["record"] is not None else None
