"""routes (4 hops) from organisations that have partners, through /graphql and as Cypher."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from django.test import Client

from graph import pathways as pathway_repo
from graph import session
from referral_hub.benchmarks.timing import Sample, graphql_runner, measure
from referral_hub.directory import reference_data

QUERY = """
query Routes($o: ID!, $need: String!) {
  routes(fromOrganisation: $o, need: $need, maxHops: 4) {
    hops organisations { id name kind } services { id name mode }
  }
}
"""
_NEEDS = ["school_non_attendance", "meal_provision", "financial_hardship", "study_support"]
_STARTS = """
MATCH (o:Organisation)-[:PARTNERS_WITH]-() WHERE o.areaCode IN $areas
RETURN DISTINCT o.id AS id ORDER BY id LIMIT 500
"""


def cases(area: str, count: int, seed: int = 11) -> list[dict[str, Any]]:
    areas = reference_data.area_codes_within(area)
    starts = [row["id"] for row in session.read(lambda tx: tx.rows(_STARTS, areas=areas))]
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark inputs
    return [{"o": rng.choice(starts), "need": rng.choice(_NEEDS)} for _ in range(count)]


def _cypher(case: dict[str, Any]) -> object:
    return pathway_repo.routes(from_id=case["o"], need=case["need"], max_hops=4, limit=50)


def run(
    *, area: str, scale: str, count: int, warmup: int, headers: dict[str, str]
) -> Iterator[Sample]:
    inputs = cases(area, count + warmup)
    yield measure("routes (4 hops)", scale, "cypher", _cypher, inputs, warmup=warmup)
    yield measure(
        "routes (4 hops)",
        scale,
        "graphql",
        graphql_runner(Client(), QUERY, headers, lambda case: case),
        inputs,
        warmup=warmup,
    )
