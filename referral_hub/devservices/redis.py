"""A local redis-server from Debian's package, on loopback only."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import redis

from referral_hub.devservices import process
from referral_hub.devservices.process import ServiceError


@dataclass(frozen=True)
class RedisInstance:
    data_dir: Path
    port: int
    persistent: bool = True

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "redis.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "redis.log"


def is_ready(instance: RedisInstance) -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=instance.port, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def start(instance: RedisInstance, *, timeout: float = 30.0) -> bool:
    if process.read_pid(instance.pid_file) is not None and is_ready(instance):
        return False
    if is_ready(instance):
        # Redis holds only queues and results here, so a server someone else runs is fine.
        print(f"redis: port {instance.port} already serves a Redis; using it")
        return False
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise ServiceError("redis-server is missing: `make deps` installs Debian's redis-server")
    instance.data_dir.mkdir(parents=True, exist_ok=True)
    persistence = (
        ["--appendonly", "yes"] if instance.persistent else ["--save", "", "--appendonly", "no"]
    )
    command = [
        binary,
        "--bind",
        "127.0.0.1",
        "--port",
        str(instance.port),
        "--protected-mode",
        "yes",
        "--dir",
        str(instance.data_dir),
        "--daemonize",
        "no",
        *persistence,
    ]
    pid = process.spawn(command, log_file=instance.log_file, pid_file=instance.pid_file)
    process.wait_until(
        lambda: is_ready(instance),
        pid=pid,
        timeout=timeout,
        what=f"Redis on port {instance.port}",
        log_file=instance.log_file,
    )
    return True


def stop(instance: RedisInstance) -> bool:
    return process.terminate(instance.pid_file, timeout=20.0)
