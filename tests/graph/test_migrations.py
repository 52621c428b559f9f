"""The migration runner against the real server, in a scope of its own so the app's ledger stays."""

from pathlib import Path

import pytest

from graph import migrate, session
from graph.errors import MigrationChecksumMismatch

INDEX = "CREATE INDEX test_migration_probe IF NOT EXISTS FOR (n:MigrationProbe) ON (n.{prop});\n"


@pytest.fixture
def scratch_scope(neo4j_server, tmp_path):
    scope = f"test-{tmp_path.name}"
    yield scope, tmp_path
    session.autocommit("DROP INDEX test_migration_probe IF EXISTS")
    session.write(
        lambda tx: tx.run(
            "MATCH (m:GraphMigration {scope: $scope}) DELETE m", scope=scope
        ).consume()
    )


def _indexes() -> set[str]:
    rows = session.read(lambda tx: tx.rows("SHOW INDEXES YIELD name RETURN name"))
    return {row["name"] for row in rows}


def test_applies_once_and_second_run_is_a_no_op(scratch_scope):
    scope, folder = scratch_scope
    (folder / "V0001__probe_index.cypher").write_text(INDEX.format(prop="a"))

    assert migrate.migrate(folder, scope=scope) == ["V0001__probe_index.cypher"]
    assert "test_migration_probe" in _indexes()
    assert migrate.migrate(folder, scope=scope) == []
    ledger = session.read(
        lambda tx: tx.rows(
            "MATCH (m:GraphMigration {scope: $scope}) RETURN m.version AS v, m.checksum AS c",
            scope=scope,
        )
    )
    assert [row["v"] for row in ledger] == ["0001"]
    assert len(ledger[0]["c"]) == 64


def test_a_changed_applied_file_is_refused(scratch_scope):
    scope, folder = scratch_scope
    path: Path = folder / "V0001__probe_index.cypher"
    path.write_text(INDEX.format(prop="a"))
    migrate.migrate(folder, scope=scope)

    path.write_text(INDEX.format(prop="b"))
    (folder / "V0002__later.cypher").write_text(
        "CREATE INDEX test_migration_later IF NOT EXISTS FOR (n:MigrationProbe) ON (n.z);\n"
    )
    with pytest.raises(MigrationChecksumMismatch, match=r"V0001__probe_index\.cypher"):
        migrate.migrate(folder, scope=scope)
    # Refused before anything ran: the later file was not applied either.
    assert "test_migration_later" not in _indexes()


def test_app_schema_is_fully_applied(neo4j_server):
    assert migrate.pending_migrations() == []
    assert {"organisation_id", "organisation_kind", "organisation_name"} <= _indexes()


def test_records_made_before_their_record_keys_get_one_and_keep_it(graph_db):
    session.write(
        lambda tx: tx.run(
            "CREATE (:Subject {id: 'old-subject'}), (:Referral {id: 'old-referral'}),"
            " (:Subject {id: 'keyed', cellKey: 7})"
        ).consume()
    )
    assert migrate.migrate() == []  # nothing pending: the backfill runs all the same

    def keys():
        rows = session.read(
            lambda tx: tx.rows(
                "MATCH (n) WHERE n:Subject OR n:Referral RETURN n.id AS id, n.cellKey AS k"
            )
        )
        return {row["id"]: row["k"] for row in rows}

    first = keys()
    assert first["keyed"] == 7  # a key once given never changes
    assert all(isinstance(k, int) and 0 <= k < 256 for k in first.values())
    migrate.migrate()
    assert keys() == first
