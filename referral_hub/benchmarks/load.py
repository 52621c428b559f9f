"""Load rounds for the server bench: a fixed list of requests driven by N client threads,
raw and HTTP paths interleaved round by round, and the table of p50, p99, throughput and
ratios with the targets beside them. No database or server here: callers pass the calls."""

from __future__ import annotations

import itertools
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


def percentile(millis: Sequence[float], share: float) -> float:
    """Nearest rank, as timing.Sample computes p95/p99, so both tables read alike."""
    if not millis:
        raise ValueError("no samples")
    ordered = sorted(millis)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Round:
    """One round: each request's latency, and the wall time from the first thread's start
    to the last one's end (what throughput is computed from)."""

    millis: list[float]
    seconds: float


@dataclass
class Row:
    question: str
    concurrency: int
    path: str
    rounds: list[Round] = field(default_factory=list)

    @property
    def millis(self) -> list[float]:
        return [m for r in self.rounds for m in r.millis]

    @property
    def p50(self) -> float:
        return statistics.median(self.millis)

    @property
    def p99(self) -> float:
        return percentile(self.millis, 0.99)

    @property
    def throughput(self) -> float:
        """Requests per second over all its rounds (their wall times summed)."""
        seconds = sum(r.seconds for r in self.rounds)
        return len(self.millis) / seconds if seconds > 0 else 0.0


@dataclass(frozen=True)
class Path:
    """How one path answers a case: `call(client, case)` with a per-thread client that
    `open` makes before the clock starts (a connected HTTP connection, or nothing)."""

    name: str
    call: Callable[[Any, Any], object]
    open: Callable[[], Any] = lambda: None
    close: Callable[[Any], None] = lambda client: None


def drive(path: Path, cases: Sequence[Any], concurrency: int) -> Round:
    """Every case once, `concurrency` threads taking the next case as they finish one,
    each with its own client (closed afterwards, whatever happens). The first error in
    any thread stops the others and is raised here."""
    clients: list[Any] = []
    try:
        for _ in range(concurrency):
            clients.append(path.open())
        return _timed(path, clients, cases)
    finally:
        for client in clients:
            path.close(client)


def _timed(path: Path, clients: Sequence[Any], cases: Sequence[Any]) -> Round:
    concurrency = len(clients)
    pending = iter(cases)
    lock, stop = threading.Lock(), threading.Event()
    start = threading.Barrier(concurrency + 1)
    millis: list[list[float]] = [[] for _ in clients]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        start.wait()
        while not stop.is_set():
            with lock:
                case = next(pending, _DONE)
            if case is _DONE:
                return
            began = time.perf_counter()
            try:
                path.call(clients[index], case)
            except BaseException as error:  # handed to the main thread, which raises it
                errors.append(error)
                stop.set()
                return
            millis[index].append((time.perf_counter() - began) * 1000.0)

    # Daemon threads: a Ctrl-C in the main thread must not wait for a stuck request.
    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(concurrency)]
    try:
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
    finally:
        stop.set()  # on Ctrl-C too: the threads end after the request they are in
    if errors:
        raise errors[0]
    return Round([m for per_thread in millis for m in per_thread], seconds)


_DONE = object()


def interleave(
    question: str,
    paths: Sequence[Path],
    cases: Sequence[Any],
    *,
    concurrency: int,
    rounds: int,
    warmup: int,
) -> list[Row]:
    """Warm each path, then `rounds` rounds of each path in turn on the same slice of the
    cases, the order reversed every other round, so drift (caches, the JIT, other work on
    the machine) reaches every path alike."""
    for path in paths:
        if warmup:
            drive(path, cases[:warmup], concurrency)
    measured = cases[warmup:]
    rows = [Row(question, concurrency, path.name) for path in paths]
    for number, part in enumerate(slices(measured, rounds)):
        order = list(zip(paths, rows, strict=True))
        for path, row in order if number % 2 == 0 else reversed(order):
            row.rounds.append(drive(path, part, concurrency))
    return rows


def slices(cases: Sequence[Any], parts: int) -> list[Sequence[Any]]:
    """`cases` cut into `parts` consecutive slices of near-equal length (none empty)."""
    parts = max(1, min(parts, len(cases)))
    size, extra = divmod(len(cases), parts)
    cuts = [0]
    for number in range(parts):
        cuts.append(cuts[-1] + size + (1 if number < extra else 0))
    return [cases[a:b] for a, b in itertools.pairwise(cuts)]


@dataclass(frozen=True)
class Target:
    """A ratio the issue sets: `numerator / denominator` of `metric` ("p50" or "req/s")
    for `question` at `concurrency`, at most or at least `bound`."""

    question: str
    concurrency: int
    numerator: str
    denominator: str
    metric: str
    bound: float
    at_most: bool

    def value(self, rows: Sequence[Row]) -> float | None:
        found = {(r.question, r.concurrency, r.path): r for r in rows}
        top = found.get((self.question, self.concurrency, self.numerator))
        bottom = found.get((self.question, self.concurrency, self.denominator))
        if top is None or bottom is None:
            return None
        return ratio(_metric(top, self.metric), _metric(bottom, self.metric))

    def met(self, value: float) -> bool:
        return value <= self.bound if self.at_most else value >= self.bound


def _metric(row: Row, metric: str) -> float:
    return row.p50 if metric == "p50" else row.throughput


def ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom > 0 else float("inf")


def table(rows: Sequence[Row], targets: Sequence[Target], *, base: str = "cypher") -> str:
    """The rows, each with its p50 and throughput against the `base` path of the same
    question and concurrency; then every target with its measured ratio."""
    bases = {(r.question, r.concurrency): r for r in rows if r.path == base}
    header = (
        f"{'question':<24}{'c':>3}  {'path':<10}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'req/s':>9}{'p50 ×raw':>10}{'req/s ×raw':>12}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        raw = bases.get((row.question, row.concurrency))
        versus = ""
        if raw is not None and row is not raw:
            versus = (
                f"{ratio(row.p50, raw.p50):>9.2f}x{ratio(row.throughput, raw.throughput):>11.2f}x"
            )
        lines.append(
            f"{row.question:<24}{row.concurrency:>3}  {row.path:<10}{len(row.millis):>6}"
            f"{row.p50:>9.2f}{row.p99:>9.2f}{row.throughput:>9.1f}{versus}"
        )
    return "\n".join([*lines, "", *target_lines(rows, targets), *floor_lines(rows, base=base)])


def floor_lines(
    rows: Sequence[Row], *, base: str = "cypher", http: str = "http", floor: str = "http floor"
) -> list[str]:
    """For each question timed with a floor path: the floor's p50, and the lowest HTTP/raw
    p50 ratio the question could reach if its GraphQL work cost nothing — (raw + floor) /
    raw — beside the measured one, so a ratio target below that line reads as unreachable
    on this server rather than as slow GraphQL."""
    found = {(r.question, r.concurrency, r.path): r for r in rows}
    keys = [(r.question, r.concurrency) for r in rows if r.path == floor]
    if not keys:
        return []
    header = (
        f"{'fixed cost':<24}{'c':>3}{'raw p50':>9}{'floor p50':>11}{'lowest ×raw':>13}"
        f"{'http ×raw':>11}{'(http-floor) ×raw':>19}"
    )
    lines = ["", header, "-" * len(header)]
    for question, concurrency in keys:
        raw = found.get((question, concurrency, base))
        served = found.get((question, concurrency, http))
        least = found[(question, concurrency, floor)]
        if raw is None or served is None:
            continue
        lowest = ratio(raw.p50 + least.p50, raw.p50)
        lines.append(
            f"{question:<24}{concurrency:>3}{raw.p50:>9.2f}{least.p50:>11.2f}{lowest:>12.2f}x"
            f"{ratio(served.p50, raw.p50):>10.2f}x"
            f"{ratio(max(served.p50 - least.p50, 0.0), raw.p50):>18.2f}x"
        )
    return lines


def target_lines(rows: Sequence[Row], targets: Sequence[Target]) -> list[str]:
    header = f"{'target':<48}{'c':>3}{'measured':>10}{'target':>9}  verdict"
    lines = [header, "-" * len(header)]
    for target in targets:
        value = target.value(rows)
        name = f"{target.question}: {target.numerator}/{target.denominator} {target.metric}"
        bound = f"{'≤' if target.at_most else '≥'}{target.bound:.2f}x"
        if value is None:
            lines.append(f"{name:<48}{target.concurrency:>3}{'-':>10}{bound:>9}  not measured")
            continue
        verdict = "met" if target.met(value) else "missed"
        lines.append(f"{name:<48}{target.concurrency:>3}{value:>9.2f}x{bound:>9}  {verdict}")
    return lines
