"""A local PostgreSQL cluster from Debian's package, on loopback only (issue 18).

Django's database is SQLite unless DATABASE_URL names another; this is the PostgreSQL
that `make test-postgres` runs the suite on, and that a developer can run the hub on.
PostgreSQL refuses to run as root, so as root (this project's machines) every server
command runs as Debian's `postgres` user, which owns the cluster's directory.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
from dj_database_url import DBConfig

from referral_hub.devservices import process
from referral_hub.devservices.process import ServiceError

SERVER_USER = "postgres"  # Debian's system user, and initdb's superuser role
SERVER_HOME = Path("/var/lib/postgresql")  # that user's home, made by Debian's package
DEFAULT_PASSWORD = "tsunagari-dev-password"  # noqa: S105 - documented development default


@dataclass(frozen=True)
class PostgresInstance:
    data_dir: Path
    port: int
    password: str = DEFAULT_PASSWORD
    user: str = "hub"
    database: str = "hub"
    # Tests throw their data away: without fsync a test database is created, flushed and
    # dropped several times faster. Development keeps its data safe.
    durable: bool = True

    @property
    def home(self) -> Path:
        """Where the cluster, its socket and its log live: the data dir, unless (as root)
        the server user cannot reach it, as in a checkout under /root (0700); then a
        directory of that user's own, named after the data dir."""
        if os.geteuid() != 0 or _reachable_by_server_user(self.data_dir.parent):
            return self.data_dir
        digest = hashlib.sha256(str(self.data_dir.resolve()).encode()).hexdigest()[:12]
        return SERVER_HOME / f"tsunagari-{digest}"

    @property
    def cluster_dir(self) -> Path:
        return self.home / "cluster"

    @property
    def socket_dir(self) -> Path:
        # Inside the data dir, not /var/run/postgresql: two profiles (or two checkouts)
        # never share a socket, and the directory is the server user's alone.
        return self.home / "socket"

    @property
    def log_file(self) -> Path:
        return self.home / "postgres.log"

    @property
    def pid_file(self) -> Path:
        # The server's own: its first line is the postmaster's pid.
        return self.cluster_dir / "postmaster.pid"

    @property
    def url(self) -> str:
        password = quote(self.password, safe="")
        return f"postgres://{self.user}:{password}@127.0.0.1:{self.port}/{self.database}"


def _reachable_by_server_user(path: Path) -> bool:
    """Whether Debian's postgres user may pass through `path` and every folder above it
    (the folders still to be made will be 0755)."""
    try:
        account = pwd.getpwnam(SERVER_USER)
    except KeyError:
        return True  # no such user: initdb's own error says what is missing
    for folder in (path, *path.parents):
        try:
            found = folder.stat()
        except FileNotFoundError:
            continue
        if found.st_uid == account.pw_uid:
            allowed = found.st_mode & stat.S_IXUSR
        elif found.st_gid == account.pw_gid:
            allowed = found.st_mode & stat.S_IXGRP
        else:
            allowed = found.st_mode & stat.S_IXOTH
        if not allowed:
            return False
    return True


def bin_dir() -> Path:
    """The newest installed server's programs (Debian keeps them off PATH, by version)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    if on_path is None:
        raise ServiceError("PostgreSQL is missing: `make postgres-deps` installs Debian's package")
    return Path(on_path).parent


def read_pid(instance: PostgresInstance) -> int | None:
    try:
        first = instance.pid_file.read_text().splitlines()[0]
    except (FileNotFoundError, IndexError, PermissionError):
        return None
    return int(first) if first.strip().isdigit() and process.is_alive(int(first)) else None


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL will not start as root: there, run it as Debian's `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVER_USER, "--", *command]


def _run(command: list[str], *, what: str) -> str:
    result = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, check=False, timeout=120
    )
    if result.returncode != 0:
        raise ServiceError(f"{what} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _admin_connect(instance: PostgresInstance, dbname: str = "postgres") -> Any:
    """The superuser over the cluster's own socket (trusted: only its owner can reach it)."""
    import psycopg  # only the PostgreSQL profile needs the driver loaded

    return psycopg.connect(
        host=str(instance.socket_dir),
        port=instance.port,
        user=SERVER_USER,
        dbname=dbname,
        connect_timeout=2,
        autocommit=True,
    )


def is_ready(instance: PostgresInstance) -> bool:
    import psycopg

    try:
        with _admin_connect(instance):
            return True
    except psycopg.OperationalError:
        return False


def _initdb(instance: PostgresInstance) -> None:
    instance.home.mkdir(parents=True, exist_ok=True)
    instance.socket_dir.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(instance.home, SERVER_USER, SERVER_USER)
        shutil.chown(instance.socket_dir, SERVER_USER, SERVER_USER)
    instance.socket_dir.chmod(0o700)
    if (instance.cluster_dir / "PG_VERSION").exists():
        return
    _run(
        [
            str(bin_dir() / "initdb"),
            "--pgdata",
            str(instance.cluster_dir),
            "--username",
            SERVER_USER,
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            # The socket's directory is 0700 and the server user's, so whoever reaches it
            # already is that user (or root); over TCP every role needs its password.
            "--auth-local",
            "trust",
            "--auth-host",
            "scram-sha-256",
        ],
        what="initdb",
    )


def _server_options(instance: PostgresInstance) -> str:
    options = [
        "-c listen_addresses=127.0.0.1",
        f"-p {instance.port}",
        f"-k {instance.socket_dir}",
    ]
    if not instance.durable:
        options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    return " ".join(options)


def start(instance: PostgresInstance, *, timeout: float = 60.0) -> bool:
    """Start the cluster (created on first use) unless it runs; True when this call started
    it. Either way the role and the database exist afterwards."""
    if read_pid(instance) is not None and is_ready(instance):
        ensure_database(instance)
        return False
    _initdb(instance)
    instance.log_file.touch()
    if os.geteuid() == 0:
        shutil.chown(instance.log_file, SERVER_USER, SERVER_USER)
    _run(
        [
            str(bin_dir() / "pg_ctl"),
            "start",
            "--pgdata",
            str(instance.cluster_dir),
            "--log",
            str(instance.log_file),
            "--options",
            _server_options(instance),
            "--wait",
            "--timeout",
            str(int(timeout)),
        ],
        what=f"PostgreSQL on port {instance.port}\n{process.log_tail(instance.log_file)}",
    )
    ensure_database(instance)
    return True


def ensure_database(instance: PostgresInstance) -> None:
    """The hub's role (allowed to create databases: the test runner makes its own) and its
    database; the password is set every time, so a changed one takes effect."""
    from psycopg import sql

    with _admin_connect(instance) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (instance.user,)
        ).fetchone()
        verb = sql.SQL("ALTER" if exists else "CREATE")
        conn.execute(
            sql.SQL("{} ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                verb, sql.Identifier(instance.user), sql.Literal(instance.password)
            )
        )
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (instance.database,)
        ).fetchone():
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(instance.database), sql.Identifier(instance.user)
                )
            )


def stop(instance: PostgresInstance, *, timeout: float = 60.0) -> bool:
    """A fast shutdown (open sessions are ended, the data is checkpointed)."""
    pid = read_pid(instance)
    if pid is None:
        return False
    _run(
        [
            str(bin_dir() / "pg_ctl"),
            "stop",
            "--pgdata",
            str(instance.cluster_dir),
            "--mode",
            "fast",
            "--timeout",
            str(int(timeout)),
        ],
        what="pg_ctl stop",
    )
    # pg_ctl returns once the pid file is gone, a moment before the process itself.
    deadline = time.monotonic() + 10
    while process.is_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


# --- the tests' databases ------------------------------------------------------------------
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def test_database(profile_name: str) -> DBConfig | None:
    """The test profile's Django database on DATABASE_URL's PostgreSQL (make
    test-postgres), or None when DATABASE_URL is unset or SQLite (the tests' own file).
    No persistent connections: the live server's threads would leave theirs open, and
    pytest-django could not drop the database at the end."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        return None
    return profile_database(dj_database_url.parse(url, conn_max_age=0), profile_name)


def profile_database(database: DBConfig, profile_name: str) -> DBConfig:
    """DATABASE_URL's server with a database of the test profile's own (`hub_test`,
    `hub_faults`), which the test process and the worker it starts both use, as they share
    the SQLite file otherwise. It is also the test database's name, so pytest-django
    creates (and drops) exactly the database the worker reads."""
    name = f"{database['NAME']}_{profile_name}"
    if not _NAME.match(name):
        raise ValueError(f"unusable test database name {name!r}")
    configured = database.copy()
    configured["NAME"] = name
    configured["TEST"] = {**database.get("TEST", {}), "NAME": name}
    return configured


def recreate_database(database: DBConfig) -> None:
    """Drop (ending its sessions) and create `database` on its server: the fault suite's
    hub starts from nothing, as its SQLite file is deleted otherwise."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=database.get("HOST") or "127.0.0.1",
        port=int(database.get("PORT") or 5432),
        user=database.get("USER"),
        password=database.get("PASSWORD"),
        dbname="postgres",
        connect_timeout=5,
        autocommit=True,
    ) as conn:
        name = sql.Identifier(database["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
