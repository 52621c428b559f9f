"""HSDS files: the export written as one JSON document or as the official tabular
package (a folder of CSV files with its `datapackage.json`); what others publish read from
JSON (tables, or the nested objects of an HSDS API), a CSV folder or an uploaded zip."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import lzma
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from referral_hub.directory.hsds import package
from referral_hub.directory.hsds.ids import canonical_ids
from referral_hub.directory.hsds.nested import flatten
from referral_hub.directory.hsds.package import EXPORTED


class HsdsFileError(ValueError):
    """The file is not HSDS at all (not JSON, no tables or records, wrong shape)."""


class Tables(dict[str, list[dict[str, Any]]]):
    """A file's tables by their singular HSDS name, and the names of what the file held
    that is no HSDS table at all (a README, `notes.csv`), so the report can say so. Its
    ids are canonical from the start (ids.py): whatever reads the tables next — the
    graph lookup of existing ids, the plan — never sees another spelling or a huge id."""

    def __init__(self, tables: Mapping[str, list[dict[str, Any]]], ignored: list[str]) -> None:
        super().__init__(tables)
        canonical_ids(self)
        self.ignored = sorted(ignored)


# An upload is read in memory; these bound what a small zip may unpack to.
UPLOAD_MAX_BYTES = 2 * 1024 * 1024
UNPACKED_MAX_BYTES = 20 * 1024 * 1024
# Records an upload may hold, whatever their size: a tiny zip of one-byte rows would
# otherwise cost gigabytes of dicts. A town's whole directory is a few thousand.
ROWS_MAX = 50_000
# HSDS's widest table has 23 columns; a header far wider is not HSDS.
COLUMNS_MAX = 100
_NOT_A_TABLE = {"datapackage.json"}  # describes the tables; nothing to report
_INTEGERS = {"minimum_age", "maximum_age"}
_FLOATS = {"latitude", "longitude"}


# --- writing ----------------------------------------------------------------------------------


def write(tables: Mapping[str, list[dict[str, Any]]], path: Path) -> None:
    """A `.json` path gets one JSON document; any other path the tabular package: a folder
    of `organizations.csv`, `services.csv`, … in the official column order, and its
    `datapackage.json`."""
    if path.suffix == ".json":
        path.write_text(
            json.dumps(dict(tables), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        return
    path.mkdir(parents=True, exist_ok=True)
    for table in EXPORTED:
        columns = package.columns(table)
        with (path / package.file_name(table)).open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in tables.get(table, []):
                writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
    (path / "datapackage.json").write_text(
        json.dumps(package.descriptor(list(EXPORTED)), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )


# --- reading ----------------------------------------------------------------------------------


def read(path: Path) -> Tables:
    """A JSON file, or a folder of CSV tables (HSDS 3.0's names or the hub's older ones)."""
    if path.is_dir():
        tables: dict[str, list[dict[str, Any]]] = {}
        ignored = []
        for file in sorted(p for p in path.iterdir() if p.is_file()):
            table = package.table_of(file.name) if file.suffix == ".csv" else None
            if table is None:
                if file.name not in _NOT_A_TABLE:
                    ignored.append(file.name)
                continue
            if table in tables:
                raise HsdsFileError(f"{path}: two files hold the {table} table")
            with file.open(encoding="utf-8-sig", newline="") as handle:
                tables[table] = _csv_rows(handle, file.name)
        if not tables:
            raise HsdsFileError(f"{path}: no HSDS tables ({_some_files()}) as CSV files")
        return Tables(tables, ignored)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise HsdsFileError(f"{path}: not a readable JSON file ({exc})") from exc
    return _json_tables(text, str(path))


def read_upload(data: bytes, *, name: str = "upload") -> Tables:
    """An uploaded file: HSDS JSON, or a zip of the CSV tables (at its top level or in
    one folder). Raises HsdsFileError for anything else, or for a zip that unpacks past
    UNPACKED_MAX_BYTES (what a zip says of its sizes is not trusted: reading stops there)."""
    if len(data) > UPLOAD_MAX_BYTES:
        raise HsdsFileError(f"{name}: larger than {UPLOAD_MAX_BYTES // (1024 * 1024)} MiB")
    if data.startswith(b"PK\x03\x04"):
        return _zip_tables(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HsdsFileError(f"{name}: neither a zip of CSV tables nor UTF-8 JSON") from exc
    return _within_rows(_json_tables(text, name), name)


def _some_files() -> str:
    return ", ".join(package.file_name(table) for table in EXPORTED[:4]) + ", …"


def _zip_tables(data: bytes, name: str) -> Tables:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:  # ValueError: a bad name
        raise HsdsFileError(f"{name}: not a readable zip file") from exc
    wanted: dict[str, zipfile.ZipInfo] = {}
    ignored = []
    for member in members:
        parts = member.filename.split("/")
        table = package.table_of(parts[-1]) if parts[-1].endswith(".csv") else None
        if member.is_dir() or parts[-1] in _NOT_A_TABLE:
            continue
        if table is None or len(parts) > 2:
            ignored.append(member.filename)
        elif table in wanted:
            raise HsdsFileError(f"{name}: the {table} table appears twice in the zip")
        else:
            wanted[table] = member
    if not wanted:
        raise HsdsFileError(f"{name}: no HSDS tables ({_some_files()}) as CSV files")
    budget = UNPACKED_MAX_BYTES
    rows_left = ROWS_MAX
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, member in wanted.items():
        raw = _member_bytes(archive, member, budget + 1, name)
        budget -= len(raw)
        if budget < 0:
            raise HsdsFileError(
                f"{name}: unpacks to more than {UNPACKED_MAX_BYTES // (1024 * 1024)} MiB"
            )
        file = member.filename.split("/")[-1]
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise HsdsFileError(f"{name}: {file} is not UTF-8") from exc
        tables[table] = _csv_rows(io.StringIO(text, newline=""), file, limit=rows_left)
        rows_left -= len(tables[table])
        if rows_left < 0:
            raise HsdsFileError(f"{name}: more than {ROWS_MAX} records")
    return _within_rows(Tables(tables, ignored), name)


def _member_bytes(archive: zipfile.ZipFile, member: zipfile.ZipInfo, most: int, name: str) -> bytes:
    try:
        with archive.open(member) as handle:
            return handle.read(most)
    except (
        zipfile.BadZipFile,
        RuntimeError,
        OSError,
        EOFError,
        NotImplementedError,
        zlib.error,
        lzma.LZMAError,
    ) as exc:
        # RuntimeError: an encrypted member; BadZipFile: a bad CRC; NotImplementedError:
        # an unknown method; zlib/lzma: corrupt compressed data.
        file = member.filename.split("/")[-1]
        raise HsdsFileError(f"{name}: {file} cannot be read ({exc})") from exc


def _csv_rows(handle: Any, file: str, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The table's rows, each holding only its non-empty cells (a row of one cell under
    a header of thousands costs one cell, not thousands); with `limit`, reading stops one
    row past it (the caller refuses)."""
    try:
        reader = csv.reader(handle)
        header = next(reader, [])
        if len(header) > COLUMNS_MAX:
            raise HsdsFileError(f"{file}: more than {COLUMNS_MAX} columns")
        rows = []
        for cells in itertools.islice(reader, None if limit is None else limit + 1):
            if len(cells) > len(header):
                raise HsdsFileError(
                    f"{file}: row {reader.line_num} has {len(cells)} cells "
                    f"for {len(header)} columns"
                )
            rows.append(_typed(dict(zip(header, cells, strict=False))))
        return rows
    except csv.Error as exc:
        raise HsdsFileError(f"{file}: not a readable CSV table ({exc})") from exc


def _within_rows(tables: Tables, name: str) -> Tables:
    if sum(len(rows) for rows in tables.values()) > ROWS_MAX:
        raise HsdsFileError(f"{name}: more than {ROWS_MAX} records")
    return tables


def _json_tables(text: str, name: str) -> Tables:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also a 5,000-digit number
        raise HsdsFileError(f"{name}: not a readable JSON file ({exc})") from exc
    # Tables are keyed by name; an HSDS object (which may hold a `funding` list of its
    # own) has an id, and a page of them its `contents`.
    if (
        isinstance(document, dict)
        and not {"id", "contents"} & document.keys()
        and any(package.table_of(key) for key in document)
    ):
        return _tabular_json(document, name)
    try:
        return Tables(flatten(document), [])
    except (ValueError, RecursionError) as exc:  # RecursionError: objects nested past reason
        raise HsdsFileError(f"{name}: {exc}") from exc


def _tabular_json(document: dict[str, Any], name: str) -> Tables:
    """Tables by name: the hub's `organization`, or the official `organizations.csv`."""
    tables: dict[str, list[dict[str, Any]]] = {}
    ignored = []
    for key, rows in document.items():
        table = package.table_of(key)
        if table is None:
            ignored.append(key)
            continue
        if not (isinstance(rows, list) and all(isinstance(r, dict) for r in rows)):
            raise HsdsFileError(f"{name}: table {key} must be a list of objects")
        if table in tables:
            raise HsdsFileError(f"{name}: two keys hold the {table} table")
        tables[table] = rows
    return Tables(tables, ignored)


def _typed(row: Mapping[str, str]) -> dict[str, Any]:
    """CSV cells are text: empty means null (left out); ages are integers and coordinates
    floats."""
    typed: dict[str, Any] = {}
    for column, text in row.items():
        if text == "":
            continue
        value: Any = text
        if column in _INTEGERS | _FLOATS:
            # Left as text when it does not parse: validation names the record.
            with contextlib.suppress(ValueError):
                value = int(value) if column in _INTEGERS else float(value)
        typed[column] = value
    return typed
