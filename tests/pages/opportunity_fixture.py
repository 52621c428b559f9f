"""Opportunity nodes for the public finder's tests, written with a little Cypher.

Until the opportunities branch (issue 19, item 2: createOpportunity and its service) is
merged, nothing in the hub writes `(:Opportunity)`; these tests write the contract's
shape directly: `(org)-[:OFFERS]->(o:Opportunity {id, title, description, schedule,
ageMin, ageMax, areaCode, active, createdAt, updatedAt})`, `(o)-[:VIA]->(svc)`,
`(o)-[:AT]->(l)` (optional) and `(o)-[:INTERESTED_IN]->(t:Tag {kind: 'INTEREST'})`.
Once that branch is merged, this should call its service instead.
"""

from __future__ import annotations

import uuid

from graph import session

_CREATE = """
MATCH (org:Organisation {id: $organisation_id}), (svc:Service {id: $service_id})
CREATE (org)-[:OFFERS]->(o:Opportunity {
  id: $id, title: $title, description: $description, schedule: $schedule,
  ageMin: $age_min, ageMax: $age_max, areaCode: $area_code, active: $active,
  createdAt: datetime(), updatedAt: datetime()
})
CREATE (o)-[:VIA]->(svc)
WITH o
CALL (o) {
  MATCH (l:Location {id: $location_id})
  CREATE (o)-[:AT]->(l)
}
CALL (o) {
  UNWIND $tag_codes AS code
  MATCH (t:Tag {code: code})
  CREATE (o)-[:INTERESTED_IN]->(t)
}
RETURN o.id AS id
"""


def create_opportunity(
    *,
    organisation_id: str,
    service_id: str,
    title: str,
    area_code: str,
    tag_codes: list[str],
    location_id: str | None = None,
    description: str | None = None,
    schedule: str | None = None,
    age_min: int | None = None,
    age_max: int | None = None,
    active: bool = True,
) -> str:
    opportunity_id = str(uuid.uuid4())
    session.write(
        lambda tx: tx.run(
            _CREATE,  # type: ignore[arg-type]
            id=opportunity_id,
            organisation_id=organisation_id,
            service_id=service_id,
            title=title,
            description=description,
            schedule=schedule,
            age_min=age_min,
            age_max=age_max,
            area_code=area_code,
            active=active,
            location_id=location_id,
            tag_codes=tag_codes,
        ).consume()
    )
    return opportunity_id
