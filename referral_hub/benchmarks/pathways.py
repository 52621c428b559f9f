"""routes (4 hops) and recommend from schools across the seeded network, through /graphql
and as the raw statement (graph/ functions the services call)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from django.test import Client

from graph import pathway_repo, recommendation_repo, session
from referral_hub.benchmarks.timing import Sample, graphql_runner, measure
from referral_hub.directory import reference_data
from referral_hub.pathways.scoring import CANDIDATES, INTEREST_WEIGHT
from referral_hub.subjects.services import today

ROUTES = """
query Routes($o: ID!, $need: String!) {
  routes(fromOrganisation: $o, need: $need, maxHops: 4) {
    hops organisations { id name kind } services { id name mode }
  }
}
"""
RECOMMEND = """
query Recommend($o: ID!, $needs: [String!], $interests: [String!], $area: String,
                $near: NearInput) {
  recommend(fromOrganisation: $o, needTags: $needs, interestTags: $interests, area: $area,
            near: $near) {
    exchangeFirst
    items {
      rank score needsMet interestsMet distanceKm capacityStatus partnershipHops
      acceptanceBand completionBand replyBand
      service { id name mode organisation { id name kind } }
      points { tagMatch distance capacity partnership acceptance completion response }
    }
  }
}
"""
_NEEDS = ["school_non_attendance", "meal_provision", "financial_hardship", "study_support"]
_INTERESTS = ["reading", "sports", "music", "cooking", "video_games"]
# Schools with partners, spread over the whole seeded network (every 50th by id).
_STARTS = """
MATCH (o:Organisation {kind: 'SCHOOL'}) WHERE EXISTS { (o)-[:PARTNERS_WITH]-() }
WITH o ORDER BY o.id
WITH collect(o { .id, area: o.areaCode,
                 point: head([(o)-[:HAS_LOCATION]->(l) | l.point]) }) AS schools
UNWIND range(0, size(schools) - 1, $step) AS i
RETURN schools[i] AS school LIMIT 500
"""


def cases(count: int, seed: int = 11) -> list[dict[str, Any]]:
    starts = [row["school"] for row in session.read(lambda tx: tx.rows(_STARTS, step=50))]
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark inputs
    picked = []
    for _ in range(count):
        school = rng.choice(starts)
        picked.append(
            {
                "o": school["id"],
                "area": school["area"],
                "need": rng.choice(_NEEDS),
                "needs": rng.sample(_NEEDS, k=rng.randint(1, 2)),
                "interests": rng.sample(_INTERESTS, k=rng.randint(0, 1)),
                "near": {"lat": school["point"].y, "lon": school["point"].x, "km": 5.0},
            }
        )
    return picked


def routes_cypher(case: dict[str, Any]) -> object:
    return pathway_repo.routes(from_id=case["o"], need=case["need"], max_hops=4, limit=50)


def recommend_cypher(case: dict[str, Any]) -> object:
    """The statement the service runs, in the school's municipality or within `near`."""
    near = case.get("near")
    return recommendation_repo.recommendation_candidates(
        from_id=case["o"],
        need_tags=case["needs"],
        interest_tags=case["interests"],
        area_codes=None if near else reference_data.area_codes_within(case["area"]),
        center=(near["lat"], near["lon"]) if near else None,
        km=near["km"] if near else None,
        year=today().year,
        candidates=CANDIDATES,
        interest_weight=INTEREST_WEIGHT,
    )


def in_area(case: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in case.items() if key != "near"}


def _near(case: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in case.items() if key != "area"}


def run(*, scale: str, count: int, warmup: int, headers: dict[str, str]) -> Iterator[Sample]:
    inputs = cases(count + warmup)
    client = Client()
    for label, cypher, query, shape in (
        ("routes (4 hops)", routes_cypher, ROUTES, in_area),
        ("recommend", recommend_cypher, RECOMMEND, in_area),
        ("recommend (5 km)", recommend_cypher, RECOMMEND, _near),
    ):
        shaped = [shape(case) for case in inputs]
        yield measure(label, scale, "cypher", cypher, shaped, warmup=warmup)
        yield measure(
            label,
            scale,
            "graphql",
            graphql_runner(client, query, headers, lambda case: case),
            shaped,
            warmup=warmup,
        )
