"""The local PostgreSQL of `python -m referral_hub.devservices start postgres`: created on
first start, on loopback only, run as Debian's `postgres` user, idempotent like the other
services, and its data kept across a stop (issue 18)."""

import os
import pwd
import shutil
import socket

import psycopg
import pytest

from referral_hub.devservices import postgres, process
from referral_hub.devservices.profiles import profile

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def instance():
    # Under the data dir, not pytest's tmp_path (0700, root's): the server user must reach it.
    data_dir = profile("test").postgres.data_dir.parent / "postgres-lifecycle"
    shutil.rmtree(data_dir, ignore_errors=True)
    made = postgres.PostgresInstance(data_dir=data_dir, port=_free_port(), password="pw-1")
    yield made
    postgres.stop(made)
    shutil.rmtree(made.home, ignore_errors=True)
    shutil.rmtree(data_dir, ignore_errors=True)


def _owner_of(pid: int) -> int:
    return os.stat(f"/proc/{pid}").st_uid


def _connect(instance, password):
    return psycopg.connect(
        host="127.0.0.1",
        port=instance.port,
        user=instance.user,
        password=password,
        dbname=instance.database,
        connect_timeout=5,
        autocommit=True,
    )


def test_start_is_idempotent_and_the_hub_role_signs_in_with_its_password(instance):
    assert postgres.start(instance) is True
    pid = postgres.read_pid(instance)
    assert pid is not None
    assert postgres.start(instance) is False  # already running: nothing started twice
    assert postgres.read_pid(instance) == pid

    with _connect(instance, "pw-1") as conn:
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('listen_addresses', 'server_encoding')"
            ).fetchall()
        )
        assert settings == {
            "listen_addresses": "127.0.0.1",
            "server_encoding": "UTF8",
        }
        # The test runner creates its own databases; the hub's role is no superuser.
        assert conn.execute(
            "SELECT rolcreatedb, rolsuper FROM pg_roles WHERE rolname = 'hub'"
        ).fetchone() == (True, False)

    # Its socket is in its own data dir, which only the server's user may enter.
    assert (instance.socket_dir / f".s.PGSQL.{instance.port}").is_socket()
    assert instance.socket_dir.stat().st_mode & 0o777 == 0o700
    if os.geteuid() == 0:  # PostgreSQL refuses root: Debian's postgres user runs it
        assert instance.cluster_dir.owner() == "postgres"
        assert pwd.getpwuid(_owner_of(pid)).pw_name == "postgres"
    with pytest.raises(
        psycopg.OperationalError, match='password authentication failed for user "hub"'
    ):
        _connect(instance, "wrong")


def test_stop_ends_the_server_and_a_new_start_finds_the_data(instance):
    assert postgres.start(instance) is True
    with _connect(instance, "pw-1") as conn:
        conn.execute("CREATE TABLE kept (n int)")
        conn.execute("INSERT INTO kept VALUES (7)")
    pid = postgres.read_pid(instance)
    assert pid is not None

    assert postgres.stop(instance) is True
    assert not process.is_alive(pid)
    assert postgres.read_pid(instance) is None
    assert postgres.stop(instance) is False  # nothing left to stop

    # A changed password takes effect on the next start; the cluster is not made anew.
    changed = postgres.PostgresInstance(
        data_dir=instance.data_dir, port=instance.port, password="pw-2"
    )
    assert postgres.start(changed) is True
    with _connect(changed, "pw-2") as conn:
        assert conn.execute("SELECT n FROM kept").fetchall() == [(7,)]
