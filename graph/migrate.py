"""Numbered, checksummed schema migrations kept in `graph/migrations/`.

Files are named `V0001__what_it_does.cypher` and hold statements ended by `;`.
Each applied file is recorded as a `(:GraphMigration)` node with its checksum, so
a second run is a no-op and an applied file that was edited afterwards is refused.
Schema statements run one per transaction because Neo4j does not mix schema and
data changes in one transaction; the record is written only after all of a file's
statements succeeded, and every statement must be idempotent (`IF NOT EXISTS`) so
a file interrupted half-way can simply be run again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import LiteralString

import neo4j

from graph import driver, session
from graph.errors import MigrationChecksumMismatch, MigrationError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_FILENAME = re.compile(r"^V(?P<version>\d{4})__(?P<description>[a-z0-9_]+)\.cypher$")

_LEDGER_CONSTRAINT = (
    "CREATE CONSTRAINT graph_migration_key IF NOT EXISTS "
    "FOR (m:GraphMigration) REQUIRE m.key IS UNIQUE"
)
_APPLIED = """
MATCH (m:GraphMigration {scope: $scope})
RETURN m.version AS version, m.checksum AS checksum
"""
_RECORD = """
MERGE (m:GraphMigration {key: $scope + ':' + $version})
ON CREATE SET m.scope = $scope, m.version = $version, m.description = $description,
              m.filename = $filename, m.checksum = $checksum, m.appliedAt = datetime()
"""


@dataclass(frozen=True)
class Migration:
    version: str
    description: str
    path: Path
    checksum: str
    statements: tuple[str, ...]


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.cypher")):
        match = _FILENAME.match(path.name)
        if match is None:
            raise MigrationError(
                f"{path.name}: migration files must be named V0001__lower_snake_case.cypher"
            )
        text = path.read_text(encoding="utf-8")
        migrations.append(
            Migration(
                version=match["version"],
                description=match["description"],
                path=path,
                checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                statements=split_statements(text),
            )
        )
    versions = [m.version for m in migrations]
    if len(versions) != len(set(versions)):
        raise MigrationError(f"two migration files share a version number in {directory}")
    return migrations


def split_statements(text: str) -> tuple[str, ...]:
    """Split a file on `;` at line ends, dropping `//` comment lines and blanks."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    chunks = ("\n".join(lines) + "\n").split(";\n")
    return tuple(chunk.strip() for chunk in chunks if chunk.strip())


# Data every record must have, given to records made before the code gave it: idempotent
# (only where missing), batched, run after the schema migrations on every `migrate`. Kept
# out of the migration files, which hold schema statements only.
_BACKFILLS: tuple[LiteralString, ...] = (
    # Record keys of the cell-key method (referral_hub/pathways/disclosure.py).
    """
    MATCH (n) WHERE (n:Referral OR n:Subject) AND n.cellKey IS NULL
    CALL (n) { SET n.cellKey = toInteger(rand() * 256) } IN TRANSACTIONS OF 5000 ROWS
    """,
    # Events written on a subject's own chain before writer chains (issue 17) join the
    # subject's history through a mention, as new events do; the events stay untouched.
    """
    MATCH (e:AuditEvent) WHERE e.chain STARTS WITH 'subject:'
      AND NOT EXISTS { (e)-[:MENTIONS]->(:AuditMention) }
    CALL (e) {
      CREATE (e)-[:MENTIONS]->(:AuditMention {subject: substring(e.chain, 8), at: e.at})
    } IN TRANSACTIONS OF 5000 ROWS
    """,
)


def backfill() -> None:
    for statement in _BACKFILLS:
        session.autocommit(statement)


def migrate(directory: Path = MIGRATIONS_DIR, *, scope: str = "main") -> list[str]:
    """Apply pending migrations in order, then the backfills; return the filenames
    applied by this call."""
    driver.verify()
    session.autocommit(_LEDGER_CONSTRAINT)
    pending = pending_migrations(directory, scope=scope)
    for migration in pending:
        for statement in migration.statements:
            _run_schema_statement(statement)

        def record(tx: session.Tx, m: Migration = migration) -> neo4j.ResultSummary:
            return tx.run(
                _RECORD,
                scope=scope,
                version=m.version,
                description=m.description,
                filename=m.path.name,
                checksum=m.checksum,
            ).consume()

        session.write(record)
    if scope == "main":
        backfill()
    return [migration.path.name for migration in pending]


def pending_migrations(directory: Path = MIGRATIONS_DIR, *, scope: str = "main") -> list[Migration]:
    """The migrations not yet applied; refuses if an applied one has changed."""
    applied = {
        row["version"]: row["checksum"]
        for row in session.read(lambda tx: tx.rows(_APPLIED, scope=scope))
    }
    pending = []
    for migration in discover(directory):
        recorded = applied.get(migration.version)
        if recorded is None:
            pending.append(migration)
        elif recorded != migration.checksum:
            raise MigrationChecksumMismatch(
                migration.version, migration.path.name, recorded, migration.checksum
            )
    return pending


def _run_schema_statement(statement: str) -> None:
    # Migration files are source files reviewed with the code, never user input; schema
    # commands accept no parameters, so this is the one place Cypher text is not a literal.
    with driver.get_driver().session(database=driver.database()) as neo_session:
        neo_session.run(statement).consume()
