"""Read-your-writes across requests and tasks: a user's next request starts where their
last write ended, wherever it is served (docs/consistency.md).

Each request runs in its own causal scope (graph/session.py), started from the bookmarks
kept for its user. When a write committed, the scope's new bookmarks are kept again:

- for a browser session, in the Django session. It is already loaded for every signed-in
  request and saved by SessionMiddleware in the shared database, so every web process
  sees it; it ends with the sign-out, and one person's two browsers do not wait for
  each other.
- for a bearer token, in the shared cache (Redis) under the token's digest — the
  identity the database keeps for it (ApiToken.digest), so nothing is looked up twice
  and only the token's holder can name the key. Agencies' systems hold no cookies, and
  the digest is the same in every web process. Kept HUB_GRAPH_BOOKMARK_SECONDS after the
  last write: a follower that lags longer than that is broken, not late.

A task published inside a scope carries its bookmarks in a message header; the worker
runs the task in a scope started from them, so the relay that a write nudges reads the
outbox entry the write made.

Losing bookmarks never loses data: a read then sees what its server has already applied
(as on a single server, where they change nothing). So a cache that cannot be reached is
skipped, with a circuit breaker so a Redis outage costs no request its timeouts.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from graph import bookmarks, session
from graph.breaker import CircuitBreaker, CircuitOpen

log = logging.getLogger(__name__)

SESSION_KEY = "graph_bookmarks"
CACHE_PREFIX = "graph-bookmarks:token:"
TASK_HEADER = "graph_bookmarks"

_cache_circuit = CircuitBreaker(cooldown=5.0)


class BookmarkStore(Protocol):
    def load(self) -> tuple[str, ...]: ...

    def save(self, started_from: tuple[str, ...], ended_with: tuple[str, ...]) -> None: ...


class SessionBookmarks:
    """A signed-in person's, in their Django session."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def load(self) -> tuple[str, ...]:
        return bookmarks.parse(self.request.session.get(SESSION_KEY))

    def save(self, started_from: tuple[str, ...], ended_with: tuple[str, ...]) -> None:
        # Read at the end: signing in during the request counts, and an anonymous visitor
        # (or one signed out by this request) gets no session for it.
        if not self.request.user.is_authenticated:
            return
        kept = bookmarks.merge(self.load(), started_from, ended_with)
        self.request.session[SESSION_KEY] = list(kept)


class TokenBookmarks:
    """A bearer token's, in the shared cache under the token's digest."""

    def __init__(self, raw_token: str) -> None:
        self.key = CACHE_PREFIX + hashlib.sha256(raw_token.encode("utf-8")).hexdigest()

    def load(self) -> tuple[str, ...]:
        return bookmarks.parse(_cached(lambda: cache.get(self.key)))

    def save(self, started_from: tuple[str, ...], ended_with: tuple[str, ...]) -> None:
        def store() -> None:
            # Merged with what is stored now, not with what this request loaded: the
            # token's other requests may have written meanwhile.
            kept = bookmarks.merge(bookmarks.parse(cache.get(self.key)), started_from, ended_with)
            cache.set(self.key, list(kept), timeout=settings.HUB_GRAPH_BOOKMARK_SECONDS)

        _cached(store)


def forget_every_token() -> int:
    """Drop every token's kept bookmarks (after a restore: they name transactions of a
    database that is gone, and each holder's reads would wait for them until Neo4j's
    bookmark timeout). Returns how many were dropped."""
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    pattern = f"*{CACHE_PREFIX}*"
    keys = list(client.scan_iter(match=pattern, count=500))
    if keys:
        client.delete(*keys)
    return len(keys)


class NoBookmarks:
    """A caller with no identity to keep them for: reads within the request still follow
    its own writes."""

    def load(self) -> tuple[str, ...]:
        return ()

    def save(self, started_from: tuple[str, ...], ended_with: tuple[str, ...]) -> None:
        return None


def store_for(request: HttpRequest) -> BookmarkStore:
    """Where this request's user keeps bookmarks: the token wins over a session, as in
    referral_hub/accounts/authentication.py."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme == "Bearer" and raw.strip():
        return TokenBookmarks(raw.strip())
    # Only with a session cookie: touching the session of a cookie-less request (a probe,
    # a first visit) would add `Vary: Cookie` to its answer for nothing.
    if hasattr(request, "session") and settings.SESSION_COOKIE_NAME in request.COOKIES:
        return SessionBookmarks(request)
    return NoBookmarks()


def _cached(call: Callable[[], Any]) -> Any:
    try:
        _cache_circuit.before()
    except CircuitOpen:
        return None
    try:
        found = call()
    except Exception:  # any cache failure: bookmarks are an optimisation of freshness
        _cache_circuit.failed()
        log.warning("cache unavailable: reads follow no earlier request", exc_info=True)
        return None
    _cache_circuit.succeeded()
    return found


class ReadYourWritesMiddleware:
    """Runs each request in a causal scope started from its user's bookmarks, and keeps
    the new ones after a write. Inside SessionMiddleware, so the session it changes is
    saved after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        store = store_for(request)
        start = store.load()
        with session.causal_scope(start) as scope:
            response = self.get_response(request)
        if scope.wrote and scope.current != start:
            store.save(start, scope.current)
        return response


# Celery: the header out with every task published inside a scope, a scope in with
# every task run. Connected in referral_hub/celery.py, which web and worker both import.


def add_task_header(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """before_task_publish: the publisher's bookmarks go with the task."""
    reached = session.current_bookmarks()
    if reached and headers is not None:
        headers[TASK_HEADER] = list(reached)


_task_scopes: dict[str, ExitStack] = {}


def enter_task_scope(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    """task_prerun: the task's reads start after the publisher's writes."""
    if task_id is None or task is None:
        return
    start = bookmarks.parse(task.request.get(TASK_HEADER))
    stack = ExitStack()
    stack.enter_context(session.causal_scope(start))
    _task_scopes[task_id] = stack


def leave_task_scope(task_id: str | None = None, **_: Any) -> None:
    """task_postrun (also after a failure): the next task in this process starts afresh."""
    stack = _task_scopes.pop(task_id or "", None)
    if stack is not None:
        stack.close()
