"""Map projections shared by every directory read, so all callers get one snake_case shape.

Each projection is written for the node variable `n` and pulls its neighbours with
COLLECT subqueries, so a whole page with organisations, locations, areas and tags is
shaped in the database in the same statement that found it.

Each neighbour subquery is guarded by a flag of the `$parts` parameter
(`CASE WHEN $parts.x THEN COLLECT { ... } END`): the text stays one constant, and a
caller that will not show a part (a GraphQL selection without it) skips the subquery's
reads — PROFILE shows a false CASE branch costs no db hits — and gets null for it.
Every caller that says nothing gets every part (ALL_ORGANISATION_PARTS, ALL_SERVICE_PARTS).
"""

from dataclasses import asdict, dataclass
from typing import LiteralString


@dataclass(frozen=True)
class OrganisationParts:
    """Which neighbours an organisation's projection reads; a part left out is null."""

    area: bool = True
    services: bool = True
    service_tags: bool = True  # each service's tags (with services only)
    locations: bool = True
    partners: bool = True

    def param(self) -> dict[str, bool]:
        return asdict(self)


@dataclass(frozen=True)
class ServiceParts:
    """Which neighbours a service's projection reads; a part left out is null."""

    organisation: bool = True
    locations: bool = True
    location_areas: bool = True  # each location's area (with locations only)
    tags: bool = True

    def param(self) -> dict[str, bool]:
        return asdict(self)


ALL_ORGANISATION_PARTS = OrganisationParts()
ALL_SERVICE_PARTS = ServiceParts()

AREA: LiteralString = """{
  .code, .name, .kind, name_kana: a.nameKana, name_en: a.nameEn,
  prefecture_code: a.prefectureCode
}"""

ORGANISATION_SUMMARY: LiteralString = "{ .id, .name, .kind, area_code: o.areaCode }"

LOCATION: LiteralString = (
    """{
  .id, .name, .address, postal_code: l.postalCode, area_code: l.areaCode,
  latitude: l.point.y, longitude: l.point.x, active: coalesce(l.active, true),
  area: CASE WHEN $parts.location_areas
    THEN head(COLLECT { MATCH (l)-[:IN]->(a:Area) RETURN a """
    + AREA
    + """ }) END
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
  response_target_hours: n.responseTargetHours, check_in_days: n.checkInDays,
  capacity_status: n.capacityStatus, capacity_updated_at: n.capacityUpdatedAt,
  active: coalesce(n.active, true), created_at: n.createdAt, updated_at: n.updatedAt,
  responsiveness: CASE WHEN n.statsComputedAt IS NOT NULL THEN {
    reply_band: n.statsReplyBand, acceptance_band: n.statsAcceptanceBand,
    completion_band: n.statsCompletionBand,
    still_connected_band: n.statsStillConnectedBand, computed_at: n.statsComputedAt } END,
  organisation: CASE WHEN $parts.organisation
    THEN head(COLLECT { MATCH (o:Organisation)-[:PROVIDES]->(n) RETURN o """
    + ORGANISATION_SUMMARY
    + """ }) END,
  locations: CASE WHEN $parts.locations
    THEN COLLECT { MATCH (n)-[:AT]->(l:Location) WHERE coalesce(l.active, true)
                   RETURN l """
    + LOCATION
    + """ ORDER BY l.name, l.id } END,
  tags: CASE WHEN $parts.tags
    THEN COLLECT { MATCH (n)-[:ADDRESSES]->(t:Tag) RETURN t """
    + TAG
    + """ ORDER BY t.code } END
}"""
)

SERVICE_SUMMARY: LiteralString = (
    """{
  .id, .name, .mode, accepts_referrals: s.acceptsReferrals,
  capacity_status: s.capacityStatus,
  tags: CASE WHEN $parts.service_tags
    THEN COLLECT { MATCH (s)-[:ADDRESSES]->(t:Tag) RETURN t """
    + TAG
    + """ ORDER BY t.code } END
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
  area: CASE WHEN $parts.area
    THEN head(COLLECT { MATCH (n)-[:BASED_IN]->(a:Area) RETURN a """
    + AREA
    + """ }) END,
  services: CASE WHEN $parts.services
    THEN COLLECT { MATCH (n)-[:PROVIDES]->(s:Service) WHERE coalesce(s.active, true)
                   RETURN s """
    + SERVICE_SUMMARY
    + """ ORDER BY s.name, s.id } END,
  locations: CASE WHEN $parts.locations
    THEN COLLECT { MATCH (n)-[:HAS_LOCATION]->(l:Location) WHERE coalesce(l.active, true)
                   RETURN l { .id, .name, .address, postal_code: l.postalCode,
                              area_code: l.areaCode, latitude: l.point.y,
                              longitude: l.point.x, active: true }
                   ORDER BY l.name, l.id } END,
  partners: CASE WHEN $parts.partners
    THEN COLLECT { MATCH (n)-[p:PARTNERS_WITH]-(o:Organisation)
                   WHERE coalesce(o.active, true)
                   RETURN { organisation: o """
    + ORGANISATION_SUMMARY
    + """, since: p.since, shares_data: coalesce(p.sharesData, false) }
                   ORDER BY o.name, o.id } END
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
