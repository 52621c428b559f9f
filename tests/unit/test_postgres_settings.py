"""Which Django database the tests use: the SQLite file, or with DATABASE_URL naming a
PostgreSQL server, a database of the test profile's own on it (make test-postgres)."""

import hashlib
import os
from pathlib import Path

import pytest

from referral_hub.devservices import postgres

URL = "postgres://hub:s%40cret@127.0.0.1:5441/hub"


def test_a_profile_gets_its_own_database_on_the_named_server(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", URL)
    database = postgres.test_database("test")
    assert database is not None
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["USER"]) == ("127.0.0.1", 5441, "hub")
    assert database["PASSWORD"] == "s@cret"
    # The worker (NAME) and pytest-django's test database (TEST.NAME) are one database.
    assert database["NAME"] == database["TEST"]["NAME"] == "hub_test"
    # Threads of the live server would keep connections open and block the final DROP.
    assert database["CONN_MAX_AGE"] == 0
    faults = postgres.test_database("faults")
    assert faults is not None
    assert faults["NAME"] == faults["TEST"]["NAME"] == "hub_faults"


@pytest.mark.parametrize("url", [None, "", "sqlite:////tmp/x.sqlite3"])
def test_without_a_postgres_url_the_tests_keep_their_sqlite_file(monkeypatch, url):
    if url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", url)
    assert postgres.test_database("test") is None


def test_a_database_name_that_is_no_plain_identifier_is_refused():
    with pytest.raises(ValueError, match="unusable test database name 'hub-x_test'"):
        postgres.profile_database({"NAME": "hub-x"}, "test")
    assert postgres.profile_database({"NAME": "hub_x"}, "test")["NAME"] == "hub_x_test"


def test_the_url_a_profile_prints_quotes_its_password():
    # Not made yet, under /: every user passes through.
    data_dir = Path("/hub-data-not-made/test/postgres")
    instance = postgres.PostgresInstance(data_dir=data_dir, port=5441, password="a b/@c")
    assert instance.url == "postgres://hub:a%20b%2F%40c@127.0.0.1:5441/hub"
    assert instance.home == data_dir
    assert instance.socket_dir == data_dir / "socket"
    assert instance.pid_file == data_dir / "cluster" / "postmaster.pid"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the cluster to another user")
def test_a_data_dir_the_server_user_cannot_reach_moves_to_its_home(tmp_path):
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    instance = postgres.PostgresInstance(data_dir=closed / "postgres", port=5441)
    digest = hashlib.sha256(str(closed / "postgres").encode()).hexdigest()[:12]
    assert instance.home == Path("/var/lib/postgresql") / f"tsunagari-{digest}"
    assert instance.cluster_dir == instance.home / "cluster"
    assert instance.socket_dir == instance.home / "socket"
