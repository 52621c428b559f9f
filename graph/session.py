"""Units of work in transactions, with a round-trip counter for tests and benchmarks.

Every Cypher statement the application sends goes through `read` or `write`, so
counting here counts the round trips a GraphQL operation costs. A unit of work may be
run again after a transient error (a deadlock, a lock timeout: for up to
NEO4J_TRANSIENT_RETRY_SECONDS) or a lost connection (for up to
NEO4J_UNAVAILABLE_RETRY_SECONDS), so work functions must be idempotent and free of
outside side effects.

Retrying is ours, not the driver's (issue 13): the driver's managed transactions retry
an unreachable server for 30 s, which tied every request thread up for that long. Here
unreachability is retried briefly, then reported as GraphUnavailable and opens the
circuit breaker (graph/breaker.py), so the next callers are answered at once instead
of each waiting out its own timeout. Each transaction also carries a server-side
timeout (NEO4J_TRANSACTION_TIMEOUT_SECONDS).

Reads run in read-access sessions, so on a `neo4j://` URI the driver routes them to a
follower. Inside a `causal_scope` (one per web request and per Celery task) every
transaction starts from the bookmarks of the scope's last commit, so a read served by a
lagging follower waits for the writes before it (graph/bookmarks.py, docs/consistency.md).
Outside a scope (management commands, the shell) nothing is carried, as before.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j.exceptions import (
    AuthError,
    ConnectionAcquisitionTimeoutError,
    ConstraintError,
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    NotALeader,
    ServiceUnavailable,
    SessionExpired,
)

from graph import audit_writers, bookmarks, clock, driver, metrics
from graph.breaker import CircuitOpen
from graph.errors import GraphUnavailable

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class RoundTrips:
    """Statements sent while a `count_round_trips()` block was open, and the bookmarks
    each session was opened with (what a request's reads waited for)."""

    statements: list[str] = field(default_factory=list)
    sessions: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

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


@dataclass
class CausalScope:
    """One caller's place in the database's history: a request's or a task's.

    `started_from` are the bookmarks it was given (the user's last writes); `current` moves
    on with every commit; `wrote` says whether a write committed, so the caller knows there
    is something new to keep for the user's next request."""

    started_from: tuple[str, ...] = ()
    current: tuple[str, ...] = ()
    wrote: bool = False

    def advance(self, reached: neo4j.Bookmarks, *, wrote: bool) -> None:
        values = bookmarks.bounded(sorted(reached.raw_values))
        if values:  # a session that committed nothing leaves the place where it was
            self.current = values
        self.wrote = self.wrote or wrote


_scope: ContextVar[CausalScope | None] = ContextVar("graph_causal_scope", default=None)


@contextmanager
def causal_scope(start: tuple[str, ...] = ()) -> Iterator[CausalScope]:
    """Every transaction inside starts after `start` and after the scope's own commits.

    Per request or task, never per process: a process-wide chain would make each user's
    reads wait for everyone's writes, and hand one user's place to another."""
    scope = CausalScope(started_from=start, current=start)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def current_bookmarks() -> tuple[str, ...]:
    """The bookmarks the running request or task has reached (none outside a scope): for
    work handed on, such as a task enqueued after a write."""
    scope = _scope.get()
    return () if scope is None else scope.current


def _opening_bookmarks(access_mode: str) -> neo4j.Bookmarks | None:
    scope = _scope.get()
    start = () if scope is None else scope.current
    trips = _counter.get()
    if trips is not None:
        trips.sessions.append((access_mode, start))
    return neo4j.Bookmarks.from_raw_values(start) if start else None


def _reached(neo_session: neo4j.Session, *, wrote: bool) -> None:
    scope = _scope.get()
    if scope is not None:
        scope.advance(neo_session.last_bookmarks(), wrote=wrote)


# Facts the domain owns and the Cypher needs — which handoff states are open — given
# once at startup (referral_hub/core/apps.py, from referrals/handoff.py) and sent with
# every statement, so no Cypher keeps a copy of them. A statement that needs one before
# it is given fails loudly (Neo4j: expected parameter).
_given: dict[str, Any] = {}


def give(**facts: Any) -> None:
    _given.update(facts)


class Tx:
    """A thin wrapper over a transaction that only accepts literal Cypher.

    Every statement also gets `$clock_now` (graph/clock.py), so a statement that asks
    for the time asks one clock, and the facts the domain gave (`give`).
    """

    def __init__(
        self, tx: neo4j.ManagedTransaction | neo4j.Transaction, *, access: str = "write"
    ) -> None:
        self._tx = tx
        self._statements = metrics.STATEMENTS.labels(access)

    def run(self, query: LiteralString, **params: Any) -> neo4j.Result:
        trips = _counter.get()
        if trips is not None:
            trips.statements.append(query)
        self._statements.inc()
        return self._tx.run(query, {**_given, **params, "clock_now": clock.now_param()})

    def rows(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        return [record.data() for record in self.run(query, **params)]

    def single(self, query: LiteralString, **params: Any) -> dict[str, Any] | None:
        record = self.run(query, **params).single()
        return None if record is None else record.data()


def read(work: Callable[[Tx], T], *, bulk: bool = False, leader: bool = False) -> T:
    """A read transaction; `bulk` (a whole export) gets the bulk timeout.

    On a cluster it is served by a follower, which may lag behind the leader except for
    what the caller's scope has seen. `leader` is for reads that must see every commit
    so far, whoever made it — verifying the audit log against its signed checkpoints,
    where a lagging follower would look like a truncated chain."""
    mode = neo4j.WRITE_ACCESS if leader else neo4j.READ_ACCESS
    return _retried(work, mode, bulk=bulk, writes=False)


def write(work: Callable[[Tx], T], *, bulk: bool = False) -> T:
    """A write transaction; `bulk` (a batch of an import or a seed) gets the bulk timeout."""
    return _retried(work, neo4j.WRITE_ACCESS, bulk=bulk, writes=True)


def _retried(work: Callable[[Tx], T], access_mode: str, *, bulk: bool, writes: bool) -> T:
    timeout = driver.current_settings().bulk_transaction_timeout if bulk else None
    return _guarded(
        lambda: _with_retries(lambda: _attempt(work, access_mode, timeout=timeout, writes=writes))
    )


def write_once(work: Callable[[Tx], T]) -> T:
    """One write transaction, never retried, with the bulk timeout.

    For bulk work (a whole HSDS file): a retry would silently start the whole file again
    after a transient error such as running out of transaction memory.
    """
    timeout = driver.current_settings().bulk_transaction_timeout
    return _guarded(lambda: _attempt(work, neo4j.WRITE_ACCESS, timeout=timeout, writes=True))


def autocommit(query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    """One statement in its own implicit transaction, never retried: schema commands need
    this, and the health check must answer quickly."""
    trips = _counter.get()
    if trips is not None:
        trips.statements.append(query)
    metrics.STATEMENTS.labels("autocommit").inc()

    def run() -> list[dict[str, Any]]:
        # Write access (the default): schema commands and wipes must reach the primary.
        with (
            metrics.timed("autocommit"),
            driver.get_driver().session(
                database=driver.database(), bookmarks=_opening_bookmarks(neo4j.WRITE_ACCESS)
            ) as neo_session,
        ):
            rows = [record.data() for record in neo_session.run(query, params)]
            _reached(neo_session, wrote=True)
            return rows

    return _guarded(run)


def _attempt(
    work: Callable[[Tx], T], access_mode: str, *, timeout: float | None = None, writes: bool
) -> T:
    """One explicit transaction: the work, then the commit. `writes`: the work may write
    (a leader read runs in write access and writes nothing)."""
    settings = driver.current_settings()
    access = "read" if access_mode == neo4j.READ_ACCESS else "write"
    with (
        metrics.timed(access),
        driver.get_driver().session(
            database=settings.database,
            default_access_mode=access_mode,
            bookmarks=_opening_bookmarks(access_mode),
        ) as neo_session,
        neo_session.begin_transaction(
            timeout=settings.transaction_timeout if timeout is None else timeout
        ) as tx,
    ):
        result = work(Tx(tx, access=access))
        tx.commit()
        _reached(neo_session, wrote=writes)
        return result


# The server is gone, starting, or (in a cluster) no longer the leader: brief retries,
# then the circuit opens — the 15 s budget for deadlocks is not for these.
_UNREACHABLE = (ServiceUnavailable, SessionExpired, DatabaseUnavailable, NotALeader)


# The server's words for a second event in one place of a chain (the chainSeq constraint);
# the value follows them, so nothing a caller writes can make a message start this way.
_AUDIT_PLACE_TAKEN = "already exists with label `AuditEvent` and property `chainSeq`"


def _with_retries(attempt: Callable[[], T]) -> T:
    """Run again after a retryable error: briefly when the server is unreachable, longer
    for transient errors (deadlocks on a chain head under load), with jittered backoff."""
    settings = driver.current_settings()
    started = time.monotonic()
    tries = 0
    retired = False
    while True:
        try:
            return attempt()
        except ConstraintError as error:
            # An audit event collided with one already in its chain: the chain's head
            # was deleted under its events. Once, on a new chain (graph/audit_writers.py).
            if retired or _AUDIT_PLACE_TAKEN not in (error.message or ""):
                raise
            audit_writers.retire()
            retired = True
            continue
        except (DriverError, Neo4jError) as error:
            if _forgot_bad_bookmarks(error):
                continue
            if not error.is_retryable():
                raise
            budget = (
                settings.unavailable_retry_seconds
                if isinstance(error, _UNREACHABLE)
                else settings.transient_retry_seconds
            )
            pause = min(1.0, 0.05 * 2**tries) * random.uniform(0.8, 1.2)  # noqa: S311
            if time.monotonic() - started + pause > budget:
                raise
        tries += 1
        time.sleep(pause)


# Bookmarks the server cannot parse (damaged in storage, from another database): the
# request is not refused for them; it starts from what its server has, once.
_BAD_BOOKMARKS = frozenset(
    {
        "Neo.ClientError.Transaction.InvalidBookmark",
        "Neo.ClientError.Transaction.InvalidBookmarkMixture",
    }
)


def _forgot_bad_bookmarks(error: DriverError | Neo4jError) -> bool:
    scope = _scope.get()
    if scope is None or not scope.current or getattr(error, "code", None) not in _BAD_BOOKMARKS:
        return False
    log.warning("bookmarks refused by the server (%s); reading without them", error)
    scope.current = ()
    return True


def _guarded(run: Callable[[], T]) -> T:
    """Run unless the circuit is open; unreachability opens it, an answer closes it."""
    circuit = driver.breaker()
    try:
        circuit.before()
    except CircuitOpen:
        raise GraphUnavailable("the graph was unreachable moments ago (circuit open)") from None
    try:
        result = run()
    except AuthError as exc:  # reachable, but our credentials are refused
        circuit.succeeded()
        raise GraphUnavailable(str(exc)) from exc
    except _UNREACHABLE as exc:
        circuit.failed()
        raise GraphUnavailable(str(exc)) from exc
    except ConnectionAcquisitionTimeoutError as exc:  # busy here, not gone there
        circuit.released()
        raise GraphUnavailable(str(exc)) from exc
    except Neo4jError:
        circuit.succeeded()  # the server answered, if only to refuse
        raise
    except BaseException:
        circuit.released()
        raise
    circuit.succeeded()
    return result
