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
    row = session.read(lambda tx: tx.single(_COMPONENTS))
    return row or {"version": None, "edition": None}
