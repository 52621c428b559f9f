"""Worker liveness as a key in the broker, for the readiness check.

A broadcast ping through Celery's remote control waits out its whole timeout when no
worker answers, and after a broker restart it went unanswered for minutes in the fault
suite (issue 13). Instead each worker's main process keeps a key alive in Redis
(`hub:worker-alive:<hostname>`, refreshed every INTERVAL seconds, expiring after TTL);
readiness asks whether any such key exists, which takes one round trip. A worker that
stops cleanly deletes its key; one that is killed is seen as gone within TTL seconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading

import redis

PREFIX = "hub:worker-alive:"
INTERVAL = 2.0
TTL = 5

log = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, broker_url: str, hostname: str) -> None:
        self.client = redis.Redis.from_url(
            broker_url, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        self.key = PREFIX + hostname
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="hub-heartbeat", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.client.set(self.key, str(os.getpid()), ex=TTL)
            except redis.RedisError:  # the broker is down; the key expires, as it should
                log.warning("heartbeat: broker unreachable")
            self.stopped.wait(INTERVAL)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=2.0)  # not mid-`set`, or the key would outlive the worker
        with contextlib.suppress(redis.RedisError):
            self.client.delete(self.key)


def alive(broker_url: str) -> dict[str, int]:
    """The workers whose heartbeat has not expired: hostname → main process id."""
    client = redis.Redis.from_url(broker_url, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        keys = list(client.scan_iter(match=PREFIX + "*", count=100))
        pids = client.mget(keys) if keys else []
    finally:
        client.close()
    return {
        key.decode()[len(PREFIX) :]: int(pid)
        for key, pid in zip(keys, pids, strict=True)
        if pid is not None
    }
