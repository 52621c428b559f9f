"""Map projections shared by every directory read, so all callers get one snake_case shape.

Each projection is written for the node variable `n` and pulls its neighbours with
COLLECT subqueries, so a whole page with organisations, locations, areas and tags is
shaped in the database in the same statement that found it.
"""

from typing import LiteralString

AREA: LiteralString = """{
  .code, .name, .kind, name_kana: a.nameKana, name_en: a.nameEn,
  prefecture_code: a.prefectureCode
}"""

ORGANISATION_SUMMARY: LiteralString = "{ .id, .name, .kind, area_code: o.areaCode }"

LOCATION: LiteralString = (
    """{
  .id, .name, .address, postal_code: l.postalCode, area_code: l.areaCode,
  latitude: l.point.y, longitude: l.point.x, active: coalesce(l.active, true),
  area: head(COLLECT { MATCH (l)-[:IN]->(a:Area) RETURN a """
    + AREA
    + """ })
}"""
)

TAG: LiteralString = """{
  .code, .kind, label_ja: t.labelJa, label_en: t.labelEn,
  stigma_sensitive: coalesce(t.stigmaSensitive, false)
}"""

SERVICE: LiteralString = (
    """n {
  .id, .name, .description, .mode, .languages, .schedule,
  age_min: n.ageMin, age_max: n.ageMax,
  accepts_referrals: n.acceptsReferrals,
  response_target_hours: n.responseTargetHours,
  capacity_status: n.capacityStatus, capacity_updated_at: n.capacityUpdatedAt,
  active: coalesce(n.active, true), created_at: n.createdAt, updated_at: n.updatedAt,
  responsiveness: CASE WHEN n.statsComputedAt IS NOT NULL THEN {
    reply_band: n.statsReplyBand, acceptance_band: n.statsAcceptanceBand,
    completion_band: n.statsCompletionBand, computed_at: n.statsComputedAt } END,
  organisation: head(COLLECT { MATCH (o:Organisation)-[:PROVIDES]->(n) RETURN o """
    + ORGANISATION_SUMMARY
    + """ }),
  locations: COLLECT { MATCH (n)-[:AT]->(l:Location) WHERE coalesce(l.active, true)
                       RETURN l """
    + LOCATION
    + """ ORDER BY l.name, l.id },
  tags: COLLECT { MATCH (n)-[:ADDRESSES]->(t:Tag) RETURN t """
    + TAG
    + """ ORDER BY t.code }
}"""
)

SERVICE_SUMMARY: LiteralString = (
    """{
  .id, .name, .mode, accepts_referrals: s.acceptsReferrals,
  capacity_status: s.capacityStatus,
  tags: COLLECT { MATCH (s)-[:ADDRESSES]->(t:Tag) RETURN t """
    + TAG
    + """ ORDER BY t.code }
}"""
)

ORGANISATION: LiteralString = (
    """n {
  .id, .name, .kind, .description, .website, .email, .phone,
  area_code: n.areaCode, active: coalesce(n.active, true),
  pending_change: CASE WHEN n.pendingRequestedAt IS NOT NULL
    THEN {kind: n.pendingKind, area_code: n.pendingAreaCode,
          requested_at: n.pendingRequestedAt} END,
  created_at: n.createdAt, updated_at: n.updatedAt,
  area: head(COLLECT { MATCH (n)-[:BASED_IN]->(a:Area) RETURN a """
    + AREA
    + """ }),
  services: COLLECT { MATCH (n)-[:PROVIDES]->(s:Service) WHERE coalesce(s.active, true)
                      RETURN s """
    + SERVICE_SUMMARY
    + """ ORDER BY s.name, s.id },
  locations: COLLECT { MATCH (n)-[:HAS_LOCATION]->(l:Location) WHERE coalesce(l.active, true)
                       RETURN l { .id, .name, .address, postal_code: l.postalCode,
                                  area_code: l.areaCode, latitude: l.point.y,
                                  longitude: l.point.x, active: true }
                       ORDER BY l.name, l.id },
  partners: COLLECT { MATCH (n)-[p:PARTNERS_WITH]-(o:Organisation)
                      WHERE coalesce(o.active, true)
                      RETURN { organisation: o """
    + ORGANISATION_SUMMARY
    + """, since: p.since, shares_data: coalesce(p.sharesData, false) }
                      ORDER BY o.name, o.id }
}"""
)

LOCATION_NODE: LiteralString = (
    """n {
  .id, .name, .address, postal_code: n.postalCode, area_code: n.areaCode,
  latitude: n.point.y, longitude: n.point.x, active: coalesce(n.active, true),
  organisation: head(COLLECT { MATCH (o:Organisation)-[:HAS_LOCATION]->(n) RETURN o """
    + ORGANISATION_SUMMARY
    + """ }),
  area: head(COLLECT { MATCH (n)-[:IN]->(a:Area) RETURN a """
    + AREA
    + """ })
}"""
)
