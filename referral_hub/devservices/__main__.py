"""CLI: `python -m referral_hub.devservices start|stop|status [service ...] [--profile]`.

`start` with no service names starts Neo4j, Redis and the worker; PostgreSQL only when
named (`start postgres`), since Django's database is SQLite unless DATABASE_URL says
otherwise. `stop` and `status` with no names cover all four.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from referral_hub.devservices import celery_worker, neo4j, postgres, process, redis
from referral_hub.devservices.process import ServiceError
from referral_hub.devservices.profiles import Profile, profile

SERVICES = ("postgres", "neo4j", "redis", "worker")
STARTED_BY_DEFAULT = ("neo4j", "redis", "worker")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m referral_hub.devservices")
    parser.add_argument("action", choices=("start", "stop", "status", "fetch", "env"))
    parser.add_argument("services", nargs="*", metavar="service", help=", ".join(SERVICES))
    parser.add_argument("--profile", default="dev", choices=("dev", "test", "bench"))
    args = parser.parse_args(argv)
    unknown = set(args.services) - set(SERVICES)
    if unknown:
        parser.error(f"unknown service(s): {', '.join(sorted(unknown))}")
    chosen = args.services or list(
        STARTED_BY_DEFAULT if args.action in ("start", "env") else SERVICES
    )
    selected = profile(args.profile)
    try:
        if args.action == "env":
            # KEY=value lines for `env $(python -m referral_hub.devservices env ...) cmd`.
            for key, value in selected.env().items():
                print(f"{key}={value}")
            if "postgres" in chosen:
                print(f"DATABASE_URL={selected.database_url}")
        elif args.action == "fetch":
            neo4j.ensure_jars()
            print("neo4j: jars ready in", neo4j.LIB_DIR)
        elif args.action == "start":
            _start(selected, chosen)
        elif args.action == "stop":
            # Stop in reverse: the worker first, so it does not log connection errors.
            for name in reversed(SERVICES):
                if name in chosen:
                    stopped = _instance_module(name).stop(_instance(selected, name))
                    print(f"{name}: {'stopped' if stopped else 'was not running'}")
        else:
            for name in chosen:
                instance = _instance(selected, name)
                pid = (
                    postgres.read_pid(instance)
                    if name == "postgres"
                    else process.read_pid(instance.pid_file)
                )
                print(f"{name}: {'running, pid ' + str(pid) if pid else 'stopped'}")
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _start(selected: Profile, chosen: list[str]) -> None:
    if "postgres" in chosen:
        started = postgres.start(selected.postgres)
        print(
            f"postgres: {'started' if started else 'already running'} on port "
            f"{selected.postgres.port} (DATABASE_URL={selected.database_url})"
        )
    if "neo4j" in chosen:
        if selected.external_neo4j_uri:
            print(f"neo4j: using {selected.external_neo4j_uri} (nothing started)")
        else:
            started = neo4j.start(selected.neo4j)
            print(f"neo4j: {'started' if started else 'already running'} at {selected.neo4j.uri}")
    if "redis" in chosen:
        if selected.external_redis_url:
            print("redis: using the configured REDIS_URL (nothing started)")
        else:
            started = redis.start(selected.redis)
            print(f"redis: {'started' if started else 'already running'} at {selected.redis.url}")
    if "worker" in chosen:
        os.environ.update(selected.env())
        started = celery_worker.start(selected.worker, env=selected.env())
        print(
            f"worker: {'started' if started else 'already running'}, log {selected.worker.log_file}"
        )


# Any: a service's module and its instance are paired by name, and each module's functions
# take its own kind of instance.
def _instance(selected: Profile, name: str) -> Any:
    return {
        "postgres": selected.postgres,
        "neo4j": selected.neo4j,
        "redis": selected.redis,
        "worker": selected.worker,
    }[name]


def _instance_module(name: str) -> Any:
    return {"postgres": postgres, "neo4j": neo4j, "redis": redis, "worker": celery_worker}[name]


if __name__ == "__main__":
    raise SystemExit(main())
