"""Candidates for `recommend`: one statement gathers every figure the score needs.

The ranking itself is pure Python (referral_hub/pathways/scoring.py), so the statement
returns a bounded set of candidates (exchange-type places first where a need is
stigma-sensitive, then by how well they meet the needs and interests, then the nearest:
the heaviest parts of the score) with their raw figures: tags met,
distance, capacity, partnership hops from the sending organisation and the nightly
responsiveness bands (graph/statistics_repo.py). With a subject, the same statement checks
that the sender registered it, leaves out the services that already declined it and the
organisations already holding an open referral for it, and audits the read of the
subject: read and audit commit together.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, LiteralString

from graph import audit_log, session
from graph.audit_log import APPEND_PAGE_READ, AuditRecord, audit_params
from graph.consent_rule import OPEN_STATES
from graph.preference_repo import ACTIVE_PREFERENCE
from graph.records import plain

# Services the sender provides itself are left out (a referral goes to another
# organisation), as are those taking no referrals unless open to all (EXCHANGE).
# The sending organisation, and the origin distances are measured from: the point asked
# for, else the organisation's own first located place.
_FROM: LiteralString = """
OPTIONAL MATCH (reader:Organisation {id: $from_id})
WITH reader, coalesce(
  CASE WHEN $center IS NULL THEN null ELSE point($center) END,
  head(COLLECT { MATCH (reader)-[:HAS_LOCATION]->(h:Location)
                 WHERE h.point IS NOT NULL AND coalesce(h.active, true)
                 RETURN h.point ORDER BY h.id })) AS origin
"""

_NO_SUBJECT: LiteralString = """
WITH reader, origin, null AS basis, false AS subject_found, [] AS declined,
     [] AS busy, null AS born, null AS preference
"""

# With a subject, only its registering organisation (the only one that can refer it) may
# use its history: the services it has referred the subject to that declined, the
# organisations that hold an open referral for it (a second would be refused as a
# duplicate), and its birth year for the services' age ranges.
_SUBJECT: LiteralString = (
    """
OPTIONAL MATCH (s:Subject {id: $subject_id})
WITH reader, origin, s,
     CASE WHEN EXISTS { MATCH (s)-[:REGISTERED_BY]->(reader) } THEN 'OWN_RECORD' END AS basis
WITH reader, origin, s, basis, reader.areaCode AS auditArea,
     CASE WHEN basis IS NULL THEN [] ELSE [{subject: s.id, basis: basis}] END AS reads
"""
    + APPEND_PAGE_READ
    + """
WITH reader, origin, basis, s IS NOT NULL AS subject_found,
     CASE WHEN basis IS NULL THEN [] ELSE COLLECT {
       MATCH (s)<-[:FOR]-(:Referral {state: 'DECLINED'})-[:TO]->(d:Service)
       RETURN DISTINCT d.id
     } END AS declined,
     CASE WHEN basis IS NULL THEN [] ELSE COLLECT {
       MATCH (s)<-[:FOR]-(r:Referral)-[:TO]->(:Service)<-[:PROVIDES]-(o:Organisation)
       WHERE r.state IN """
    + OPEN_STATES
    + """
       RETURN DISTINCT o
     } END AS busy,
     CASE WHEN basis IS NULL THEN null ELSE s.birthYear END AS born,
     CASE WHEN basis IS NULL THEN null ELSE """
    + ACTIVE_PREFERENCE
    + """ END AS preference
"""
)


# The sender's partnership neighbourhood, ring by ring out to four hops (a breadth-first
# search by hand: ANY SHORTEST towards every organisation at once cost four times as much).
# Each candidate's provider is then looked up in these (local, small) rings.
def _ring(previous: LiteralString, seen: LiteralString, ring: LiteralString) -> LiteralString:
    imported: LiteralString = previous if previous == seen else previous + ", " + seen
    return (
        "CALL (" + imported + ") {\n"
        "  UNWIND " + previous + " AS x\n"
        "  MATCH (x)-[:PARTNERS_WITH]-(y:Organisation)\n"
        "  WHERE coalesce(y.active, true) AND NOT y IN " + seen + "\n"
        "  RETURN collect(DISTINCT y) AS " + ring + "\n"
        "}\n"
    )


_REACH: LiteralString = (
    "WITH *, CASE WHEN reader IS NULL THEN [] ELSE [reader] END AS ring0\n"
    + _ring("ring0", "ring0", "ring1")
    + "WITH *, ring0 + ring1 AS seen1\n"
    + _ring("ring1", "seen1", "ring2")
    + "WITH *, seen1 + ring2 AS seen2\n"
    + _ring("ring2", "seen2", "ring3")
    + "WITH *, seen2 + ring3 AS seen3\n"
    + _ring("ring3", "seen3", "ring4")
    + "WITH reader, origin, basis, subject_found, declined, busy, born, preference,\n"
    + "     [ring1, ring2, ring3, ring4] AS rings\n"
)


_IN_AREA: LiteralString = """
MATCH (l:Location) WHERE l.areaCode IN $area_codes AND coalesce(l.active, true)
MATCH (svc:Service)-[:AT]->(l)
"""

_NEAR: LiteralString = """
MATCH (l:Location) WHERE point.distance(l.point, point($center)) <= $meters
  AND coalesce(l.active, true)
MATCH (svc:Service)-[:AT]->(l)
"""

# The subject's preference leaves services out (referral_hub/subjects/preferences.py
# `leaves_out` states the same in Python): doNotRefer every one, exchangeOnly the
# support-type ones. `_LEFT_OUT` counts what it left out, on the same matches.
_PREFERRED: LiteralString = """NOT coalesce(preference.doNotRefer, false)
    AND NOT (coalesce(preference.exchangeOnly, false) AND svc.mode <> 'EXCHANGE')"""
# The same for an opportunity: an OFFER_ROLE referral goes to its VIA service, so a role
# taken up through a support-type service is left out under exchangeOnly too.
_PREFERRED_VIA: LiteralString = """NOT coalesce(preference.doNotRefer, false)
    AND NOT (coalesce(preference.exchangeOnly, false) AND via.mode <> 'EXCHANGE')"""
_NOT_PREFERRED: LiteralString = "NOT (" + _PREFERRED + ")"


def _matches(where: LiteralString, preferred: LiteralString, *, measured: bool) -> LiteralString:
    """The services that meet the ask at the chosen locations, one row per service and
    provider with what they meet (and, `measured`, how far they are: the count of what
    was left out needs no distance, and Neo4j refuses an aggregation in a COUNT inside
    an expression); `preferred` filters by the subject's preference."""
    return (
        where
        + """
  WITH svc, l
  WHERE coalesce(svc.active, true) AND NOT svc.id IN declined
    AND (coalesce(svc.acceptsReferrals, true) OR svc.mode = 'EXCHANGE')
    AND (born IS NULL OR (coalesce(svc.ageMin, 0) <= $year - born
                          AND coalesce(svc.ageMax, 200) >= $year - born - 1))
    AND """
        + preferred
        + """
  WITH svc, l, [(svc)-[:ADDRESSES]->(t:Tag) | t.code] AS codes
  WITH svc, l, [code IN $need_tags WHERE code IN codes] AS needs_met,
       [code IN $interest_tags WHERE code IN codes] AS interests_met
  WHERE size(needs_met) > 0 OR (size($need_tags) = 0 AND size(interests_met) > 0)
  WITH svc, needs_met, interests_met"""
        + (", min(point.distance(l.point, origin)) AS meters" if measured else "")
        + """
  MATCH (provider:Organisation)-[:PROVIDES]->(svc)
  WHERE coalesce(provider.active, true) AND provider <> reader AND NOT provider IN busy
"""
    )


def _left_out(where: LiteralString) -> LiteralString:
    """What the subject's preference left out: the preference and how many services
    (asked only when a preference could leave something out)."""
    return (
        """CASE WHEN coalesce(preference.doNotRefer, false)
              OR coalesce(preference.exchangeOnly, false) THEN [{
         preference: CASE WHEN preference.doNotRefer THEN 'doNotRefer' ELSE 'exchangeOnly' END,
         count: COUNT {
  """
        + _matches(where, _NOT_PREFERRED, measured=False)
        + """
  RETURN DISTINCT svc } }] ELSE [] END"""
    )


# Opportunities (issue 19): roles that suit the interests asked, beside the services, in the
# same statement. The same exclusions as the services' (the sender's own, organisations
# holding an open referral for the subject, a VIA service that declined it, outside its
# age); ranked by interests met, then distance. Skipped unless asked for.
_OPPORTUNITY_IN_AREA: LiteralString = """
  MATCH (op:Opportunity) WHERE op.areaCode IN $area_codes
  OPTIONAL MATCH (op)-[:AT]->(ol:Location)
  WITH op, ol
"""
_OPPORTUNITY_NEAR: LiteralString = """
  MATCH (ol:Location) WHERE point.distance(ol.point, point($center)) <= $meters
    AND coalesce(ol.active, true)
  MATCH (op:Opportunity)-[:AT]->(ol)
  WITH op, ol
"""


def _opportunities(near: bool) -> LiteralString:
    return (
        """,
       CASE WHEN $include_opportunities THEN COLLECT {
"""
        + (_OPPORTUNITY_NEAR if near else _OPPORTUNITY_IN_AREA)
        + """
  WHERE coalesce(op.active, true)
    AND (born IS NULL OR (coalesce(op.ageMin, 0) <= $year - born
                          AND coalesce(op.ageMax, 200) >= $year - born - 1))
  WITH op, ol, [code IN $interest_tags
                WHERE EXISTS { MATCH (op)-[:INTERESTED_IN]->(:Tag {code: code}) }] AS met
  WHERE size(met) > 0
  MATCH (org:Organisation)-[:OFFERS]->(op)-[:VIA]->(via:Service)
  WHERE coalesce(org.active, true) AND coalesce(via.active, true) AND org <> reader
    AND NOT org IN busy AND NOT via.id IN declined
    AND """
        + _PREFERRED_VIA
        + """
  WITH op, org, via, met,
       CASE WHEN ol IS NULL OR ol.point IS NULL OR origin IS NULL THEN null
            ELSE point.distance(ol.point, origin) END AS meters
  ORDER BY size(met) DESC, meters ASC, op.id ASC
  LIMIT $opportunity_limit
  RETURN {
    opportunity: op { .id, .title, .schedule, age_min: op.ageMin, age_max: op.ageMax,
                      area_code: op.areaCode },
    organisation: org { .id, .name, .kind },
    service: via { .id, .name, .mode, acceptsReferrals: via.acceptsReferrals },
    interests_met: met,
    distance_km: meters / 1000.0
  }
} ELSE [] END AS opportunities
"""
    )


def _statement(subject: bool, near: bool) -> LiteralString:
    where = _NEAR if near else _IN_AREA
    return (
        _FROM
        + (_SUBJECT if subject else _NO_SUBJECT)
        + _REACH
        + """
WITH *, [code IN $need_tags WHERE EXISTS {
           MATCH (t:Tag {code: code}) WHERE t.stigmaSensitive }] AS stigma_needs
RETURN reader IS NOT NULL AS known, subject_found, basis, size(declined) AS declined,
       stigma_needs, """
        + _left_out(where)
        + """ AS left_out_by_preference,
       COLLECT {
  """
        + _matches(where, _PREFERRED, measured=True)
        + """  WITH svc, provider, needs_met, interests_met, meters
  ORDER BY stigma_needs <> [] AND svc.mode = 'EXCHANGE' DESC,
           size(needs_met) + $interest_weight * size(interests_met) DESC,
           meters ASC, svc.id ASC
  LIMIT $candidates
  RETURN {
    service: svc { .id, .name, .mode, .capacityStatus, .acceptsReferrals,
                   .statsAcceptanceBand, .statsCompletionBand, .statsReplyBand },
    organisation: provider { .id, .name, .kind },
    needs_met: needs_met, interests_met: interests_met,
    distance_km: meters / 1000.0,
    hops: head([hop IN range(1, 4) WHERE provider IN rings[hop - 1]])
  }
} AS candidates"""
        + _opportunities(near)
    )


_PLAIN_IN_AREA = _statement(subject=False, near=False)
_PLAIN_NEAR = _statement(subject=False, near=True)
_SUBJECT_IN_AREA = _statement(subject=True, near=False)
_SUBJECT_NEAR = _statement(subject=True, near=True)


def recommendation_candidates(
    *,
    from_id: str,
    need_tags: list[str],
    interest_tags: list[str],
    area_codes: list[str] | None,
    center: tuple[float, float] | None,
    km: float | None,
    year: int,
    candidates: int,
    interest_weight: float,
    subject_id: str | None = None,
    audit: AuditRecord | None = None,
    opportunity_limit: int | None = None,
) -> dict[str, Any]:
    """One row: whether the sender exists, the subject's basis (with a subject), how many
    services declined it, which needs are stigma-sensitive, the candidates, and — with an
    `opportunity_limit` — up to that many opportunities for the interests asked.

    A subject that exists but is not the sender's own gets a DENIED event in its audit
    chain in the same transaction (a second statement, on the refusal path only)."""
    near = area_codes is None
    params: dict[str, Any] = {
        "from_id": from_id,
        "need_tags": need_tags,
        "interest_tags": interest_tags,
        "area_codes": area_codes,
        "center": None if center is None else {"latitude": center[0], "longitude": center[1]},
        "meters": None if km is None else km * 1000.0,
        "year": year,
        "candidates": candidates,
        "interest_weight": interest_weight,
        # None: no opportunities (the subquery is not run at all).
        "include_opportunities": opportunity_limit is not None,
        "opportunity_limit": opportunity_limit or 0,
    }
    if subject_id is None:
        query = _PLAIN_NEAR if near else _PLAIN_IN_AREA
        row = session.read(lambda tx: tx.single(query, **params))
    else:
        assert audit is not None  # a subject's read is always audited
        denied = replace(audit, outcome="DENIED", legal_basis=None)
        query = _SUBJECT_NEAR if near else _SUBJECT_IN_AREA
        params |= {"subject_id": subject_id}

        def work(tx: session.Tx) -> Any:
            # Inside the attempt: a retry on a new writer chain needs its key afresh.
            found = tx.single(query, **params, **audit_params(audit))
            if found is not None and found["subject_found"] and found["basis"] is None:
                audit_log.append(tx, denied)
            return found

        row = session.write(work)
    assert row is not None  # the statement always returns its one row
    return plain(row)
