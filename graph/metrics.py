"""Prometheus metrics of the graph's round trips (docs/serving.md#metrics).

Counted where graph/session.py counts statements for the tests, so the figures an
operator sees are the ones the round-trip tests hold down: statements sent, and each
transaction's wall time to its commit, by access mode (read, write; autocommit for the
schema commands and the health check). prometheus_client, in multiprocess mode under
gunicorn (PROMETHEUS_MULTIPROC_DIR); graph/ imports nothing of the app for it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

STATEMENTS = Counter(
    "hub_neo4j_statements",
    "Cypher statements sent to Neo4j (one round trip each)",
    ["access"],
)
TRANSACTIONS = Histogram(
    "hub_neo4j_transaction_duration_seconds",
    "Wall time of one Neo4j transaction, first statement to commit (or failure)",
    ["access", "outcome"],
    # From a cached point read (~1 ms) to the 30 s transaction timeout.
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


@contextmanager
def timed(access: str) -> Iterator[None]:
    """Observe one transaction attempt: `ok`, or `error` when it raised."""
    started = time.perf_counter()
    outcome = "error"
    try:
        yield
        outcome = "ok"
    finally:
        TRANSACTIONS.labels(access, outcome).observe(time.perf_counter() - started)
