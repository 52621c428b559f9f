"""Which audit chain this thread writes: chains follow the writer, not the subject.

Appending to a chain locks its head until the transaction ends, so two requests that
extend one chain queue behind each other. A chain per subject made every caseworker who
read an inbox page wait on the same 50 heads (issue 17). Here each live thread of each
process owns one chain, leased from a per-process pool of slots:

- a thread runs one transaction at a time, so no two transactions ever wait on one head;
- a slot goes back to the pool when its thread ends, so a server that starts a thread
  per request (runserver, Django's live server) reuses a handful of chains instead of
  starting one per request;
- a forked child (a Celery prefork worker) draws a new process id, so parent and child
  never share a chain.

A chain's key is `writer:<process id>:<slot>`: opaque, naming no person or organisation.
"""

from __future__ import annotations

import os
import threading
import uuid
import weakref

_lock = threading.Lock()
_free: list[int] = []
_next = 0
_process = uuid.uuid4().hex[:16]
_local = threading.local()


class _Lease:
    """One thread's slot; returned to the pool when the thread's locals are dropped."""

    def __init__(self, slot: int) -> None:
        self.slot = slot
        self.process = _process
        self.release = weakref.finalize(self, _release, slot, _process)


def _release(slot: int, process: str) -> None:
    with _lock:
        if process == _process:  # a lease from before a fork belongs to the parent
            _free.append(slot)


def _lease() -> _Lease:
    global _next
    with _lock:
        if _free:
            slot = min(_free)  # low slots first: a steady server keeps the same few chains
            _free.remove(slot)
        else:
            slot = _next
            _next += 1
    return _Lease(slot)


def writer_chain() -> str:
    """This thread's chain key (leased on first use)."""
    lease: _Lease | None = getattr(_local, "lease", None)
    if lease is None or lease.process != _process:
        lease = _lease()
        _local.lease = lease
    return f"writer:{lease.process}:{lease.slot}"


def retire() -> None:
    """Never write this thread's chain again, nor let another thread take its slot: its
    head was removed under its events (tampering, which verification reports), so every
    append there would collide with an event already written. The next append starts a
    new chain."""
    lease: _Lease | None = getattr(_local, "lease", None)
    if lease is not None:
        lease.release.detach()
        _local.lease = None


def _after_fork() -> None:
    global _process, _next, _free, _lock
    _lock = threading.Lock()
    _process = uuid.uuid4().hex[:16]
    _next = 0
    _free = []


os.register_at_fork(after_in_child=_after_fork)
