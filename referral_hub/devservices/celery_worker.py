"""A Celery worker process (with the beat scheduler in development) for `make run` and tests."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import redis

from referral_hub.core import worker_heartbeat
from referral_hub.devservices import process

QUEUES = "default,notifications,maintenance"


@dataclass(frozen=True)
class WorkerInstance:
    data_dir: Path
    name: str = "hub"
    concurrency: int = 2
    # Development runs the beat scheduler inside its one worker; production runs
    # `celery -A referral_hub beat` as a single process of its own (see docs/operations.md).
    beat: bool = False

    @property
    def pid_file(self) -> Path:
        return self.data_dir / f"celery-{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / f"celery-{self.name}.log"


def start(instance: WorkerInstance, *, env: dict[str, str], timeout: float = 60.0) -> bool:
    """Start the worker, or keep the running one; either way return only once its heartbeat
    is visible in the broker. True when this call started it."""
    running = process.read_pid(instance.pid_file)
    if running is not None:
        # Something may have emptied the broker's database since (the tests' `redis_db`
        # flushes it), taking the heartbeat key with it; the worker writes it again within
        # worker_heartbeat.INTERVAL. Returning before that let a health check run in the gap
        # see no worker (CI, 2026-12-02).
        _wait_for_heartbeat(instance, env["CELERY_BROKER_URL"], running, timeout)
        return False
    instance.data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "referral_hub",
        "worker",
        "--loglevel",
        "INFO",
        "--queues",
        QUEUES,
        "--concurrency",
        str(instance.concurrency),
        "--hostname",
        f"{instance.name}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    if instance.beat:
        command += ["--beat", "--schedule", str(instance.data_dir / "celerybeat-schedule")]
    pid = process.spawn(
        command, log_file=instance.log_file, pid_file=instance.pid_file, env={**os.environ, **env}
    )
    _wait_for_heartbeat(instance, env["CELERY_BROKER_URL"], pid, timeout)
    return True


def _wait_for_heartbeat(
    instance: WorkerInstance, broker_url: str, pid: int, timeout: float
) -> None:
    process.wait_until(
        lambda: _beats(instance, broker_url, pid),
        pid=pid,
        timeout=timeout,
        what="Celery worker",
        log_file=instance.log_file,
    )


def _beats(instance: WorkerInstance, broker_url: str, pid: int) -> bool:
    """This very process's heartbeat (not one a killed predecessor left to expire) is in
    its own broker, which need not be this process's."""
    try:
        alive = worker_heartbeat.alive(broker_url)
    except redis.RedisError:
        return False
    return any(name.startswith(f"{instance.name}@") and p == pid for name, p in alive.items())


def stop(instance: WorkerInstance) -> bool:
    return process.terminate(instance.pid_file, timeout=30.0)
