"""Repository for `(:SupportMeeting)` (支援会議) and what hangs off it.

`(m)-[:CONVENED_BY]->(:Organisation)`, `(m)-[:INVITES]->(:Organisation)` (participating
organisations), `(m)-[:HAS_MEMBER]->(:MeetingMember {organisationId, username})` (named
members, and each person's acknowledgement of the confidentiality duty),
`(m)-[:DISCUSSES]->(:Subject)`, `(m)-[:HAS_MINUTES]->(:MeetingMinutes)-[:ABOUT]->(:Subject)`
(one copy sealed with each subject's key) and `(m)-[:HAS_DECISION]->(:MeetingDecision)`.

Every write locks the meeting, lets a pure `decide` (referral_hub/meetings) refuse or
shape it from what the lock read, then writes and audits in the same transaction. Every
read works out the caller's standing and the sight window in the statement that returns
the meeting's content: content leaves the database only for the convener and for
participants who acknowledged, only until the window closes (docs/meetings.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import AuditRecord
from graph.consent_rule import NOW
from graph.records import plain

Row = dict[str, Any]
Decide = Callable[[Row | None], Row]


def sight_until(meeting: LiteralString) -> LiteralString:
    """When participants stop seeing the meeting's subjects: its end (closedAt, or
    convenedAt plus durationMinutes) plus $meeting_sight_days days."""
    return (
        "(coalesce("
        + meeting
        + ".closedAt, "
        + meeting
        + ".convenedAt + duration({minutes: "
        + meeting
        + ".durationMinutes})) + duration({days: $meeting_sight_days}))"
    )


def citable(meeting: LiteralString, sender: LiteralString) -> LiteralString:
    """The predicate a statutory referral's meeting must meet (graph/referral_repo.py
    _PREPARE, with the subject `s` in scope): the sender's organisation was invited and one
    of its members acknowledged confidentiality, and the window is still open."""
    return (
        "EXISTS { MATCH ("
        + meeting
        + ")-[:INVITES]->("
        + sender
        + ") } AND EXISTS { MATCH ("
        + meeting
        + ")-[:HAS_MEMBER]->(ack:MeetingMember) WHERE ack.organisationId = "
        + sender
        + ".id AND ack.acknowledgedAt IS NOT NULL } AND "
        + NOW
        + " <= "
        + sight_until(meeting)
    )


# The caller's standing in `m` (referral_hub/meetings/rules.py Standing). Parameters:
# $org, $username, $coordinator, $auditor, $audit_areas (null: every area).
_STANDING: LiteralString = """CASE
  WHEN $coordinator AND m.organisationId = $org THEN 'CONVENER'
  WHEN EXISTS { MATCH (m)-[:INVITES]->(:Organisation {id: $org}) }
   AND EXISTS { MATCH (m)-[:HAS_MEMBER]->(me:MeetingMember)
                WHERE me.organisationId = $org AND me.username = $username
                  AND me.acknowledgedAt IS NOT NULL } THEN 'ACKNOWLEDGED'
  WHEN EXISTS { MATCH (m)-[:INVITES]->(:Organisation {id: $org}) } THEN 'PENDING'
  WHEN $auditor AND ($audit_areas IS NULL OR m.areaCode IN $audit_areas) THEN 'AUDITOR'
  ELSE 'OUTSIDER' END"""

_CONVENE: LiteralString = (
    """
MATCH (o:Organisation {id: $org})
CREATE (m:SupportMeeting {
  id: $id, title: $title, areaCode: $area_code, areaCodes: $area_codes, state: 'CONVENED',
  convenedAt: """
    + NOW
    + """, durationMinutes: $duration_minutes, convenedBy: $username, organisationId: $org
})-[:CONVENED_BY]->(o)
// The convener's own organisation takes part, and convening is the convener's
// acknowledgement of the duty (docs/meetings.md).
CREATE (m)-[:INVITES]->(o)
CREATE (m)-[:HAS_MEMBER]->(:MeetingMember {
  id: randomUUID(), organisationId: $org, username: $username, named: true,
  invitedAt: """
    + NOW
    + ", acknowledgedAt: "
    + NOW
    + """
})
RETURN m.id AS id
"""
)

_LOCK: LiteralString = (
    """
MATCH (m:SupportMeeting {id: $meeting_id})
SET m.lockedAt = datetime()
WITH m, """
    + _STANDING
    + """ AS standing
RETURN m.state AS state, standing, m.areaCode AS area_code,
       [id IN $organisation_ids WHERE NOT EXISTS { MATCH (:Organisation {id: id}) }]
         AS unknown_organisations,
       head(COLLECT { MATCH (s:Subject {id: $subject_id})
                      WHERE s.erasedAt IS NULL AND s.areaCode IN m.areaCodes
                      RETURN s.id }) AS subject_found,
       COLLECT { MATCH (m)-[:DISCUSSES]->(s:Subject)-[:HAS_KEY]->(k:SubjectKey)
                 WHERE s.erasedAt IS NULL
                 RETURN {subject_id: s.id, masterKeyId: k.masterKeyId, blob: k.blob}
                 ORDER BY s.id } AS keys
"""
)

_INVITE: LiteralString = """
MATCH (m:SupportMeeting {id: $meeting_id})
CALL (m) {
  UNWIND $organisation_ids AS id
  MATCH (o:Organisation {id: id})
  MERGE (m)-[:INVITES]->(o)
}
CALL (m) {
  UNWIND $members AS named
  MATCH (o:Organisation {id: named.organisation_id})
  MERGE (m)-[:INVITES]->(o)
  MERGE (m)-[:HAS_MEMBER]->(p:MeetingMember {organisationId: o.id, username: named.username})
  ON CREATE SET p.id = randomUUID(), p.invitedAt = datetime()
  SET p.named = true
}
RETURN m.id AS id
"""

_ACKNOWLEDGE: LiteralString = (
    """
MATCH (m:SupportMeeting {id: $meeting_id})
MERGE (m)-[:HAS_MEMBER]->(p:MeetingMember {organisationId: $org, username: $username})
ON CREATE SET p.id = randomUUID(), p.named = false
SET p.acknowledgedAt = coalesce(p.acknowledgedAt, """
    + NOW
    + """)
RETURN m.id AS id
"""
)

_ADD_SUBJECT: LiteralString = (
    """
MATCH (m:SupportMeeting {id: $meeting_id}), (s:Subject {id: $subject_id})
MERGE (m)-[d:DISCUSSES]->(s)
ON CREATE SET d.addedAt = """
    + NOW
    + """, d.addedBy = $username
RETURN m.id AS id
"""
)

_MINUTES: LiteralString = (
    """
MATCH (m:SupportMeeting {id: $meeting_id})
CALL (m) {
  UNWIND $sealed AS copy
  MATCH (s:Subject {id: copy.subject_id})
  CREATE (m)-[:HAS_MINUTES]->(:MeetingMinutes {
    id: randomUUID(), recordId: $record_id, at: """
    + NOW
    + """, recordedBy: $username, sealed: copy.sealed
  })-[:ABOUT]->(s)
}
RETURN m.id AS id
"""
)

_DECISION: LiteralString = (
    """
MATCH (m:SupportMeeting {id: $meeting_id}), (s:Subject {id: $subject_id})
CREATE (m)-[:HAS_DECISION]->(:MeetingDecision {
  id: $record_id, at: """
    + NOW
    + """, recordedBy: $username, sealed: $sealed
})-[:ABOUT]->(s)
RETURN m.id AS id
"""
)

_CLOSE: LiteralString = (
    """
MATCH (m:SupportMeeting {id: $meeting_id})
SET m.state = 'CLOSED', m.closedAt = """
    + NOW
    + """
RETURN m.id AS id
"""
)

ACTIONS: dict[str, LiteralString] = {
    "INVITE": _INVITE,
    "ACKNOWLEDGE": _ACKNOWLEDGE,
    "ADD_SUBJECT": _ADD_SUBJECT,
    "RECORD_MINUTES": _MINUTES,
    "RECORD_DECISION": _DECISION,
    "CLOSE": _CLOSE,
}

# A meeting's header and, by standing, its participants (convener, acknowledged
# participants, auditors) and the reads of it (auditors). Needs m, standing, until.
_HEADER: LiteralString = """m {
  .id, .title, .state, area_code: m.areaCode, convened_at: m.convenedAt,
  duration_minutes: m.durationMinutes, closed_at: m.closedAt, convened_by: m.convenedBy,
  sight_until: until, standing: standing,
  convener: head(COLLECT { MATCH (m)-[:CONVENED_BY]->(c:Organisation) RETURN c { .id, .name } }),
  my_acknowledged_at: head(COLLECT { MATCH (m)-[:HAS_MEMBER]->(me:MeetingMember)
                                      WHERE me.organisationId = $org AND me.username = $username
                                      RETURN me.acknowledgedAt }),
  participants: CASE WHEN standing IN ['CONVENER', 'ACKNOWLEDGED', 'AUDITOR'] THEN COLLECT {
    MATCH (m)-[:INVITES]->(o:Organisation)
    RETURN o { .id, .name, .kind, members: COLLECT {
      MATCH (m)-[:HAS_MEMBER]->(p:MeetingMember) WHERE p.organisationId = o.id
      RETURN p { .username, named: coalesce(p.named, false), acknowledged_at: p.acknowledgedAt }
      ORDER BY p.username } } ORDER BY o.name, o.id } END,
  reads: CASE WHEN standing = 'AUDITOR' THEN COLLECT {
    MATCH (e:AuditEvent {targetId: m.id}) WHERE e.action = 'SUPPORT_MEETING_READ'
    RETURN {actor: e.actorUser, organisation_id: e.actorOrganisation, at: e.at,
            subjects: coalesce(e.subjects, [])} ORDER BY e.at, e.id } END
}"""

_GET: LiteralString = (
    """
MATCH (m:SupportMeeting {id: $meeting_id})
WITH m, """
    + _STANDING
    + """ AS standing
WHERE standing <> 'OUTSIDER'
WITH m, standing, """
    + sight_until("m")
    + """ AS until
WITH m, standing, until,
     standing IN ['CONVENER', 'ACKNOWLEDGED'] AND """
    + NOW
    + """ <= until AS content
RETURN """
    + _HEADER
    + """ AS meeting, content,
  CASE WHEN content THEN COLLECT {
    MATCH (m)-[d:DISCUSSES]->(s:Subject)
    RETURN {id: s.id, birth_year: s.birthYear, area_code: s.areaCode,
            erased: s.erasedAt IS NOT NULL, added_at: d.addedAt}
    ORDER BY d.addedAt, s.id } END AS subjects,
  CASE WHEN content THEN COLLECT {
    MATCH (m)-[:HAS_MINUTES]->(x:MeetingMinutes)-[:ABOUT]->(s:Subject)-[:HAS_KEY]->(k:SubjectKey)
    WHERE s.erasedAt IS NULL
    RETURN {record_id: x.recordId, at: x.at, recorded_by: x.recordedBy, sealed: x.sealed,
            subject_id: s.id, key: {masterKeyId: k.masterKeyId, blob: k.blob}}
    ORDER BY x.at, x.recordId, s.id } END AS minutes,
  CASE WHEN content THEN COLLECT {
    MATCH (m)-[:HAS_DECISION]->(d:MeetingDecision)-[:ABOUT]->(s:Subject)-[:HAS_KEY]->(k:SubjectKey)
    WHERE s.erasedAt IS NULL
    RETURN {id: d.id, at: d.at, recorded_by: d.recordedBy, sealed: d.sealed,
            subject_id: s.id, key: {masterKeyId: k.masterKeyId, blob: k.blob},
            referrals: COLLECT { MATCH (r:Referral)-[:CITES]->(m) WHERE (r)-[:FOR]->(s)
                                 RETURN r.id ORDER BY r.id }}
    ORDER BY d.at, d.id } END AS decisions
"""
)

_LIST: LiteralString = (
    """
MATCH (m:SupportMeeting)
WHERE ($coordinator AND m.organisationId = $org)
   OR EXISTS { MATCH (m)-[:INVITES]->(:Organisation {id: $org}) }
   OR ($auditor AND ($audit_areas IS NULL OR m.areaCode IN $audit_areas))
WITH m, """
    + _STANDING
    + """ AS standing
WITH m, standing, """
    + sight_until("m")
    + """ AS until
ORDER BY m.convenedAt DESC, m.id
LIMIT $limit
RETURN """
    + _HEADER
    + """ AS meeting
"""
)


def meeting_convene(*, fields: dict[str, Any], audit: AuditRecord) -> None:
    def work(tx: session.Tx) -> None:
        created = tx.single(_CONVENE, **fields)
        assert created is not None  # the service checked the organisation
        audit_log.append(tx, audit)

    session.write(work)


def meeting_act(
    *,
    action: str,
    lock: dict[str, Any],
    decide: Decide,
    audit_for: Callable[[Row], AuditRecord],
) -> Row:
    """In one transaction: lock the meeting and read the caller's standing, let `decide`
    (pure, may raise before anything is written) give the action's parameters, write,
    audit."""

    def work(tx: session.Tx) -> Row:
        row = tx.single(_LOCK, **lock)
        params = decide(row)
        done = tx.single(ACTIONS[action], meeting_id=lock["meeting_id"], **params)
        assert done is not None  # the lock found the meeting
        audit_log.append(tx, audit_for(params))
        return {**(row or {}), **params}

    return session.write(work)


def meeting_get(*, params: dict[str, Any], audit_for: Callable[[Row], AuditRecord]) -> Row | None:
    """The meeting as the caller may see it; the read is audited in its transaction."""

    def work(tx: session.Tx) -> Row | None:
        row = tx.single(_GET, **params)
        if row is None:
            return None
        audit_log.append(tx, audit_for(row))
        read: Row = plain(row)
        return read

    return session.write(work)


def meeting_list(*, params: dict[str, Any]) -> list[Row]:
    """The meetings the caller convened, is invited to, or (an auditor) oversees: headers,
    participants and reads as its standing allows, never content."""
    rows = session.read(lambda tx: tx.rows(_LIST, **params))
    return [plain(row["meeting"]) for row in rows]
