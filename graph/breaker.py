"""A circuit breaker for the graph: when Neo4j cannot be reached, stop asking it for a while.

Without it every request thread spends its own connection and retry time finding out
that the server is gone (issue 13 measured 33–65 s). Once a statement fails because the
server is unreachable the circuit opens: for `cooldown` seconds every caller gets
GraphUnavailable at once. Then one caller is let through as a probe; its success closes
the circuit, its failure opens it again. Only unreachability counts: a refused or
invalid statement says nothing about the server's health.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class CircuitOpen(Exception):
    """The circuit is open: the caller must not contact the server now."""


@dataclass
class CircuitBreaker:
    cooldown: float
    clock: Callable[[], float] = time.monotonic
    _open_until: float | None = field(default=None, init=False)
    _probing: bool = field(default=False, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def before(self) -> None:
        """Raise CircuitOpen unless this caller may contact the server."""
        with self._lock:
            if self._open_until is None:
                return
            if self._probing or self.clock() < self._open_until:
                raise CircuitOpen
            self._probing = True  # the cooldown is over: this caller is the probe

    def succeeded(self) -> None:
        with self._lock:
            self._open_until = None
            self._probing = False

    def failed(self) -> None:
        """The server could not be reached: open (or re-open) the circuit."""
        with self._lock:
            self._open_until = self.clock() + self.cooldown
            self._probing = False

    def released(self) -> None:
        """A caller let through ended without learning anything about the server (its
        work raised something else): let the next caller probe instead."""
        with self._lock:
            self._probing = False

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._open_until is not None
