"""Restore a backup written by referral_hub/core/backup.py into the graph and Django's database.

The file is read twice. The first pass checks all of it — the trailer is present, the
SHA-256 of its lines, the counts and the graph digest recomputed from the records — and
that this code knows every migration the backup was taken at, before anything is touched:
a truncated or corrupted file changes nothing. The second pass loads: the graph schema
from the graph migrations, nodes and relationships in batches, then Django's objects with
loaddata (SQLite and PostgreSQL alike). Then what the database holds is read back and its
counts and digest compared with the trailer's before the restore's markers are removed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

from graph import backup_repo, migrate
from graph.backup_values import UnknownValue, decode_properties
from referral_hub.core import backup_format, read_your_writes
from referral_hub.core.backup import (
    DJANGO_EXCLUDED,
    FORMAT,
    BackupError,
    Tally,
    canonical,
    node_record,
    relationship_record,
)
from referral_hub.subjects.keys import master_keys

BATCH = 1000


@dataclass(frozen=True)
class Checked:
    header: dict[str, Any]
    trailer: dict[str, Any]
    # The master keys that wrap the subjects' data keys in the file (SubjectKey nodes).
    master_key_ids: frozenset[str] = frozenset()


def _lines(path: Path) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """The file's lines as written and as records; any damage becomes a BackupError."""
    try:
        with gzip.open(path, "rb") as stream:
            for number, raw in enumerate(stream, start=1):
                try:
                    yield raw, json.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise BackupError(f"{path}: line {number} is not JSON ({exc})") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"{path}: not a complete gzip file ({exc})") from None


def check(path: Path) -> Checked:
    """Read the whole file and prove it whole: first pass, no side effects."""
    lines = _lines(path)
    raw, header = next(lines, (b"", None))
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path}: not a {FORMAT} file")
    sha = hashlib.sha256(raw)
    tally, trailer, master_key_ids = Tally(), None, set()
    for raw, record in lines:
        if trailer is not None:
            raise BackupError(f"{path}: lines after the trailer")
        kind = record.get("k")
        if kind == "end":
            trailer = record
            continue
        sha.update(raw)  # the lines as written: any other spelling of them is a change
        if kind == "n":
            tally.node(record["labels"], raw.rstrip(b"\n"))
            if "SubjectKey" in record["labels"]:
                master_key_ids.add(record["props"].get("masterKeyId"))
        elif kind == "r":
            tally.relationship(record["type"], raw.rstrip(b"\n"))
        elif kind == "d":
            tally.models[record["o"]["model"]] += 1
        else:
            raise BackupError(f"{path}: a record of unknown kind {kind!r}")
    if trailer is None:
        raise BackupError(f"{path}: no trailer — the file was cut short")
    if trailer.get("sha256") != sha.hexdigest():
        raise BackupError(f"{path}: checksum mismatch — the file was altered or damaged")
    expected = {key: trailer.get(key) for key in tally.summary()}
    if expected != tally.summary():
        raise BackupError(f"{path}: the counts or digest in its trailer do not match its records")
    return Checked(header=header, trailer=trailer, master_key_ids=frozenset(master_key_ids))


def _without_kind(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "k"}


def check_compatible(header: dict[str, Any]) -> None:
    """Refuse a backup taken by newer code: its data may need a schema this code lacks."""
    known = {m.version for m in migrate.discover()}
    unknown = sorted(set(header["graph_migrations"]) - known)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown += sorted(set(header["django_migrations"]) - on_disk)
    if unknown:
        raise BackupError(
            f"the backup was taken at migrations this code does not have: {', '.join(unknown)}"
        )


def check_master_keys(checked: Checked) -> None:
    """Refuse data this hub could never open: keys wrapped by master keys it lacks."""
    missing = sorted(str(key) for key in checked.master_key_ids - set(master_keys()))
    if missing:
        raise BackupError(
            f"the backup's subject keys are wrapped by master key(s) {', '.join(missing)}, "
            "which HUB_MASTER_KEYS does not hold; add them, or the subjects stay unreadable"
        )


def backed_up_models() -> list[Any]:
    excluded = {label for label in DJANGO_EXCLUDED if "." in label}
    excluded_apps = {label for label in DJANGO_EXCLUDED if "." not in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded
        and model._meta.managed
        and not model._meta.proxy
    ]


def django_counts() -> dict[str, int]:
    counts = {
        model._meta.label_lower: model._default_manager.count() for model in backed_up_models()
    }
    return {label: count for label, count in sorted(counts.items()) if count}


def target_is_empty() -> bool:
    """No data of a hub's own: at most the reference data every new hub is given."""
    return backup_repo.holds_only_reference_data() and not django_counts()


def _load(path: Path, django_file: Path) -> None:
    """Second pass: nodes and relationships in batches; Django's objects to a scratch file."""
    nodes: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    with django_file.open("wb") as django_out:
        for _raw, record in _lines(path):
            kind = record.get("k")
            if kind == "n":
                nodes.append({**_without_kind(record), "props": decode_properties(record["props"])})
                if len(nodes) >= BATCH:
                    backup_repo.load_nodes(nodes)
                    nodes = []
            elif kind == "r":
                if nodes:  # every node precedes every relationship in the file
                    backup_repo.load_nodes(nodes)
                    nodes = []
                relationships.append(
                    {**_without_kind(record), "props": decode_properties(record["props"])}
                )
                if len(relationships) >= BATCH:
                    backup_repo.load_relationships(relationships)
                    relationships = []
            elif kind == "d":
                django_out.write(json.dumps(record["o"], ensure_ascii=False).encode() + b"\n")
    if nodes:
        backup_repo.load_nodes(nodes)
    if relationships:
        backup_repo.load_relationships(relationships)


def _read_back() -> dict[str, Any]:
    tally = Tally()

    def on_node(row: dict[str, Any]) -> None:
        props = {key: value for key, value in row["props"].items() if key != "_bk"}
        record = {"k": "n", **node_record({**row, "props": props})}
        tally.node(record["labels"], canonical(record))

    def on_relationship(row: dict[str, Any]) -> None:
        record = {"k": "r", **relationship_record(row)}
        tally.relationship(record["type"], canonical(record))

    backup_repo.read_back(on_node, on_relationship)
    tally.models.update(django_counts())
    return tally.summary()


def _difference(name: str, found: Any, expected: Any) -> str:
    """What differs, by name where the values are counts per name."""
    if found == expected:
        return ""
    if isinstance(found, dict) and isinstance(expected, dict):
        names = sorted(k for k in found.keys() | expected.keys() if found.get(k) != expected.get(k))
        shown = ", ".join(f"{k} {found.get(k, 0)} not {expected.get(k, 0)}" for k in names[:5])
        return f"{name} ({shown})"
    return name


def _verify_loaded(trailer: dict[str, Any]) -> None:
    loaded = _read_back()
    stored = backup_repo.counts()
    differences = [_difference(key, loaded[key], trailer[key]) for key in loaded]
    differences += [
        _difference(f"stored {key}", stored[key], trailer[key]) for key in ("labels", "types")
    ]
    differences = [text for text in differences if text]
    if differences:
        raise BackupError(
            f"the restored stores differ from the backup in: {', '.join(differences)}; "
            "the target is half restored — run the restore again with --wipe"
        )


def restore(path: Path, *, wipe: bool = False) -> dict[str, Any]:
    """Restore `path` into both stores; return the trailer (what was restored)."""
    checked = check(path)
    check_compatible(checked.header)
    check_master_keys(checked)
    if not wipe and not target_is_empty():
        raise BackupError(
            "the target graph or database is not empty; restoring would mix two hubs. "
            "Pass --wipe to delete what it holds first"
        )
    if not backup_repo.is_empty():  # with --wipe, or only reference data the file brings too
        backup_repo.wipe()
    if django_counts():
        call_command("flush", interactive=False, verbosity=0)
    migrate.migrate()  # the schema (constraints, indexes) before the data
    backup_repo.load_begin()
    with tempfile.TemporaryDirectory(prefix="hub-restore-") as scratch:
        django_file = Path(scratch) / f"django.{backup_format.NAME}"
        try:
            _load(path, django_file)
        except UnknownValue as exc:
            raise BackupError(str(exc)) from None
        backup_format.register()
        call_command("loaddata", str(django_file), verbosity=0)
    _verify_loaded(checked.trailer)
    backup_repo.load_finish()
    migrate.backfill()  # data an older backup's records lack, given as `migrate` gives it
    # Sessions are not in a backup (everyone signs in again); tokens' kept bookmarks name
    # transactions of the database that was replaced.
    read_your_writes.forget_every_token()
    return checked.trailer
