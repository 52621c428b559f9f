"""Domain errors raised at the repository boundary, so callers never see driver exceptions."""

from __future__ import annotations


class GraphError(Exception):
    """Base class for errors the graph layer raises on purpose."""


class GraphUnavailable(GraphError):
    """The Neo4j server cannot be reached or refused our credentials."""


class MigrationError(GraphError):
    """A schema migration could not be applied."""


class MigrationChecksumMismatch(MigrationError):
    """An already applied migration file was edited afterwards."""

    def __init__(self, version: str, filename: str, recorded: str, actual: str) -> None:
        self.version = version
        self.filename = filename
        self.recorded = recorded
        self.actual = actual
        super().__init__(
            f"migration {filename} was applied with checksum {recorded[:12]}… but the file now "
            f"has {actual[:12]}…; applied migrations must never change — add a new "
            f"V####__*.cypher file instead"
        )


class MissingReferences(GraphError):
    """A write named nodes that do not exist; raised inside the transaction, so nothing is kept.

    `missing` maps the input field to the ids or codes that were not found.
    """

    def __init__(self, missing: dict[str, list[str]]) -> None:
        self.missing = missing
        super().__init__(f"not found: {missing}")


class NotFound(GraphError):
    """The node an update or read names does not exist."""
