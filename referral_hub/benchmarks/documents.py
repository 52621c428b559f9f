"""The cost of checking a GraphQL document — parsing it, the request limits and the
specification's rules — against taking it from the document cache (issue 17), for the
documents the other rows send. No database: the checks are CPU only."""

from __future__ import annotations

import time

from referral_hub.benchmarks import directory, pathways
from referral_hub.benchmarks.timing import Sample
from schema.core import entry

DOCUMENTS = {
    "directory": directory.QUERY,
    "routes": pathways.ROUTES,
    "recommend": pathways.RECOMMEND,
}


def run(*, count: int, warmup: int) -> list[Sample]:
    samples = []
    cache = entry.documents()
    for label, query in DOCUMENTS.items():
        checks, cached = [], []
        for round_number in range(warmup + count):
            cache.clear()
            started = time.perf_counter()
            entry.checked_document(query)
            middle = time.perf_counter()
            entry.checked_document(query)
            ended = time.perf_counter()
            if round_number >= warmup:
                checks.append((middle - started) * 1000.0)
                cached.append((ended - middle) * 1000.0)
        samples.append(Sample(f"checks: {label}", "-", "checks", checks))
        samples.append(Sample(f"checks: {label}", "-", "cached", cached))
    cache.clear()
    return samples
