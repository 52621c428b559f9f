"""One Neo4j driver per process, created lazily from Django settings.

Lazy creation matters for Celery's prefork pool: a driver opened in the parent
would share sockets with its children, so each process makes its own on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph.breaker import CircuitBreaker
from graph.errors import GraphUnavailable


@dataclass(frozen=True)
class GraphSettings:
    """Where the server is, and how long to wait for it (seconds; issue 13: fail fast)."""

    uri: str
    user: str
    password: str
    database: str = "neo4j"
    # A host that does not answer is reported after this long (the driver's default is 30).
    connection_timeout: float = 1.0
    # Getting a connection, opening it included (a host that accepts and never answers).
    acquisition_timeout: float = 1.5
    # Server-side limit of one transaction; bulk imports (write_once) have their own.
    transaction_timeout: float = 30.0
    bulk_transaction_timeout: float = 600.0
    # How long a unit of work is retried: an unreachable server briefly (the caller is
    # waiting), transient errors such as deadlocks longer.
    unavailable_retry_seconds: float = 0.5
    transient_retry_seconds: float = 15.0
    # After the server was found unreachable, callers are answered at once for this long.
    breaker_seconds: float = 2.0


_lock = threading.Lock()
_driver: neo4j.Driver | None = None
_settings: GraphSettings | None = None
_breaker: CircuitBreaker | None = None


def configure(settings: GraphSettings) -> None:
    """Point this process at a server; closes any driver opened for another one."""
    global _settings, _breaker
    with _lock:
        if _settings != settings:
            _close_locked()
            _breaker = None
        _settings = settings


def current_settings() -> GraphSettings:
    if _settings is None:
        # Django is only the default source of settings: graph/ works without it when a
        # caller configure()s it first, so Django is not imported until it is needed.
        from django.conf import settings as django_settings

        configure(
            GraphSettings(
                uri=django_settings.NEO4J_URI,
                user=django_settings.NEO4J_USER,
                password=django_settings.NEO4J_PASSWORD,
                database=django_settings.NEO4J_DATABASE,
                connection_timeout=django_settings.NEO4J_CONNECTION_TIMEOUT_SECONDS,
                acquisition_timeout=django_settings.NEO4J_ACQUISITION_TIMEOUT_SECONDS,
                transaction_timeout=django_settings.NEO4J_TRANSACTION_TIMEOUT_SECONDS,
                bulk_transaction_timeout=django_settings.NEO4J_BULK_TRANSACTION_TIMEOUT_SECONDS,
                unavailable_retry_seconds=django_settings.NEO4J_UNAVAILABLE_RETRY_SECONDS,
                transient_retry_seconds=django_settings.NEO4J_TRANSIENT_RETRY_SECONDS,
                breaker_seconds=django_settings.NEO4J_BREAKER_SECONDS,
            )
        )
    assert _settings is not None
    return _settings


def get_driver() -> neo4j.Driver:
    global _driver
    if _driver is None:
        settings = current_settings()
        with _lock:
            if _driver is None:
                _driver = neo4j.GraphDatabase.driver(
                    settings.uri,
                    auth=(settings.user, settings.password),
                    max_connection_pool_size=50,
                    connection_acquisition_timeout=settings.acquisition_timeout,
                    connection_timeout=settings.connection_timeout,
                    # A pooled connection idle this long is checked before reuse, so a
                    # server that went away while it sat in the pool is found at once.
                    liveness_check_timeout=30.0,
                )
    return _driver


def breaker() -> CircuitBreaker:
    """This process's circuit breaker for the configured server (graph/breaker.py)."""
    global _breaker
    if _breaker is None:
        cooldown = current_settings().breaker_seconds
        with _lock:
            if _breaker is None:
                _breaker = CircuitBreaker(cooldown=cooldown)
    return _breaker


def database() -> str:
    return current_settings().database


def close() -> None:
    with _lock:
        _close_locked()


def _close_locked() -> None:
    global _driver
    if _driver is not None:
        _driver.close()
        _driver = None


def verify() -> None:
    """Raise GraphUnavailable unless the server answers with our credentials."""
    try:
        get_driver().verify_connectivity()
    except (ServiceUnavailable, AuthError, OSError) as exc:
        raise GraphUnavailable(str(exc)) from exc
