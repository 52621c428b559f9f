"""A backup of the whole hub in one file: the graph and Django's database, as one moment.

The two stores vouch for each other (the audit log in the graph, its signed checkpoints in
Django's database; memberships name organisations in the graph), so they are copied as one
cut. The graph export (graph/backup_repo.py) is read between two bookmarks, and Django's
database is dumped from one snapshot transaction taken between them; if any graph write
committed in that window the bookmarks differ and the copy is thrown away and taken again.
So a finished backup holds a state both stores were in at the same instant — nothing has
to be stopped, but a hub writing without pause never leaves a quiet window (see
docs/backup.md for that case).

The file is gzip-compressed JSON lines: a header, the graph's nodes and relationships, the
Django objects (dumpdata's own serialisation) and a trailer with the counts, a SHA-256 of
every line before it, and an order-free digest of the graph's content that a restore
recomputes from what it wrote to the database.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from graph import backup_repo, migrate
from graph.backup_values import encode_properties
from referral_hub.core import backup_format

FORMAT = "tsunagari-backup/1"
# Re-created by `migrate` on any target (with their own ids), so never copied: the objects
# that point at them are written with natural keys instead.
# Rebuilt by migrate (contenttypes, permissions), or live secrets a backup must not carry:
# signed-in sessions (a session key is a cookie that has passed the second factor) and
# their "where am I signed in" records. A restored hub starts with everyone signed out.
DJANGO_EXCLUDED = ("contenttypes", "auth.permission", "sessions", "usersessions")
_MODULUS = 2**256


class BackupError(Exception):
    """A backup could not be taken, or a file cannot be restored; the message says why."""


def canonical(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def node_record(row: dict[str, Any]) -> dict[str, Any]:
    """A node as the file and the digest hold it (values encoded, labels sorted)."""
    return {
        "id": row["id"],
        "labels": sorted(row["labels"]),
        "props": encode_properties(row["props"]),
    }


def relationship_record(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": row["start"],
        "end": row["end"],
        "type": row["type"],
        "props": encode_properties(row["props"]),
    }


@dataclass
class Tally:
    """Counts per label, type and model, and the graph's order-free digest: the sum of the
    SHA-256 of each record's line, so a load read back in any order gives the same value.
    Hashing the line as written (not a second serialisation) keeps the copy's CPU down."""

    labels: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    models: Counter[str] = field(default_factory=Counter)
    nodes: int = 0
    digest: int = 0

    def node(self, labels: list[str], line: bytes) -> None:
        self.nodes += 1
        self.labels.update(labels)
        self._add(line)

    def relationship(self, type_: str, line: bytes) -> None:
        self.types[type_] += 1
        self._add(line)

    def _add(self, line: bytes) -> None:
        hashed = hashlib.sha256(line).digest()
        self.digest = (self.digest + int.from_bytes(hashed, "big")) % _MODULUS

    def summary(self) -> dict[str, Any]:
        return {
            "labels": dict(sorted(self.labels.items())),
            "types": dict(sorted(self.types.items())),
            "models": dict(sorted(self.models.items())),
            "nodes": self.nodes,
            "graph_digest": f"{self.digest:064x}",
        }


class _Writer:
    """JSON lines into a gzip stream, hashing every line it writes."""

    def __init__(self, stream: gzip.GzipFile) -> None:
        self.stream = stream
        self.sha = hashlib.sha256()

    def line(self, record: dict[str, Any]) -> bytes:
        """Write one record; return its line (without the newline) for the digest."""
        data = canonical(record)
        self.sha.update(data + b"\n")
        self.stream.write(data + b"\n")
        return data


def applied_django_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _private(path: Path) -> BinaryIO:
    """A file only its owner may read, whatever the umask: the backup holds password hashes,
    second-factor secrets and every subject's (wrapped) key."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an older file of the same name kept its own mode
    return os.fdopen(descriptor, "wb")


def _django_snapshot(target: Path) -> None:
    """dumpdata from one snapshot: PostgreSQL's REPEATABLE READ, SQLite's read transaction."""
    backup_format.register()
    outermost = not connection.in_atomic_block  # a snapshot level is set only at BEGIN
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            format=backup_format.NAME,
            output=str(target),
            natural_foreign=True,
            exclude=list(DJANGO_EXCLUDED),
            verbosity=0,
        )


def _attempt(stream: gzip.GzipFile, scratch: Path) -> dict[str, Any] | None:
    """One try at a consistent copy into `stream`; None if the graph changed meanwhile."""
    before = backup_repo.last_bookmark()
    _django_snapshot(scratch)
    writer, tally = _Writer(stream), Tally()
    writer.line(
        {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "graph_migrations": sorted(m.version for m in migrate.discover()),
            "django_migrations": applied_django_migrations(),
        }
    )

    def on_node(row: dict[str, Any]) -> None:
        record = {"k": "n", **node_record(row)}
        tally.node(record["labels"], writer.line(record))

    def on_relationship(row: dict[str, Any]) -> None:
        record = {"k": "r", **relationship_record(row)}
        tally.relationship(record["type"], writer.line(record))

    backup_repo.export(on_node, on_relationship)
    if backup_repo.last_bookmark() != before:
        return None
    with scratch.open("rb") as dumped:
        for raw in dumped:
            obj = json.loads(raw)
            tally.models[obj["model"]] += 1
            writer.line({"k": "d", "o": obj})
    trailer = {"k": "end", **tally.summary(), "sha256": writer.sha.hexdigest()}
    stream.write(canonical(trailer) + b"\n")
    return trailer


def backup(path: Path, *, attempts: int = 3) -> dict[str, Any]:
    """Write a backup of both stores to `path` (atomically: a temporary file renamed at the
    end); return its trailer. Raises BackupError if every attempt met a concurrent write."""
    if backup_repo.half_restored():
        raise BackupError(
            "the graph holds a restore that never finished; run restore_hub --wipe again"
        )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="hub-backup-") as scratch_dir:
        scratch = Path(scratch_dir) / f"django.{backup_format.NAME}"
        for _attempt_number in range(attempts):
            with (
                _private(partial) as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as stream,
            ):
                trailer = _attempt(stream, scratch)
            if trailer is not None:
                partial.replace(path)
                return trailer
    partial.unlink(missing_ok=True)
    raise BackupError(
        f"the graph was written to during each of {attempts} attempts, so no copy is one "
        "moment of both stores; retry when the hub is quieter, or stop its workers and "
        "writers for the backup (docs/backup.md)"
    )
