"""One Neo4j driver per process, created lazily from Django settings.

Lazy creation matters for Celery's prefork pool: a driver opened in the parent
would share sockets with its children, so each process makes its own on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph.errors import GraphUnavailable


@dataclass(frozen=True)
class GraphSettings:
    uri: str
    user: str
    password: str
    database: str = "neo4j"


_lock = threading.Lock()
_driver: neo4j.Driver | None = None
_settings: GraphSettings | None = None


def configure(settings: GraphSettings) -> None:
    """Point this process at a server; closes any driver opened for another one."""
    global _settings
    with _lock:
        if _settings != settings:
            _close_locked()
        _settings = settings


def current_settings() -> GraphSettings:
    if _settings is None:
        from django.conf import settings as django_settings

        configure(
            GraphSettings(
                uri=django_settings.NEO4J_URI,
                user=django_settings.NEO4J_USER,
                password=django_settings.NEO4J_PASSWORD,
                database=django_settings.NEO4J_DATABASE,
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
                    connection_acquisition_timeout=10.0,
                    # A host that does not answer is reported after 2 s, not the
                    # driver's default 30 (issue 13: fail fast).
                    connection_timeout=2.0,
                )
    return _driver


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
