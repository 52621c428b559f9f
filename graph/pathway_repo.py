"""Pathway questions over the partnership graph. One statement each, parameters only."""

from __future__ import annotations

from typing import Any, LiteralString

from graph import session
from graph.consent_rule import TODAY
from graph.records import plain

# The hop limit is a literal because Cypher needs a constant quantifier; shorter limits
# are applied as a filter (referral_hub/pathways/rules.py MAX_HOPS must match it).
_ROUTES: LiteralString = """
MATCH (start:Organisation {id: $from_id})
MATCH p = ANY SHORTEST (start)-[:PARTNERS_WITH]-{1,4}(target:Organisation)
WHERE target <> start
  AND EXISTS { MATCH (target)-[:PROVIDES]->(s:Service)-[:ADDRESSES]->(:Tag {code: $need})
               WHERE coalesce(s.active, true) }
  AND length(p) <= $max_hops
  AND all(n IN nodes(p) WHERE coalesce(n.active, true))
WITH p, target, length(p) AS hops
ORDER BY hops, target.name, target.id
LIMIT $limit
RETURN hops,
       [n IN nodes(p) | n { .id, .name, .kind, area_code: n.areaCode }] AS organisations,
       COLLECT { MATCH (target)-[:PROVIDES]->(s:Service)-[:ADDRESSES]->(:Tag {code: $need})
                 WHERE coalesce(s.active, true)
                 RETURN s { .id, .name, .mode } ORDER BY s.name } AS services
"""


def routes(*, from_id: str, need: str, max_hops: int, limit: int) -> list[dict[str, Any]]:
    return [
        plain(row)
        for row in session.read(
            lambda tx: tx.rows(_ROUTES, from_id=from_id, need=need, max_hops=max_hops, limit=limit)
        )
    ]


# Murmurs (issue 19): the concern signals heard in the area (and below it) in the last
# $trend_months months by the signal's own area × need × month — fixed, disjoint cells,
# so no two answers overlap — with the true count (the caller hides 1 to 4) and the
# active places in that area (and below it) addressing the need. Months are Japan's,
# from the graph's clock (graph/clock.py), so a test can freeze them.
TREND_MONTHS = 12  # concerns and どこか: the last twelve months, this one in
_CONCERNS: LiteralString = (
    """
WITH *, date.truncate('month', """
    + TODAY
    + """) AS this_month
CALL (this_month) {
  MATCH (c:ConcernSignal)
  WHERE c.month >= this_month - duration({months: $trend_months - 1})
  MATCH (c)-[:IN]->(a:Area) WHERE a.code IN $area_codes
  MATCH (c)-[:ABOUT]->(t:Tag)
  WITH a, t, c.month AS month, count(c) AS heard
  CALL (a, t) {
    OPTIONAL MATCH (a)<-[:PART_OF*0..2]-(:Area)<-[:IN]-(l:Location)<-[:AT]-(s:Service)
                   -[:ADDRESSES]->(t)
    WHERE coalesce(s.active, true) AND coalesce(l.active, true)
    RETURN count(DISTINCT l) AS places
  }
  RETURN collect({area_code: a.code, area_name: a.name, area_name_en: a.nameEn,
                  need: t.code, month: month, heard: heard, places: places}) AS concerns
}
"""
)

# どこか measured (issue 19): for each of the last 12 months, the subjects registered and
# living in the area at the month's end (not erased by then), and how many of them had at
# least one connection — a referral COMPLETED with an outcome in $connecting_outcomes —
# closed in the 12 months before that end; with each count's record-key sum, so the
# caller publishes perturbed counts only (referral_hub/pathways/disclosure.py). Month
# ends are month boundaries in Japan, so each date only matters by its month there:
# subjects are first grouped by (month registered, month erased, months connected) — a
# few hundred groups for tens of thousands of subjects — and only the groups are weighed
# against every month.
_SOMEWHERE: LiteralString = """
CALL (this_month) {
  MATCH (subject:Subject) WHERE subject.areaCode IN $area_codes
  WITH subject,
       COLLECT { MATCH (subject)<-[:FOR]-(r:Referral)
                 WHERE r.state = 'COMPLETED' AND r.outcome IN $connecting_outcomes
                   AND r.closedAt IS NOT NULL
                 WITH DISTINCT date.truncate('month',
                        datetime({datetime: r.closedAt, timezone: 'Asia/Tokyo'})) AS month
                 WHERE month > this_month - duration({months: 2 * $trend_months - 1})
                 RETURN month ORDER BY month } AS connected
  WITH date.truncate('month', datetime({datetime: subject.createdAt, timezone: 'Asia/Tokyo'}))
         AS registered_in,
       CASE WHEN subject.erasedAt IS NOT NULL
         THEN date.truncate('month', datetime({datetime: subject.erasedAt,
                                               timezone: 'Asia/Tokyo'})) END AS erased_in,
       connected, count(*) AS subjects, sum(subject.cellKey) AS subjects_key
  UNWIND range($trend_months - 1, 0, -1) AS back
  WITH this_month - duration({months: back}) AS month, registered_in, erased_in, connected,
       subjects, subjects_key
  WHERE registered_in <= month AND (erased_in IS NULL OR erased_in > month)
  WITH month, subjects, subjects_key,
       any(c IN connected WHERE month - duration({months: 11}) <= c <= month) AS has_place
  WITH month, sum(subjects) AS registered, sum(subjects_key) AS registered_key,
       sum(CASE WHEN has_place THEN subjects ELSE 0 END) AS connected,
       sum(CASE WHEN has_place THEN subjects_key ELSE 0 END) AS connected_key
  RETURN collect({month: month, registered: registered, registered_key: registered_key,
                  connected: connected, connected_key: connected_key}) AS somewhere
}
"""

# どこも (many places) and どこか (somewhere for everyone) for an area and everything in it:
# per tag the active services and distinct places (locations) there, the direct sub-areas
# with no active service at all, the places per tag in each direct sub-area (the area ×
# tag table), and how many subjects living there have had no referral
# accepted in the last $months months. Counts only; small counts are hidden by the caller.
# Anchored on the area's locations (indexed by areaCode), never on the tags: a tag's
# services across the whole country are many more than an area's.
_COVERAGE: LiteralString = (
    """
MATCH (area:Area {code: $area})
CALL () {
  MATCH (l:Location) WHERE l.areaCode IN $area_codes AND coalesce(l.active, true)
  MATCH (l)<-[:AT]-(s:Service)-[:ADDRESSES]->(t:Tag) WHERE coalesce(s.active, true)
  WITH t, count(DISTINCT s) AS services, count(DISTINCT l) AS places
  RETURN collect({code: t.code, services: services, places: places}) AS offered
}
CALL () {
  MATCH (t:Tag)
  RETURN collect(t { .code, .kind, label_ja: t.labelJa }) AS every_tag
}
WITH area, offered, every_tag
WITH area, [t IN every_tag | t {
  .*,
  services: coalesce(head([o IN offered WHERE o.code = t.code | o.services]), 0),
  places: coalesce(head([o IN offered WHERE o.code = t.code | o.places]), 0)
}] AS tags
CALL (area) {
  MATCH (sub:Area)-[:PART_OF]->(area)
  WHERE NOT EXISTS {
    MATCH (sub)<-[:PART_OF*0..2]-(:Area)<-[:IN]-(l:Location)<-[:AT]-(s:Service)
    WHERE coalesce(s.active, true) AND coalesce(l.active, true)
  }
  RETURN collect(sub { .code, .name }) AS empty_areas
}
CALL (area) {
  MATCH (sub:Area)-[:PART_OF]->(area)
  CALL (sub) {
    OPTIONAL MATCH (sub)<-[:PART_OF*0..2]-(:Area)<-[:IN]-(l:Location)<-[:AT]-(s:Service)
                   -[:ADDRESSES]->(t:Tag)
    WHERE coalesce(s.active, true) AND coalesce(l.active, true)
    WITH t, count(DISTINCT l) AS places WHERE t IS NOT NULL
    RETURN collect({code: t.code, places: places}) AS tags
  }
  RETURN collect(sub { .code, .name, name_en: sub.nameEn, tags: tags }) AS sub_areas
}
CALL () {
  MATCH (subject:Subject) WHERE subject.areaCode IN $area_codes
    AND NOT EXISTS { MATCH (subject)<-[:FOR]-(r:Referral)
                     WHERE r.acceptedAt >= datetime() - duration({months: $months}) }
  RETURN count(subject) AS unconnected, sum(subject.cellKey) AS unconnected_key
}
"""
    + _CONCERNS
    + _SOMEWHERE
    + """
RETURN tags, empty_areas, sub_areas, unconnected, unconnected_key, this_month, concerns,
       somewhere
"""
)


def coverage(
    *, area: str, area_codes: list[str], months: int, connecting_outcomes: list[str]
) -> dict[str, Any] | None:
    row = session.read(
        lambda tx: tx.single(
            _COVERAGE,
            area=area,
            area_codes=area_codes,
            months=months,
            trend_months=TREND_MONTHS,
            connecting_outcomes=connecting_outcomes,
        )
    )
    return None if row is None else plain(row)


# Referral flows between organisations (or their kinds) touching an area in a period. Every
# cell comes back with its counts and, for each, the sum of its records' cell keys: the
# caller publishes only perturbed figures (referral_hub/pathways/disclosure.py).
_FLOWS: LiteralString = """
MATCH (r:Referral)-[:FROM]->(from:Organisation),
      (r)-[:TO]->(:Service)<-[:PROVIDES]-(to:Organisation)
WHERE r.state <> 'DRAFT'
  AND coalesce(r.sentAt, r.createdAt) >= datetime($since)
  AND coalesce(r.sentAt, r.createdAt) < datetime($until)
  AND (from.areaCode IN $area_codes OR to.areaCode IN $area_codes)
WITH r,
     CASE WHEN $by_organisation THEN from { .id, .name, .kind } ELSE { kind: from.kind } END
       AS source,
     CASE WHEN $by_organisation THEN to { .id, .name, .kind } ELSE { kind: to.kind } END
       AS target
WITH source, target, r, r.cellKey AS k, r.acceptedAt IS NOT NULL AS accepted,
     r.state = 'DECLINED' AS declined, r.state = 'COMPLETED' AS completed
RETURN source, target, count(r) AS referrals, sum(k) AS referrals_key,
       count(CASE WHEN accepted THEN 1 END) AS accepted,
       sum(CASE WHEN accepted THEN k ELSE 0 END) AS accepted_key,
       count(CASE WHEN accepted OR declined THEN 1 END) AS decided,
       sum(CASE WHEN accepted OR declined THEN k ELSE 0 END) AS decided_key,
       count(CASE WHEN completed THEN 1 END) AS completed,
       sum(CASE WHEN completed THEN k ELSE 0 END) AS completed_key,
       percentileDisc(CASE WHEN r.acceptedAt IS NOT NULL THEN
         duration.inSeconds(coalesce(r.sentAt, r.createdAt), r.acceptedAt).seconds / 86400.0
       END, 0.5) AS median_days_to_accept
ORDER BY referrals DESC
"""


def flows(
    *, area_codes: list[str], since: str, until: str, by_organisation: bool
) -> list[dict[str, Any]]:
    return [
        plain(row)
        for row in session.read(
            lambda tx: tx.rows(
                _FLOWS,
                area_codes=area_codes,
                since=since,
                until=until,
                by_organisation=by_organisation,
            )
        )
    ]


# The network map of an area: its active organisations (kind; whether they run open
# exchange-type places, support services or both; the tags they address; where they are,
# as the mean of their located places), the partnerships between them, and the referral
# flows between them in a period with each cell's count and record-key sum (the caller
# publishes perturbed counts only). Organisations outside the area or deactivated are left
# out, and so are edges to them: every edge's ends are nodes of the map. Rows come back as
# lists, not maps: at thousands of rows, decoding maps is most of the round trip.
_NETWORK_MAP: LiteralString = """
CALL () {
  MATCH (o:Organisation) WHERE o.areaCode IN $area_codes AND coalesce(o.active, true)
  OPTIONAL MATCH (o)-[:PROVIDES]->(s:Service) WHERE coalesce(s.active, true)
  OPTIONAL MATCH (s)-[:ADDRESSES]->(t:Tag)
  WITH o, collect(DISTINCT s.mode) AS modes, collect(DISTINCT t.code) AS tags
  OPTIONAL MATCH (o)-[:HAS_LOCATION]->(l:Location)
  WHERE coalesce(l.active, true) AND l.point IS NOT NULL
  WITH o, modes, tags, avg(l.point.latitude) AS latitude, avg(l.point.longitude) AS longitude
  RETURN collect([o.id, o.name, o.kind, o.areaCode, latitude, longitude, modes, tags])
    AS organisations
}
CALL () {
  MATCH (a:Organisation)-[:PARTNERS_WITH]->(b:Organisation)
  WHERE a.areaCode IN $area_codes AND b.areaCode IN $area_codes
    AND coalesce(a.active, true) AND coalesce(b.active, true)
  RETURN collect([a.id, b.id]) AS partnerships
}
CALL () {
  MATCH (from:Organisation)<-[:FROM]-(r:Referral)-[:TO]->(:Service)<-[:PROVIDES]-(to:Organisation)
  WHERE from.areaCode IN $area_codes AND to.areaCode IN $area_codes
    AND coalesce(from.active, true) AND coalesce(to.active, true)
    AND r.state <> 'DRAFT'
    AND coalesce(r.sentAt, r.createdAt) >= datetime($since)
    AND coalesce(r.sentAt, r.createdAt) < datetime($until)
  WITH from.id AS source, to.id AS target, count(r) AS referrals, sum(r.cellKey) AS referrals_key
  RETURN collect([source, target, referrals, referrals_key]) AS flows
}
RETURN organisations, partnerships, flows
"""

_ORGANISATION_COLUMNS = (
    "id",
    "name",
    "kind",
    "area_code",
    "latitude",
    "longitude",
    "modes",
    "tags",
)


def network_map(*, area_codes: list[str], since: str, until: str) -> dict[str, Any]:
    """{"organisations": [{id, name, kind, area_code, latitude, longitude, modes, tags}],
    "partnerships": [{source, target}], "flows": [{source, target, referrals,
    referrals_key}]}."""
    row = session.read(
        lambda tx: tx.single(_NETWORK_MAP, area_codes=area_codes, since=since, until=until)
    )
    assert row is not None  # three aggregating subqueries always make one row
    return {
        "organisations": [
            dict(zip(_ORGANISATION_COLUMNS, o, strict=True)) for o in row["organisations"]
        ],
        "partnerships": [{"source": a, "target": b} for a, b in row["partnerships"]],
        "flows": [
            {"source": s, "target": t, "referrals": n, "referrals_key": k}
            for s, t, n, k in row["flows"]
        ],
    }
