"""Directory search (area + tags + near, 20 results) through /graphql and as raw Cypher."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from django.test import Client

from graph import driver, service_repo
from referral_hub.benchmarks.timing import Sample, graphql_runner, measure
from referral_hub.directory import reference_data
from referral_hub.directory.demo import Scale

QUERY = """
query Search($filter: ServiceFilterInput) {
  services(filter: $filter, first: 20) {
    edges { node {
      id name mode capacityStatus distanceKm
      organisation { name kind }
      locations { address area { name } }
      tags { code labelJa }
    } }
  }
}
"""

# Where each scale's searches happen: the area searched and a box for the search centres.
_SCENES = {
    Scale.CITY: ("141305", (35.50, 35.62), (139.55, 139.75)),
    Scale.PREFECTURE: ("140007", (35.20, 35.65), (139.10, 139.80)),
}
_TAGS = [
    "school_non_attendance",
    "meal_provision",
    "study_support",
    "loneliness_isolation",
    "parenting_support",
    "financial_hardship",
    "eating_alone",
    "after_school_place",
]


def cases(scale: Scale, count: int, seed: int = 7) -> list[dict[str, Any]]:
    area, (lat0, lat1), (lon0, lon1) = _SCENES[scale]
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark inputs
    return [
        {
            "areaCode": area,
            "tagsAny": rng.sample(_TAGS, k=rng.randint(1, 2)),
            "near": {
                "lat": rng.uniform(lat0, lat1),
                "lon": rng.uniform(lon0, lon1),
                "km": rng.choice([2.0, 5.0, 10.0]),
            },
        }
        for _ in range(count)
    ]


def search_cypher(case: dict[str, Any]) -> object:
    """The statement the resolver would send, with the same parameters, via the driver."""
    query, params = service_repo.search_statement(
        sort="NAME",
        near=(case["near"]["lat"], case["near"]["lon"], case["near"]["km"]),
        area_codes=reference_data.area_codes_within(case["areaCode"]),
        tags_any=case["tagsAny"],
    )
    params.update(limit=21, after_key=None, after_id=None)
    with driver.get_driver().session(database=driver.database()) as session:
        return session.execute_read(lambda tx: list(tx.run(query, params)))


def run(
    *, scales: list[Scale], count: int, warmup: int, headers: dict[str, str]
) -> Iterator[Sample]:
    client = Client()
    for scale in scales:
        inputs = cases(scale, count + warmup)
        yield measure(
            "directory search", scale.value, "cypher", search_cypher, inputs, warmup=warmup
        )
        yield measure(
            "directory search",
            scale.value,
            "graphql",
            graphql_runner(client, QUERY, headers, lambda case: {"filter": case}),
            inputs,
            warmup=warmup,
        )
