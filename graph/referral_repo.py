"""Repository for `(:Referral)` and its `(:HandoffEvent)`s.

Every write first takes the write lock of the node it changes (the subject when a
referral is created, the referral when it moves), so concurrent callers are ordered:
of two duplicate referrals only one is created, and of two "accept"s on one version
only one succeeds; the other then sees the new version and gets a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString

from graph import audit_log, check_in_repo, outbox_repo, session
from graph.audit_log import AuditRecord
from graph.consent_rule import (
    NOW,
    OPEN_STATES,
    TODAY,
    basis_consent,
    consent_covers,
    read_basis,
    statutory_stands,
)
from graph.meeting_repo import citable
from graph.preference_repo import ACTIVE_PREFERENCE, preference_projection
from graph.records import plain
from graph.referral_rows import ReferralRead, ReferralRow

Row = dict[str, Any]
# The pure decision a write makes inside its transaction, from the row it locked: the
# fields to write, or an exception that rolls everything back.
Decide = Callable[[Row | None], Row]


def consent_for(categories: LiteralString, receiver: LiteralString = "to") -> LiteralString:
    """The consent a referral may go under: one that covers the receiving organisation for
    $purpose (REFERRAL) and every category shared; the longest-lasting if several do."""
    return (
        """head(COLLECT {
  MATCH (s)-[:GAVE]->(c:Consent)
  WHERE """
        + consent_covers(categories, receiver)
        + """
  RETURN c.id ORDER BY c.validUntil DESC, c.id
})"""
    )


_CONSENT_FOR_RECEIVER: LiteralString = consent_for("$categories")

# What a consent-based DRAFT still lacks before it can be sent (null when nothing):
# ['RECEIVER'] when no consent covers the receiving organisation at all, else the
# categories no consent covering it includes. A draft is the sender's own, so it may be
# kept without a consent; sending it needs one (graph/consent_rule.py).
_CONSENT_GAP: LiteralString = (
    """CASE WHEN r.state = 'DRAFT' AND NOT r.legalBasis STARTS WITH 'STATUTORY_'
          AND """
    + consent_for("r.categories")
    + """ IS NULL THEN
  CASE WHEN """
    + consent_for("[]")
    + """ IS NULL THEN ['RECEIVER']
       ELSE [x IN r.categories WHERE """
    + consent_for("[x]")
    + """ IS NULL] END
END"""
)

# An OFFER_ROLE referral's opportunity (issue 19): whether it is active and the service
# it is taken up through, which must be the referral's service (rules.opportunity_refusal).
_OPPORTUNITY_FACTS: LiteralString = """
       head(COLLECT { MATCH (op:Opportunity {id: $opportunity_id})-[:VIA]->(ov:Service)
                      RETURN {id: op.id, active: coalesce(op.active, true), via: ov.id}
       }) AS opportunity
"""

# The support meeting a STATUTORY_SWA_106_6 referral cites (issue 20), if it may: the
# subject was discussed there, the sender's organisation took part and acknowledged
# confidentiality, and the meeting's sight window is open (graph/meeting_repo.py).
_CITED_MEETING: LiteralString = (
    """
       head(COLLECT { MATCH (m:SupportMeeting {id: $meeting_id})-[:DISCUSSES]->(s)
                      WHERE """
    + citable("m", "from")
    + """
                      RETURN m.id }) AS cited_meeting,"""
)

_PREPARE: LiteralString = (
    """
MATCH (s:Subject {id: $subject_id})-[:REGISTERED_BY]->(from:Organisation {id: $from_id})
SET s.lockedAt = datetime()
WITH s, from
OPTIONAL MATCH (to:Organisation)-[:PROVIDES]->(svc:Service {id: $service_id})
OPTIONAL MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
RETURN svc IS NOT NULL AS service_found, to.id AS to_id, svc.capacityStatus AS capacity,
       coalesce(svc.acceptsReferrals, true) AND coalesce(svc.active, true) AS accepting,
       coalesce(svc.responseTargetHours, 72) AS response_hours,
       """
    + _CONSENT_FOR_RECEIVER
    + """ AS consent_id,
       head(COLLECT { MATCH (d:Referral)-[:FOR]->(s)
                      WHERE d.state IN """
    + OPEN_STATES
    + """ AND EXISTS { MATCH (d)-[:TO]->(:Service)<-[:PROVIDES]-(to) }
                      RETURN d.id }) AS duplicate_id,
       k.masterKeyId AS master_key_id, k.blob AS blob,
       to.kind AS to_kind, s.birthYear AS birth_year, s.erasedAt IS NOT NULL AS erased,
       """
    + TODAY
    + """.year AS this_year,
       EXISTS { MATCH (s)<-[:FOR]-(b:Referral {reviewState: 'INAPPROPRIATE'})
                      -[:TO]->(:Service)<-[:PROVIDES]-(to) } AS statutory_blocked,
       svc.mode AS service_mode, """
    + TODAY
    + """ AS today,
       """
    + ACTIVE_PREFERENCE
    + """ AS preference,"""
    + _CITED_MEETING
    + _OPPORTUNITY_FACTS
)


def handoff_event(event: LiteralString, basis: LiteralString) -> LiteralString:
    """A handoff event as readers get it: its note (sealed with the subject's key) only
    where `basis` (the reader's basis to see the subject now) is not null."""
    return (
        event
        + " { .id, .at, .action, .side, from_state: "
        + event
        + ".fromState, to_state: "
        + event
        + ".toState, .version, .actor, organisation_id: "
        + event
        + ".organisationId, .reason, .outcome, suggested_service_id: "
        + event
        + ".suggestedServiceId, note_sealed: CASE WHEN "
        + basis
        + " IS NOT NULL THEN "
        + event
        + ".noteSealed END }"
    )


def _sight_until(legal_basis: LiteralString) -> LiteralString:
    """When a statutory referral's sight ends, if it is sent now (null for consent)."""
    return (
        "CASE WHEN "
        + legal_basis
        + " STARTS WITH 'STATUTORY_' THEN "
        + NOW
        + " + duration({days: $sight_days}) END"
    )


_CREATE: LiteralString = (
    """
MATCH (s:Subject {id: $subject_id}), (from:Organisation {id: $from_id}),
      (svc:Service {id: $service_id})
OPTIONAL MATCH (c:Consent {id: $consent_id})
CREATE (r:Referral {
  id: $id, state: $state, version: 1, urgency: $urgency, categories: $categories,
  summarySealed: $summary_sealed, waitlisted: $waitlisted, legalBasis: $legal_basis,
  justificationSealed: $justification_sealed,
  reviewState: CASE WHEN $legal_basis STARTS WITH 'STATUTORY_' THEN 'PENDING' END,
  deadline: CASE WHEN $state = 'SENT' THEN datetime($deadline) END,
  escalateAt: CASE WHEN $state = 'SENT' THEN datetime($escalate_at) END,
  sentAt: CASE WHEN $state = 'SENT' THEN datetime() END,
  sightUntil: CASE WHEN $state = 'SENT' THEN """
    + _sight_until("$legal_basis")
    + """ END,
  deadlineHours: $deadline_hours, createdAt: datetime(), updatedAt: datetime(),
  overrodePreference: $overrode_preference,
  cellKey: toInteger(rand() * 256), purpose: $referral_purpose
})
CREATE (r)-[:FOR]->(s), (r)-[:FROM]->(from), (r)-[:TO]->(svc)
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | CREATE (r)-[:UNDER]->(c))
CREATE (r)-[:HAS_EVENT]->(:HandoffEvent {
  id: randomUUID(), fromState: null, toState: $state, action: $created, side: 'SENDER',
  actor: $actor, organisationId: $from_id, at: datetime(), version: 1
})
WITH r
CALL (r) {
  UNWIND $need_tags AS code
  MATCH (t:Tag {code: code})
  CREATE (r)-[:NEEDS]->(t)
}
WITH r
OPTIONAL MATCH (previous:Referral {id: $follows_id})
FOREACH (_ IN CASE WHEN previous IS NULL THEN [] ELSE [1] END |
  CREATE (r)-[:FOLLOWS]->(previous))
WITH r
OPTIONAL MATCH (offered:Opportunity {id: $opportunity_id})
FOREACH (_ IN CASE WHEN offered IS NULL THEN [] ELSE [1] END |
  CREATE (r)-[:OFFERS]->(offered))
WITH r
OPTIONAL MATCH (cited:SupportMeeting {id: $meeting_id})
FOREACH (_ IN CASE WHEN cited IS NULL THEN [] ELSE [1] END |
  CREATE (r)-[:CITES]->(cited))
RETURN r.id AS id
"""
)

# `basis_holds`: may the referral move on now? Its consent still covers the receiver for
# what it shares, or its statutory basis is still in sight (a draft: not found
# INAPPROPRIATE). A receiver never learns of a referral that was never sent.
_LOCK: LiteralString = (
    """
MATCH (r:Referral {id: $id})-[:FROM]->(from:Organisation),
      (r)-[:TO]->(svc:Service)<-[:PROVIDES]-(to:Organisation), (r)-[:FOR]->(s:Subject)
SET r.lockedAt = datetime()
// A draft's next step is sending it: lock its subject too, as creating does, so the send
// is ordered with a preference set at the same time (graph/preference_repo.py locks it).
FOREACH (_ IN CASE WHEN r.state = 'DRAFT' THEN [1] ELSE [] END | SET s.lockedAt = datetime())
WITH r, from, svc, to, s,
     CASE WHEN r.state = 'DRAFT' AND NOT r.legalBasis STARTS WITH 'STATUTORY_'
       THEN """
    + consent_for("r.categories")
    + """ END AS sendable_consent
RETURN r.state AS state, r.version AS version, from.id AS from_id, to.id AS to_id,
       s.id AS subject_id, svc.id AS service_id, r.categories AS categories,
       r.urgency AS urgency, r.deadlineHours AS deadline_hours, r.legalBasis AS legal_basis,
       r.sentAt IS NOT NULL AS sent, sendable_consent,
       coalesce(r.purpose, 'SUPPORT') AS referral_purpose,
       CASE WHEN r.legalBasis STARTS WITH 'STATUTORY_'
         THEN """
    + statutory_stands("r")
    + """
         ELSE EXISTS { MATCH (r)-[:UNDER]->(c:Consent) WHERE """
    + consent_covers("r.categories", "to")
    + """ }
              OR sendable_consent IS NOT NULL
       END AS basis_holds,
       head(COLLECT { MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
                      RETURN {masterKeyId: k.masterKeyId, blob: k.blob} }) AS key,
       svc.mode AS service_mode, svc.checkInDays AS check_in_days, """
    + TODAY
    + """ AS today,
       """
    + ACTIVE_PREFERENCE
    + """ AS preference,
       head(COLLECT { MATCH (r)-[:OFFERS]->(op:Opportunity)-[:VIA]->(ov:Service)
                      RETURN {id: op.id, active: coalesce(op.active, true), via: ov.id}
       }) AS offered
"""
)

_MOVE: LiteralString = (
    """
MATCH (r:Referral {id: $id}) WHERE r.version = $seen
SET r.state = $to_state, r.version = $version, r.updatedAt = datetime(),
    r.reason = coalesce($reason, r.reason), r.outcome = coalesce($outcome, r.outcome),
    r.deadline = CASE WHEN $to_state = 'SENT' THEN datetime($deadline) ELSE r.deadline END,
    r.escalateAt = CASE WHEN $to_state = 'SENT' THEN datetime($escalate_at)
                        ELSE r.escalateAt END,
    r.sentAt = CASE WHEN $to_state = 'SENT' THEN datetime() ELSE r.sentAt END,
    r.sightUntil = CASE WHEN $to_state = 'SENT' THEN """
    + _sight_until("r.legalBasis")
    + """ ELSE r.sightUntil END,
    r.acknowledgedAt = CASE WHEN $to_state = 'RECEIVED' THEN datetime()
                            ELSE r.acknowledgedAt END,
    r.acceptedAt = CASE WHEN $to_state = 'ACCEPTED' THEN datetime() ELSE r.acceptedAt END,
    r.closedAt = CASE WHEN $closes THEN datetime() ELSE r.closedAt END,
    r.overrodePreference = coalesce($overrode_preference, r.overrodePreference)
CREATE (r)-[:HAS_EVENT]->(:HandoffEvent {
  id: randomUUID(), fromState: $from_state, toState: $to_state, action: $action,
  side: $side, actor: $actor, organisationId: $organisation_id, at: datetime(),
  version: $version, reason: $reason, outcome: $outcome, noteSealed: $note_sealed,
  suggestedServiceId: $suggested_service_id
})
WITH r
CALL (r) {
  // Sending a draft puts it under the consent that covers it now.
  WITH r WHERE $send_consent_id IS NOT NULL
  OPTIONAL MATCH (r)-[u:UNDER]->(:Consent)
  DELETE u
  WITH DISTINCT r
  MATCH (c:Consent {id: $send_consent_id})
  CREATE (r)-[:UNDER]->(c)
}
RETURN r.id AS id
"""
)

# The subject's data on a referral (birth year, the sealed summary and notes, the needs)
# is returned only where the reader has a basis to see it now, for the categories the
# referral shares; the needs also go with the subject's key when the subject is erased.
_GET: LiteralString = (
    """
MATCH (r:Referral {id: $id})-[:FROM]->(from:Organisation),
      (r)-[:TO]->(svc:Service)<-[:PROVIDES]-(to:Organisation), (r)-[:FOR]->(s:Subject),
      (reader:Organisation {id: $reader})
WHERE reader = from OR (reader = to AND r.sentAt IS NOT NULL)
WITH r, from, svc, to, s, reader, r.categories AS shared
WITH r, from, svc, to, s, reader, shared, """
    + read_basis("shared")
    + """ AS basis
WITH r, from, svc, to, s, basis, CASE WHEN basis = 'CONSENT' THEN """
    + basis_consent("shared")
    + """ END AS consent
RETURN r {
           consent_state: head(COLLECT { MATCH (r)-[:UNDER]->(c:Consent)
                                        RETURN CASE WHEN c.state = 'ACTIVE'
                                          AND c.validUntil >= """
    + TODAY
    + """ THEN 'ACTIVE' ELSE 'INACTIVE' END }),
           .id, .state, .version, .urgency, .categories, .reason, .outcome, .deadline,
           waitlisted: coalesce(r.waitlisted, false),
           purpose: coalesce(r.purpose, 'SUPPORT'),
           opportunity: head(COLLECT { MATCH (r)-[:OFFERS]->(op:Opportunity)
                                       RETURN op { .id, .title } }),
           legal_basis: coalesce(r.legalBasis, 'CONSENT'),
           created_at: r.createdAt, updated_at: r.updatedAt,
           acknowledged_at: r.acknowledgedAt, accepted_at: r.acceptedAt,
           closed_at: r.closedAt, review_state: r.reviewState,
           summary_sealed: CASE WHEN basis IS NOT NULL THEN r.summarySealed END,
           subject_id: s.id,
           subject_birth_year: CASE WHEN basis IS NOT NULL THEN s.birthYear END,
           sender: from { .id, .name, .kind, area_code: from.areaCode },
           receiver: to { .id, .name, .kind, area_code: to.areaCode },
           service: svc { .id, .name, .mode },
           consent_id: head(COLLECT { MATCH (r)-[:UNDER]->(c:Consent) RETURN c.id }),
           consent: head(COLLECT { MATCH (r)-[:UNDER]->(c:Consent)
                                   RETURN c { .id, .state, .purposes, .categories, .method,
                                              given_by: c.givenBy,
                                              organisation_kinds: c.organisationKinds,
                                              valid_from: c.validFrom,
                                              valid_until: c.validUntil,
                                              evidence_sha256: c.evidenceSha256,
                                              recorded_at: c.recordedAt,
                                              permits: COLLECT { MATCH (c)-[:PERMITS]->(o)
                                                                 RETURN o.id } } }),
           follows: head(COLLECT { MATCH (r)-[:FOLLOWS]->(p:Referral) RETURN p.id }),
           followed_by: head(COLLECT { MATCH (n:Referral)-[:FOLLOWS]->(r) RETURN n.id }),
           consent_gap: """
    + _CONSENT_GAP
    + """,
           need_tags: CASE WHEN basis IS NOT NULL AND s.erasedAt IS NULL THEN COLLECT {
             MATCH (r)-[:NEEDS]->(t:Tag) RETURN t.code ORDER BY t.code } END,
           subject_preference: CASE WHEN basis IS NOT NULL THEN head(COLLECT {
             MATCH (s)-[:HAS_PREFERENCE]->(p:SubjectPreference {state: 'ACTIVE'})
             RETURN """
    + preference_projection("p")
    + """ }) END,
           timeline: COLLECT { MATCH (r)-[:HAS_EVENT]->(e:HandoffEvent)
                             RETURN """
    + handoff_event("e", "basis")
    + """ ORDER BY e.version, e.at },
           check_ins: COLLECT { MATCH (r)-[:HAS_CHECK_IN]->(c:CheckIn) RETURN """
    + check_in_repo.projection("c", "basis")
    + """ ORDER BY c.index } } AS referral,
       basis, consent,
       CASE WHEN basis IS NOT NULL THEN head(COLLECT {
         MATCH (s)-[:HAS_KEY]->(k:SubjectKey)
         RETURN {masterKeyId: k.masterKeyId, blob: k.blob} }) END AS key
"""
)


def referral_create(
    *,
    prepare: dict[str, Any],
    decide: Decide,
    create: dict[str, Any],
    audit_for: Callable[[Row], AuditRecord],
    announce: list[outbox_repo.Entry],
    also_audit: Callable[[Row], list[AuditRecord]] = lambda _: [],
) -> dict[str, Any]:
    """In one transaction: lock the subject, look up consent/duplicates/capacity and the
    subject's preference, let `decide` (pure, may raise) check them and add fields, then
    create, audit (and `also_audit`: a statute overriding the preference) and record what
    must be announced in the outbox."""

    def work(tx: session.Tx) -> dict[str, Any]:
        row = tx.single(_PREPARE, **prepare)
        fields = decide(row)  # raises before anything is written
        tx.single(_CREATE, **create, **fields)
        audit_log.append(tx, audit_for(fields))
        for record in also_audit(fields):
            audit_log.append(tx, record)
        outbox_repo.record(tx, announce)
        return {**(row or {}), **fields}

    return session.write(work)


def referral_move(
    *,
    referral_id: str,
    decide: Decide,
    audit_for: Callable[[Row], AuditRecord],
    actor: str,
    announce: Callable[[Row], list[outbox_repo.Entry]],
    also_audit: Callable[[Row, Row], list[AuditRecord]] = lambda _row, _step: [],
) -> dict[str, Any]:
    """Lock the referral, let `decide(row)` pick the transition (pure, may raise), apply
    it; `announce(step)` names the outbox entries the step causes (same transaction)."""

    def work(tx: session.Tx) -> dict[str, Any]:
        row = tx.single(_LOCK, id=referral_id, purpose="REFERRAL")
        step = decide(row)
        assert row is not None  # decide refuses a referral that is not there
        check_ins = step.pop("check_ins", [])
        moved = tx.single(_MOVE, id=referral_id, actor=actor, **step)
        assert moved is not None  # the lock makes the version check succeed
        # A connecting completion schedules its check-ins with it (issue 20).
        check_in_repo.schedule(tx, referral_id, check_ins)
        audit_log.append(tx, audit_for(row))
        for record in also_audit(row, step):
            audit_log.append(tx, record)
        outbox_repo.record(tx, announce(step))
        return {**row, **step}

    return session.write(work)


def referral_get(
    *,
    referral_id: str,
    reader: str,
    audit_for: Callable[[ReferralRow, str | None, str | None], AuditRecord],
) -> ReferralRead | None:
    """The referral for its sender or receiver; the read is audited in its transaction."""

    def work(tx: session.Tx) -> ReferralRead | None:
        row = tx.single(_GET, id=referral_id, reader=reader, purpose="REFERRAL")
        if row is None:
            return None
        audit_log.append(tx, audit_for(row["referral"], row["basis"], row["consent"]))
        read: ReferralRead = plain(row)  # the statement's RETURN is this shape
        return read

    return session.write(work)


_PARTIES: LiteralString = """
MATCH (r:Referral {id: $id})-[:FROM]->(from:Organisation),
      (r)-[:TO]->(:Service)<-[:PROVIDES]-(to:Organisation)
RETURN from.id AS from_id, to.id AS to_id
"""


def referral_parties(referral_id: str) -> dict[str, Any] | None:
    """Who sent and who receives a referral (for notifications: no subject data)."""
    return session.read(lambda tx: tx.single(_PARTIES, id=referral_id))
