"""The graph half of a backup: a logical export and a batched load, on Neo4j Community.

Community has no online `neo4j-admin database backup`, so the export is Cypher: every node
(labels, properties, its element id) and every relationship (type, properties, the element
ids of its ends), streamed from one read transaction in the driver's fetch pages, so
memory stays bounded on a store of millions of nodes. The migration ledger stays out: the
target's own migrations make the schema and record themselves.

The load gives each node a temporary label and its old element id (`_Restore._bk`, with an
index) so relationships find their ends; both are removed once the load is checked.
Labels and types are given as parameters through Cypher 5.26's dynamic labels
(`CREATE (n:$(row.labels))`), so every statement here is still a literal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, LiteralString

import neo4j
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from graph import driver, session
from graph.errors import GraphUnavailable

# Each row is handed to a callback as it arrives, so nothing holds the whole store.
RowSink = Callable[[dict[str, Any]], None]

_NODES: LiteralString = """
MATCH (n) WHERE NOT n:GraphMigration
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props
"""
_RELATIONSHIPS: LiteralString = """
MATCH (a)-[r]->(b) WHERE NOT a:GraphMigration AND NOT b:GraphMigration
RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, properties(r) AS props
"""


@contextmanager
def _reported() -> Iterator[None]:
    """A server lost mid-copy is the graph being unavailable, as everywhere in the hub."""
    try:
        yield
    except (ServiceUnavailable, SessionExpired) as exc:
        raise GraphUnavailable(str(exc)) from exc


def last_bookmark() -> str:
    """The bookmark of the newest committed transaction, as a read sees it: equal before and
    after an export exactly when no write committed in between."""
    with (
        _reported(),
        driver.get_driver().session(
            database=driver.database(), default_access_mode=neo4j.READ_ACCESS
        ) as neo_session,
    ):
        neo_session.execute_read(lambda tx: tx.run("RETURN 1").consume())
        return ",".join(sorted(neo_session.last_bookmarks().raw_values))


def export(on_node: RowSink, on_relationship: RowSink) -> None:
    """Stream every node, then every relationship, from one read transaction. Never retried
    here: a half-written file is thrown away and the export started again by the caller."""
    _stream(_NODES, _RELATIONSHIPS, on_node, on_relationship)


def _stream(
    nodes: LiteralString, relationships: LiteralString, on_node: RowSink, on_relationship: RowSink
) -> None:
    """Both statements' rows, in pages of 2,000, from one read transaction (one moment)."""
    with (
        _reported(),
        driver.get_driver().session(
            database=driver.database(), default_access_mode=neo4j.READ_ACCESS, fetch_size=2000
        ) as neo_session,
        # No timeout of ours: a national store takes minutes; the server's own limit holds.
        neo_session.begin_transaction() as tx,
    ):
        for record in tx.run(nodes):
            on_node(record.data())
        for record in tx.run(relationships):
            on_relationship(record.data())
        tx.commit()


_COUNT_NODES: LiteralString = """
CALL db.labels() YIELD label WHERE label <> 'GraphMigration' AND label <> '_Restore'
CALL (label) { MATCH (n:$(label)) RETURN count(n) AS count }
RETURN label AS name, count
"""
_COUNT_ALL: LiteralString = """
MATCH (n) WHERE NOT n:GraphMigration RETURN count(n) AS count
"""
_COUNT_RELATIONSHIPS: LiteralString = """
CALL db.relationshipTypes() YIELD relationshipType AS type
CALL (type) { MATCH ()-[r:$(type)]->() RETURN count(r) AS count }
RETURN type AS name, count
"""


def counts() -> dict[str, dict[str, int]]:
    """Nodes per label and relationships per type (from the count store), and all nodes."""

    def work(tx: session.Tx) -> dict[str, dict[str, int]]:
        labels = {row["name"]: row["count"] for row in tx.rows(_COUNT_NODES) if row["count"]}
        types = {row["name"]: row["count"] for row in tx.rows(_COUNT_RELATIONSHIPS) if row["count"]}
        total = tx.single(_COUNT_ALL)
        return {"labels": labels, "types": types, "nodes": {"all": total["count"] if total else 0}}

    return session.read(work)


def is_empty() -> bool:
    return counts()["nodes"]["all"] == 0


# What `graph_migrate` gives every new hub (reference_repo.py): areas, tags and their
# checksums. A target holding only these is a fresh hub, and a backup brings its own.
_BEYOND_REFERENCE_DATA: LiteralString = """
MATCH (n) WHERE NOT (n:GraphMigration OR n:Area OR n:Tag OR n:ReferenceData)
RETURN count(n) > 0 AS found LIMIT 1
"""


def holds_only_reference_data() -> bool:
    row = session.read(lambda tx: tx.single(_BEYOND_REFERENCE_DATA))
    return not (row and row["found"])


_WIPE: LiteralString = """
MATCH (n) WHERE NOT n:GraphMigration
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
"""


def wipe() -> None:
    """Delete everything but the migration ledger (the schema stays)."""
    session.autocommit(_WIPE)


_RESTORE_INDEX: LiteralString = (
    "CREATE INDEX hub_restore_bk IF NOT EXISTS FOR (n:_Restore) ON (n._bk)"
)
_AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(600)"
_DROP_RESTORE_INDEX: LiteralString = "DROP INDEX hub_restore_bk IF EXISTS"

_LOAD_NODES: LiteralString = """
UNWIND $rows AS row
CREATE (n:$(row.labels + ['_Restore']))
SET n = row.props, n._bk = row.id
"""
_LOAD_RELATIONSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (a:_Restore {_bk: row.start})
MATCH (b:_Restore {_bk: row.end})
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
"""


def load_begin() -> None:
    session.autocommit(_RESTORE_INDEX)
    session.autocommit(_AWAIT_INDEXES)


def load_nodes(rows: Iterable[dict[str, Any]]) -> None:
    """One batch of nodes ({id, labels, props} with decoded values) in one transaction,
    never retried: a failed restore is started again with the wipe."""
    batch = list(rows)
    session.write_once(lambda tx: tx.run(_LOAD_NODES, rows=batch).consume())


def load_relationships(rows: Iterable[dict[str, Any]]) -> None:
    batch = list(rows)
    session.write_once(lambda tx: tx.run(_LOAD_RELATIONSHIPS, rows=batch).consume())


_READ_BACK_NODES: LiteralString = """
MATCH (n:_Restore)
RETURN n._bk AS id, [l IN labels(n) WHERE l <> '_Restore'] AS labels,
       properties(n) AS props
"""
_READ_BACK_RELATIONSHIPS: LiteralString = """
MATCH (a:_Restore)-[r]->(b:_Restore)
RETURN a._bk AS start, b._bk AS end, type(r) AS type, properties(r) AS props
"""


def read_back(on_node: RowSink, on_relationship: RowSink) -> None:
    """Stream what a load wrote, in the export's shape (the old element ids from `_bk`,
    which the caller drops from the properties), to check it against the file."""
    _stream(_READ_BACK_NODES, _READ_BACK_RELATIONSHIPS, on_node, on_relationship)


_LOAD_FINISH: LiteralString = """
MATCH (n:_Restore)
CALL (n) { REMOVE n:_Restore, n._bk } IN TRANSACTIONS OF 10000 ROWS
"""


_HALF_RESTORED: LiteralString = "MATCH (n:_Restore) RETURN count(n) > 0 AS found"


def half_restored() -> bool:
    """Whether a restore stopped before removing its markers (the graph is half loaded)."""
    row = session.read(lambda tx: tx.single(_HALF_RESTORED))
    return bool(row and row["found"])


def load_finish() -> None:
    session.autocommit(_LOAD_FINISH)
    session.autocommit(_DROP_RESTORE_INDEX)
