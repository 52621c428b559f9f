"""Where each profile's services live: `dev` for make run, `test` for pytest, side by side."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from referral_hub.devservices.celery_worker import WorkerInstance
from referral_hub.devservices.neo4j import ROOT, Neo4jInstance
from referral_hub.devservices.postgres import PostgresInstance
from referral_hub.devservices.redis import RedisInstance

DEFAULT_PASSWORD = "tsunagari-dev-password"  # noqa: S105 - documented development default


@dataclass(frozen=True)
class Profile:
    name: str
    neo4j: Neo4jInstance
    redis: RedisInstance
    worker: WorkerInstance
    # Started only when asked for (`devservices start postgres`, make test-postgres):
    # Django's database is SQLite unless DATABASE_URL names another.
    postgres: PostgresInstance
    external_neo4j_uri: str | None
    external_redis_url: str | None

    @property
    def neo4j_uri(self) -> str:
        return self.external_neo4j_uri or self.neo4j.uri

    @property
    def redis_url(self) -> str:
        return self.external_redis_url or self.redis.url

    def env(self) -> dict[str, str]:
        """Environment for processes that should talk to this profile's services."""
        return {
            "NEO4J_URI": self.neo4j_uri,
            "NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j"),
            "NEO4J_PASSWORD": self.neo4j.password,
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_RESULT_BACKEND": self.redis_url,
        }

    @property
    def database_url(self) -> str:
        """DATABASE_URL for this profile's PostgreSQL (docs/configuration.md)."""
        return self.postgres.url


def profile(name: str) -> Profile:
    data = Path(os.environ.get("HUB_DATA_DIR", ROOT / ".data"))
    password = os.environ.get("NEO4J_PASSWORD", DEFAULT_PASSWORD)
    make = _PROFILES.get(name)
    if make is None:
        raise ValueError(f"unknown profile {name!r}; use dev, test, bench or faults")
    return make(data, password)


def _dev(data: Path, password: str) -> Profile:
    return Profile(
        name="dev",
        neo4j=Neo4jInstance(
            data_dir=data / "dev" / "neo4j",
            port=int(os.environ.get("NEO4J_BOLT_PORT", "7687")),
            password=password,
            heap=os.environ.get("NEO4J_HEAP", "6g"),
            pagecache=os.environ.get("NEO4J_PAGECACHE", "2g"),
            tx_memory=os.environ.get("NEO4J_TX_MEMORY", "4g"),
        ),
        redis=RedisInstance(
            data_dir=data / "dev" / "redis", port=int(os.environ.get("REDIS_PORT", "6379"))
        ),
        worker=WorkerInstance(data_dir=data / "dev" / "celery", name="hub-dev", beat=True),
        postgres=PostgresInstance(
            data_dir=data / "dev" / "postgres",
            port=int(os.environ.get("POSTGRES_PORT", "5434")),
            password=os.environ.get("POSTGRES_PASSWORD", password),
        ),
        external_neo4j_uri=os.environ.get("NEO4J_URI") or None,
        external_redis_url=os.environ.get("REDIS_URL") or None,
    )


def _test(data: Path, password: str) -> Profile:
    # Tests empty the graph between tests, so they never fall back to NEO4J_URI: an
    # external server is used only when named explicitly in TEST_NEO4J_URI.
    return Profile(
        name="test",
        neo4j=Neo4jInstance(
            data_dir=data / "test" / "neo4j",
            port=int(os.environ.get("TEST_NEO4J_BOLT_PORT", "7688")),
            password=os.environ.get("TEST_NEO4J_PASSWORD", password),
            heap=os.environ.get("TEST_NEO4J_HEAP", "1g"),
            pagecache=os.environ.get("TEST_NEO4J_PAGECACHE", "256m"),
        ),
        redis=RedisInstance(
            data_dir=data / "test" / "redis",
            port=int(os.environ.get("TEST_REDIS_PORT", "6380")),
            persistent=False,
        ),
        worker=WorkerInstance(data_dir=data / "test" / "celery", name="hub-test", concurrency=2),
        # The fault suite's hub has a database of its own on this same server (hub_faults,
        # tests/faults/conftest.py), so only one PostgreSQL runs for the tests.
        postgres=PostgresInstance(
            data_dir=data / "test" / "postgres",
            port=int(os.environ.get("TEST_POSTGRES_PORT", "5433")),
            password=os.environ.get("TEST_POSTGRES_PASSWORD", password),
            durable=False,
        ),
        external_neo4j_uri=os.environ.get("TEST_NEO4J_URI") or None,
        external_redis_url=os.environ.get("TEST_REDIS_URL") or None,
    )


def _bench(data: Path, password: str) -> Profile:
    # Its own server, so benchmark data never mixes with the demo or the tests.
    return Profile(
        name="bench",
        neo4j=Neo4jInstance(
            data_dir=data / "bench" / "neo4j",
            port=int(os.environ.get("BENCH_NEO4J_BOLT_PORT", "7689")),
            password=password,
            heap=os.environ.get("BENCH_NEO4J_HEAP", "4g"),
            pagecache=os.environ.get("BENCH_NEO4J_PAGECACHE", "2g"),
        ),
        redis=RedisInstance(
            data_dir=data / "bench" / "redis",
            port=int(os.environ.get("BENCH_REDIS_PORT", "6381")),
            persistent=False,
        ),
        worker=WorkerInstance(data_dir=data / "bench" / "celery", name="hub-bench"),
        postgres=PostgresInstance(
            data_dir=data / "bench" / "postgres",
            port=int(os.environ.get("BENCH_POSTGRES_PORT", "5435")),
            password=password,
            durable=False,
        ),
        external_neo4j_uri=os.environ.get("BENCH_NEO4J_URI") or None,
        external_redis_url=None,
    )


def _faults(data: Path, password: str) -> Profile:
    # The fault suite (tests/faults) kills these by pid, so they are never the ones
    # the rest of the tests use; its worker runs beat, whose outbox relay it tests.
    return Profile(
        name="faults",
        neo4j=Neo4jInstance(
            data_dir=data / "faults" / "neo4j",
            port=int(os.environ.get("FAULTS_NEO4J_BOLT_PORT", "7690")),
            password=password,
            heap=os.environ.get("FAULTS_NEO4J_HEAP", "512m"),
            pagecache=os.environ.get("FAULTS_NEO4J_PAGECACHE", "128m"),
        ),
        redis=RedisInstance(
            data_dir=data / "faults" / "redis",
            port=int(os.environ.get("FAULTS_REDIS_PORT", "6382")),
            persistent=False,
        ),
        worker=WorkerInstance(
            data_dir=data / "faults" / "celery", name="hub-faults", concurrency=2, beat=True
        ),
        # Never started: the fault suite's database is on the test profile's server (or
        # whichever DATABASE_URL names), since the suite never kills the database.
        postgres=PostgresInstance(
            data_dir=data / "faults" / "postgres",
            port=int(os.environ.get("TEST_POSTGRES_PORT", "5433")),
            password=os.environ.get("TEST_POSTGRES_PASSWORD", password),
            durable=False,
        ),
        external_neo4j_uri=None,
        external_redis_url=None,
    )


_PROFILES: dict[str, Callable[[Path, str], Profile]] = {
    "dev": _dev,
    "test": _test,
    "bench": _bench,
    "faults": _faults,
}
