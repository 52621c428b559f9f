"""Latency sampling and the table `make bench` prints."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sample:
    label: str
    scale: str
    path: str
    millis: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.millis)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.millis)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.millis)


def graphql_runner(
    client: Any, query: str, headers: dict[str, str], variables: Callable[[Any], dict[str, Any]]
) -> Callable[[Any], object]:
    """A benchmark step: POST `query` with `variables(case)` to /graphql, refuse any error."""

    def run(case: Any) -> object:
        response = client.post(
            "/graphql",
            json.dumps({"query": query, "variables": variables(case)}),
            content_type="application/json",
            **headers,
        )
        body = response.json()
        assert "errors" not in body, body
        return body

    return run


def measure(
    label: str,
    scale: str,
    path: str,
    run: Callable[[Any], object],
    cases: Sequence[Any],
    *,
    warmup: int,
) -> Sample:
    for case in cases[:warmup]:
        run(case)
    millis = []
    for case in cases[warmup:]:
        started = time.perf_counter()
        run(case)
        millis.append((time.perf_counter() - started) * 1000.0)
    return Sample(label, scale, path, millis)


def table(samples: Sequence[Sample]) -> str:
    """One row per (benchmark, scale, path); the ratio compares GraphQL with raw Cypher."""
    raw = {(s.label, s.scale): s for s in samples if s.path == "cypher"}
    header = (
        f"{'benchmark':<22}{'scale':<12}{'path':<9}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'mean ms':>9}{'p50 ratio':>11}"
    )
    lines = [header, "-" * len(header)]
    for s in samples:
        base = raw.get((s.label, s.scale))
        ratio = f"{s.p50 / base.p50:10.2f}x" if base and s.path != "cypher" else f"{'':>11}"
        lines.append(
            f"{s.label:<22}{s.scale:<12}{s.path:<9}{len(s.millis):>6}{s.p50:>9.2f}"
            f"{s.p95:>9.2f}{s.p99:>9.2f}{s.mean:>9.2f}{ratio}"
        )
    return "\n".join(lines)
