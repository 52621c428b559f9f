"""Units of work over managed transactions, with a round-trip counter for tests and benchmarks.

Every Cypher statement the application sends goes through `read` or `write`, so
counting here counts the round trips a GraphQL operation costs. Managed
transactions may be retried by the driver on transient errors; the work functions
passed in must therefore be idempotent and free of outside side effects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graph import clock, driver
from graph.errors import GraphUnavailable

T = TypeVar("T")


@dataclass
class RoundTrips:
    """Statements sent while a `count_round_trips()` block was open."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


_counter: ContextVar[RoundTrips | None] = ContextVar("graph_round_trips", default=None)


@contextmanager
def count_round_trips() -> Iterator[RoundTrips]:
    trips = RoundTrips()
    token = _counter.set(trips)
    try:
        yield trips
    finally:
        _counter.reset(token)


class Tx:
    """A thin wrapper over a managed transaction that only accepts literal Cypher.

    Every statement also gets `$clock_now` (graph/clock.py), so a statement that asks
    for the time asks one clock.
    """

    def __init__(self, tx: neo4j.ManagedTransaction) -> None:
        self._tx = tx

    def run(self, query: LiteralString, **params: Any) -> neo4j.Result:
        trips = _counter.get()
        if trips is not None:
            trips.statements.append(query)
        return self._tx.run(query, {**params, "clock_now": clock.now_param()})

    def rows(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        return [record.data() for record in self.run(query, **params)]

    def single(self, query: LiteralString, **params: Any) -> dict[str, Any] | None:
        record = self.run(query, **params).single()
        return None if record is None else record.data()


def read(work: Callable[[Tx], T]) -> T:
    return _execute(work, neo4j.READ_ACCESS)


def write(work: Callable[[Tx], T]) -> T:
    return _execute(work, neo4j.WRITE_ACCESS)


def _execute(work: Callable[[Tx], T], access_mode: str) -> T:
    try:
        with driver.get_driver().session(
            database=driver.database(), default_access_mode=access_mode
        ) as session:
            unit = lambda tx: work(Tx(tx))  # noqa: E731 - the driver wants a callable of tx
            if access_mode == neo4j.READ_ACCESS:
                return session.execute_read(unit)
            return session.execute_write(unit)
    except (ServiceUnavailable, SessionExpired, AuthError) as exc:
        raise GraphUnavailable(str(exc)) from exc


def write_once(work: Callable[[Tx], T]) -> T:
    """One explicit write transaction, never retried.

    For bulk work (a whole HSDS file): a managed transaction would silently start the
    whole file again after a transient error such as running out of transaction memory.
    """
    try:
        with (
            driver.get_driver().session(database=driver.database()) as neo_session,
            neo_session.begin_transaction() as tx,
        ):
            result = work(Tx(tx))  # type: ignore[arg-type]
            tx.commit()
            return result
    except (ServiceUnavailable, SessionExpired, AuthError) as exc:
        raise GraphUnavailable(str(exc)) from exc


def autocommit(query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    """One statement in its own implicit transaction: schema commands need this."""
    trips = _counter.get()
    if trips is not None:
        trips.statements.append(query)
    try:
        with driver.get_driver().session(database=driver.database()) as session:
            return [record.data() for record in session.run(query, params)]
    except (ServiceUnavailable, SessionExpired, AuthError) as exc:
        raise GraphUnavailable(str(exc)) from exc
