"""What the Neo4j server says about itself, for the health check."""

from __future__ import annotations

from typing import Any

from graph import session

_COMPONENTS = """
CALL dbms.components() YIELD name, versions, edition
WHERE name = 'Neo4j Kernel'
RETURN versions[0] AS version, edition
"""


def server_components() -> dict[str, Any]:
    """One statement, not retried: a health check must answer quickly, and a managed
    transaction would retry an unreachable server for up to 30 s."""
    rows = session.autocommit(_COMPONENTS)
    return rows[0] if rows else {"version": None, "edition": None}
