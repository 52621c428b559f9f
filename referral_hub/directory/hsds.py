"""Open Referral HSDS 3.0 interchange for the directory: pure mapping both ways.

The directory maps one-to-one onto HSDS tables: Organisation → organization,
Service → service, Location → location (+ address), service–location links →
service_at_location, Tag → taxonomy_term, and tags on services → attribute. What
HSDS has no column for (organisation kind, JIS area code, service mode, capacity,
response target, partnerships, English tag labels) travels as `attribute` rows
pointing at taxonomy terms of our own `tsunagari:*` taxonomies, which is how HSDS
expects extensions. Every id we make is a UUID5 of what it names, so exporting the
same directory twice gives the same file, and importing it again changes nothing.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import lzma
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from referral_hub.directory.rules import (
    CapacityStatus,
    OrganisationKind,
    ServiceMode,
    TagKind,
    is_valid_area_code,
    prefecture_code_of,
)

_NS = uuid.UUID("0c7d0f4e-8d43-4c52-9a55-3b0f9c8d2e61")

TABLES: dict[str, list[str]] = {
    "organization": [
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "uri",
        "parent_organization_id",
    ],
    "service": [
        "id",
        "organization_id",
        "program_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "minimum_age",
        "maximum_age",
    ],
    "location": [
        "id",
        "location_type",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "latitude",
        "longitude",
    ],
    "address": [
        "id",
        "location_id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "phone": [
        "id",
        "organization_id",
        "location_id",
        "service_id",
        "number",
        "type",
        "description",
    ],
    "service_at_location": ["id", "service_id", "location_id", "description"],
    "taxonomy_term": [
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "language",
        "term_uri",
    ],
    "attribute": [
        "id",
        "link_id",
        "link_type",
        "link_entity",
        "taxonomy_term_id",
        "value",
    ],
}
_INTEGERS = {"minimum_age", "maximum_age"}
_FLOATS = {"latitude", "longitude"}

# Our extension taxonomies. Enumerated ones have a term per value; the others a single
# term whose attribute carries a value.
_ENUMS: dict[str, type[StrEnum]] = {
    "organisation_kind": OrganisationKind,
    "service_mode": ServiceMode,
    "capacity_status": CapacityStatus,
}
_VALUES = (
    "area_code",
    "accepts_referrals",
    "response_target_hours",
    "schedule",
    "languages",
    "partner",
    "label_en",
    "stigma_sensitive",
    "active",
)
_TAG_TAXONOMY = "tsunagari:tag:"


def _id(*parts: object) -> str:
    return str(uuid.uuid5(_NS, ":".join(str(p) for p in parts)))


def _term(code: str) -> dict[str, Any]:
    taxonomy = "tsunagari:" + code.split(":")[0]
    return {
        "id": _id("term", code),
        "code": f"tsunagari:{code}",
        "name": code,
        # HSDS requires a description; these are the hub's own private attributes.
        "description": f"Tsunagari Referral Hub private attribute: {code}",
        "parent_id": None,
        "taxonomy": taxonomy,
        "language": "en",
        "term_uri": None,
    }


EXTENSION_TERMS: dict[str, dict[str, Any]] = {
    **{
        f"{name}:{member.value}": _term(f"{name}:{member.value}")
        for name, enum in _ENUMS.items()
        for member in enum
    },
    **{name: _term(name) for name in _VALUES},
}
_EXTENSION_BY_ID = {term["id"]: code for code, term in EXTENSION_TERMS.items()}


def tag_term_id(code: str) -> str:
    return _id("tag", code)


# --- export -----------------------------------------------------------------------------------


def to_hsds(
    snapshot: Mapping[str, list[dict[str, Any]]], *, area_names: Mapping[str, str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Directory rows (graph/snapshot_repo.py) → HSDS tables, every table sorted by id.
    `area_names` (JIS code → name) fill each address's city and state_province."""
    export = _Export(area_names or {})
    for tag in snapshot["tags"]:
        export.tag(tag)
    for org in snapshot["organisations"]:
        export.organisation(org)
    for partnership in snapshot["partnerships"]:
        export.partnership(partnership)
    for loc in snapshot["locations"]:
        export.location(loc)
    for svc in snapshot["services"]:
        export.service(svc)
    return export.sorted_tables()


class _Export:
    """to_hsds's tables as they fill, one method per kind of directory row."""

    def __init__(self, area_names: Mapping[str, str]) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.used_terms: dict[str, dict[str, Any]] = {}
        self.area_names = area_names

    def attribute(
        self, entity: str, link_id: str, term: str | dict[str, Any], value: str | None = None
    ) -> None:
        term_row = EXTENSION_TERMS[term] if isinstance(term, str) else term
        self.used_terms[term_row["id"]] = term_row
        self.tables["attribute"].append(
            {
                "id": _id("attribute", entity, link_id, term_row["id"], value),
                "link_id": link_id,
                "link_type": None,
                "link_entity": entity,
                "taxonomy_term_id": term_row["id"],
                "value": value,
            }
        )

    def tag(self, tag: Mapping[str, Any]) -> None:
        term = {
            "id": tag_term_id(tag["code"]),
            "code": tag["code"],
            "name": tag["label_ja"],
            "description": tag["description"] or "",  # required by HSDS; none written yet
            "parent_id": None,
            "taxonomy": _TAG_TAXONOMY + tag["kind"],
            "language": "ja",
            "term_uri": None,
        }
        self.used_terms[term["id"]] = term
        self.attribute("taxonomy_term", term["id"], "label_en", tag["label_en"])
        self.attribute(
            "taxonomy_term", term["id"], "stigma_sensitive", _flag(tag["stigma_sensitive"])
        )

    def organisation(self, org: Mapping[str, Any]) -> None:
        self.tables["organization"].append(
            _row(
                "organization",
                {
                    "id": org["id"],
                    "name": org["name"],
                    "description": org["description"] or "",  # required by HSDS
                    "email": org["email"],
                    "website": org["website"],
                },
            )
        )
        self.attribute("organization", org["id"], f"organisation_kind:{org['kind']}")
        if org["area_code"]:
            self.attribute("organization", org["id"], "area_code", org["area_code"])
        if not org["active"]:
            self.attribute("organization", org["id"], "active", "false")
        if org["phone"]:
            self.tables["phone"].append(
                _row(
                    "phone",
                    {
                        "id": _id("phone", org["id"]),
                        "organization_id": org["id"],
                        "number": org["phone"],
                        "type": "voice",
                    },
                )
            )

    def partnership(self, partnership: Mapping[str, Any]) -> None:
        self.attribute(
            "organization",
            partnership["a"],
            "partner",
            json.dumps(
                {
                    "partner": partnership["b"],
                    "since": partnership["since"],
                    "sharesData": partnership["shares_data"],
                },
                sort_keys=True,
            ),
        )

    def location(self, loc: Mapping[str, Any]) -> None:
        self.tables["location"].append(
            _row(
                "location",
                {
                    "id": loc["id"],
                    "location_type": "physical",
                    "organization_id": loc["organisation_id"],
                    "name": loc["name"],
                    "latitude": loc["latitude"],
                    "longitude": loc["longitude"],
                },
            )
        )
        if loc["address"] or loc["postal_code"]:
            # HSDS requires each of these; what the hub does not know is left empty.
            self.tables["address"].append(
                _row(
                    "address",
                    {
                        "id": _id("address", loc["id"]),
                        "location_id": loc["id"],
                        "address_1": loc["address"] or "",
                        "city": self.area_names.get(loc["area_code"], ""),
                        "state_province": self.area_names.get(
                            prefecture_code_of(loc["area_code"]), ""
                        ),
                        "postal_code": loc["postal_code"] or "",
                        "country": "JP",
                        "address_type": "physical",
                    },
                )
            )
        self.attribute("location", loc["id"], "area_code", loc["area_code"])
        if not loc["active"]:
            self.attribute("location", loc["id"], "active", "false")

    def service(self, svc: Mapping[str, Any]) -> None:
        self.tables["service"].append(
            _row(
                "service",
                {
                    "id": svc["id"],
                    "organization_id": svc["organisation_id"],
                    "name": svc["name"],
                    "description": svc["description"],
                    "status": "active" if svc["active"] else "inactive",
                    "minimum_age": svc["age_min"],
                    "maximum_age": svc["age_max"],
                },
            )
        )
        self.service_attributes(svc)
        for location_id in svc["location_ids"]:
            self.tables["service_at_location"].append(
                _row(
                    "service_at_location",
                    {
                        "id": _id("service_at_location", svc["id"], location_id),
                        "service_id": svc["id"],
                        "location_id": location_id,
                    },
                )
            )

    def service_attributes(self, svc: Mapping[str, Any]) -> None:
        svc_id = svc["id"]
        self.attribute("service", svc_id, f"service_mode:{svc['mode']}")
        self.attribute("service", svc_id, f"capacity_status:{svc['capacity_status']}")
        self.attribute("service", svc_id, "accepts_referrals", _flag(svc["accepts_referrals"]))
        self.attribute(
            "service", svc_id, "response_target_hours", str(svc["response_target_hours"])
        )
        self.attribute("service", svc_id, "languages", ",".join(svc["languages"] or []))
        if svc["schedule"]:
            self.attribute("service", svc_id, "schedule", svc["schedule"])
        for code in svc["tags"]:
            self.attribute("service", svc_id, self.used_terms[tag_term_id(code)])

    def sorted_tables(self) -> dict[str, list[dict[str, Any]]]:
        self.tables["taxonomy_term"] = list(self.used_terms.values())
        return {name: sorted(rows, key=lambda row: row["id"]) for name, rows in self.tables.items()}


def _row(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    return {column: values.get(column) for column in TABLES[table]}


def _flag(value: bool) -> str:
    return "true" if value else "false"


# --- files ------------------------------------------------------------------------------------


def write(tables: Mapping[str, list[dict[str, Any]]], path: Path) -> None:
    """A `.json` path gets one JSON document; any other path a folder of `<table>.csv`."""
    if path.suffix == ".json":
        # HSDS leaves an unknown field out rather than null (its schemas type them).
        present = {
            name: [{k: v for k, v in row.items() if v is not None} for row in rows]
            for name, rows in tables.items()
        }
        path.write_text(
            json.dumps(present, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, columns in TABLES.items():
        with (path / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in tables.get(name, []):
                writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})


class HsdsFileError(ValueError):
    """The file is not an HSDS export at all (not JSON, missing tables, wrong shape)."""


def read(path: Path) -> dict[str, list[dict[str, Any]]]:
    if path.is_dir():
        tables: dict[str, list[dict[str, Any]]] = {}
        for name in TABLES:
            file = path / f"{name}.csv"
            if file.exists():
                with file.open(encoding="utf-8-sig", newline="") as handle:
                    tables[name] = _csv_rows(handle)
        if not tables:
            raise HsdsFileError(f"{path}: no HSDS tables ({', '.join(TABLES)}) as CSV files")
        return tables
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HsdsFileError(f"{path}: not a readable JSON file ({exc})") from exc
    return _json_tables(text, str(path))


# An upload is read in memory; these bound what a small zip may unpack to.
UPLOAD_MAX_BYTES = 2 * 1024 * 1024
UNPACKED_MAX_BYTES = 20 * 1024 * 1024
# Records an upload may hold, whatever their size: a tiny zip of one-byte rows would
# otherwise cost gigabytes of dicts. A town's whole directory is a few thousand.
ROWS_MAX = 50_000


def read_upload(data: bytes, *, name: str = "upload") -> dict[str, list[dict[str, Any]]]:
    """An uploaded export: HSDS JSON, or a zip of the CSV tables (at its top level or in
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


def _zip_tables(data: bytes, name: str) -> dict[str, list[dict[str, Any]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:  # ValueError: a bad name
        raise HsdsFileError(f"{name}: not a readable zip file") from exc
    wanted: dict[str, zipfile.ZipInfo] = {}
    for member in members:
        parts = member.filename.split("/")
        table = parts[-1].removesuffix(".csv")
        if len(parts) <= 2 and parts[-1].endswith(".csv") and table in TABLES:
            if table in wanted:
                raise HsdsFileError(f"{name}: {table}.csv appears twice in the zip")
            wanted[table] = member
    if not wanted:
        raise HsdsFileError(f"{name}: no HSDS tables ({', '.join(TABLES)}) as CSV files")
    budget = UNPACKED_MAX_BYTES
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, member in wanted.items():
        try:
            with archive.open(member) as handle:
                raw = handle.read(budget + 1)
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
            raise HsdsFileError(f"{name}: {table}.csv cannot be read ({exc})") from exc
        budget -= len(raw)
        if budget < 0:
            raise HsdsFileError(
                f"{name}: unpacks to more than {UNPACKED_MAX_BYTES // (1024 * 1024)} MiB"
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise HsdsFileError(f"{name}: {table}.csv is not UTF-8") from exc
        tables[table] = _csv_rows(io.StringIO(text, newline=""), limit=ROWS_MAX)
    return _within_rows(tables, name)


def _csv_rows(handle: Any, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The table's rows; with `limit`, reading stops one row past it (the caller refuses)."""
    try:
        rows = csv.DictReader(handle)
        return [_typed(row) for row in itertools.islice(rows, None if limit is None else limit + 1)]
    except csv.Error as exc:
        raise HsdsFileError(f"not a readable CSV table ({exc})") from exc


def _within_rows(
    tables: dict[str, list[dict[str, Any]]], name: str
) -> dict[str, list[dict[str, Any]]]:
    if sum(len(rows) for rows in tables.values()) > ROWS_MAX:
        raise HsdsFileError(f"{name}: more than {ROWS_MAX} records")
    return tables


def _json_tables(text: str, name: str) -> dict[str, list[dict[str, Any]]]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also a 5,000-digit number
        raise HsdsFileError(f"{name}: not a readable JSON file ({exc})") from exc
    if not isinstance(document, dict) or not any(table in document for table in TABLES):
        raise HsdsFileError(f"{name}: expected an object with HSDS tables ({', '.join(TABLES)})")
    for table, rows in document.items():
        if table in TABLES and not (
            isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
        ):
            raise HsdsFileError(f"{name}: table {table} must be a list of objects")
    return {table: document.get(table, []) for table in TABLES if table in document}


def _typed(row: Mapping[str, str | None]) -> dict[str, Any]:
    """CSV cells are text: empty means null; ages are integers and coordinates floats."""
    typed: dict[str, Any] = {}
    for column, text in row.items():
        value: Any = None if text in (None, "") else text
        if value is not None and column in _INTEGERS | _FLOATS:
            # Left as text when it does not parse: validation names the record.
            with contextlib.suppress(ValueError):
                value = int(value) if column in _INTEGERS else float(value)
        typed[column] = value
    return typed


# --- import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    table: str
    record_id: str | None
    row: int
    message: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row} (id {self.record_id or '?'}): {self.message}"


@dataclass
class Extension:
    """What a record's attributes say in our own taxonomies."""

    # A file's attribute value is whatever it holds: usually text, but JSON may give any
    # value (or none), which the checks below refuse.
    values: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    partners: list[Any] = field(default_factory=list)


@dataclass
class ImportPlan:
    tags: list[dict[str, Any]] = field(default_factory=list)
    organisations: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    partnerships: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            name: len(getattr(self, name))
            for name in ("tags", "organisations", "locations", "services", "partnerships")
        }


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def plan_import(
    tables: Mapping[str, list[dict[str, Any]]],
    *,
    known_area_codes: Iterable[str],
    existing: Mapping[str, set[str]] | None = None,
) -> ImportPlan:
    """Validate every record and turn the valid ones into upsert rows.

    A record that refers to an invalid record is itself invalid (a service of a bad
    organisation, say), so `--skip-invalid` never writes a dangling half.
    `existing` holds ids already in the graph that records may refer to. The tables are
    read in the order their references need (the steps below), which is also the order
    problems are reported in.
    """
    planner = _Planner(tables, frozenset(known_area_codes), existing or {})
    planner.terms_and_attributes()
    planner.tags()
    planner.organisations()
    planner.partnerships()
    planner.locations()
    planner.services()
    return planner.plan


class _Planner:
    """plan_import's steps and what they learn for the next (ids known so far)."""

    def __init__(
        self,
        tables: Mapping[str, list[dict[str, Any]]],
        areas: frozenset[str],
        existing: Mapping[str, set[str]],
    ) -> None:
        self.tables, self.areas = tables, areas
        self.plan = ImportPlan()
        self.terms: dict[str, tuple[int, dict[str, Any]]] = {}
        self.attributes: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = {}
        self.tag_codes: set[str] = set(existing.get("tags", set()))
        self.organisation_ids: set[str] = set(existing.get("organisations", set()))
        self.location_ids: set[str] = set(existing.get("locations", set()))
        self.partner_candidates: list[tuple[int, dict[str, Any], Any]] = []

    def bad(self, table: str, index: int, record: Mapping[str, Any], message: str) -> None:
        self.plan.problems.append(Problem(table, _text(record.get("id")), index + 1, message))

    def rows(self, table: str) -> list[tuple[int, dict[str, Any]]]:
        """The table's records with a UUID id that appears once; the others reported."""
        result = []
        seen: set[str] = set()
        for index, record in enumerate(self.tables.get(table, [])):
            if not _is_uuid(record.get("id")):
                self.bad(table, index, record, "id must be a UUID")
            elif str(record["id"]) in seen:
                self.bad(table, index, record, "id appears twice in this file")
            else:
                seen.add(str(record["id"]))
                result.append((index, record))
        return result

    def extension(self, entity: str, link_id: str) -> Extension:
        """What a record's attributes say in our own taxonomies."""
        found = Extension()
        for _, record in self.attributes.get((entity, link_id), []):
            term_id = str(record["taxonomy_term_id"])
            code = _EXTENSION_BY_ID.get(term_id)
            if code is None:
                found.tags.append(str(self.terms[term_id][1].get("code")))
            elif ":" in code:
                name, member = code.split(":", 1)
                found.values[name] = member
            elif code == "partner":
                found.partners.append(record.get("value"))
            else:
                found.values[code] = record.get("value")
        return found

    def terms_and_attributes(self) -> None:
        self.terms = {str(r["id"]): (i, r) for i, r in self.rows("taxonomy_term")}
        for index, record in self.rows("attribute"):
            term_id = str(record.get("taxonomy_term_id"))
            if term_id not in self.terms and term_id not in _EXTENSION_BY_ID:
                self.bad(
                    "attribute", index, record, f"taxonomy_term_id {term_id} is not in the file"
                )
                continue
            key = (str(record.get("link_entity")), str(record.get("link_id")))
            self.attributes.setdefault(key, []).append((index, record))

    def tags(self) -> None:
        for term_id, (index, record) in self.terms.items():
            if term_id in _EXTENSION_BY_ID:
                continue
            taxonomy = str(record.get("taxonomy") or "")
            kind = (
                taxonomy.removeprefix(_TAG_TAXONOMY)
                if taxonomy.startswith(_TAG_TAXONOMY)
                else TagKind.NEED.value
            )
            code, name = record.get("code"), _text(record.get("name"))
            if kind not in TagKind.__members__:
                self.bad("taxonomy_term", index, record, f"taxonomy {taxonomy} names no tag kind")
            elif not isinstance(code, str) or not code or len(code) > 64 or not name:
                self.bad("taxonomy_term", index, record, "code and name are required")
            else:
                values = self.extension("taxonomy_term", term_id).values
                self.plan.tags.append(
                    {
                        "code": code,
                        "kind": kind,
                        "label_ja": name,
                        "label_en": values.get("label_en") or name,
                        "stigma_sensitive": values.get("stigma_sensitive") == "true",
                        "description": _text(record.get("description")),
                    }
                )
                self.tag_codes.add(code)

    def organisations(self) -> None:
        phones = {str(r.get("organization_id")): r.get("number") for _, r in self.rows("phone")}
        for index, record in self.rows("organization"):
            org_id = str(record["id"])
            found = self.extension("organization", org_id)
            values = found.values
            name = _text(record.get("name"))
            area = values.get("area_code")
            kind = values.get("organisation_kind")
            if not name or len(name) > 200:
                self.bad("organization", index, record, "name is required (at most 200 characters)")
                continue
            if area is not None and (not is_valid_area_code(area) or area not in self.areas):
                self.bad("organization", index, record, f"area code {area} is not a known JIS area")
                continue
            if kind is None:
                self.plan.warnings.append(
                    Problem(
                        "organization",
                        org_id,
                        index + 1,
                        "no tsunagari:organisation_kind attribute; taken as NPO",
                    )
                )
                kind = OrganisationKind.NPO.value
            self.plan.organisations.append(
                {
                    "id": org_id,
                    "name": name,
                    "kind": kind,
                    "description": _text(record.get("description")),
                    "area_code": area,
                    "website": _text(record.get("website")),
                    "email": _text(record.get("email")),
                    "phone": phones.get(org_id),
                    "active": values.get("active") != "false",
                }
            )
            self.organisation_ids.add(org_id)
            self.partner_candidates += [(index, record, value) for value in found.partners]

    def partnerships(self) -> None:
        for index, record, value in self.partner_candidates:
            partnership = _partner(value)
            if partnership is None or partnership["b"] not in self.organisation_ids:
                self.bad(
                    "organization",
                    index,
                    record,
                    f"partner attribute {value!r} names no valid organization",
                )
            else:
                self.plan.partnerships.append({"a": str(record["id"]), **partnership})

    def locations(self) -> None:
        addresses = {str(r.get("location_id")): r for _, r in self.rows("address")}
        for index, record in self.rows("location"):
            loc_id, owner = str(record["id"]), str(record.get("organization_id"))
            values = self.extension("location", loc_id).values
            area = values.get("area_code")
            problem = _location_problem(record, owner in self.organisation_ids, area, self.areas)
            if problem:
                self.bad("location", index, record, problem)
                continue
            address = addresses.get(loc_id, {})
            self.plan.locations.append(
                {
                    "id": loc_id,
                    "organisation_id": owner,
                    "name": _text(record.get("name")),
                    "address": _text(address.get("address_1")),
                    "postal_code": _text(address.get("postal_code")),
                    "area_code": area,
                    "latitude": record.get("latitude"),
                    "longitude": record.get("longitude"),
                    "active": values.get("active") != "false",
                }
            )
            self.location_ids.add(loc_id)

    def services(self) -> None:
        links: dict[str, list[str]] = {}
        for index, record in self.rows("service_at_location"):
            if str(record.get("location_id")) not in self.location_ids:
                self.bad(
                    "service_at_location", index, record, "location_id is not a valid location"
                )
            else:
                links.setdefault(str(record.get("service_id")), []).append(
                    str(record["location_id"])
                )
        for index, record in self.rows("service"):
            svc_id, owner = str(record["id"]), str(record.get("organization_id"))
            found = self.extension("service", svc_id)
            values, tags = found.values, found.tags
            problem = _service_problem(
                record, values, owner in self.organisation_ids, tags, self.tag_codes
            )
            if problem:
                self.bad("service", index, record, problem)
                continue
            self.plan.services.append(_service_row(record, values, owner, links, tags))


def _location_problem(
    record: Mapping[str, Any], owner_ok: bool, area: Any, areas: frozenset[str]
) -> str | None:
    lat, lon = record.get("latitude"), record.get("longitude")
    if not owner_ok:
        return f"organization_id {record.get('organization_id')} is not a valid organization"
    if not _text(record.get("name")):
        return "name is required"
    if area is None or not is_valid_area_code(area) or area not in areas:
        return f"area code {area} is not a known JIS area"
    if (lat is None) != (lon is None) or (
        lat is not None
        and not (
            isinstance(lat, int | float)
            and isinstance(lon, int | float)
            and -90 <= lat <= 90
            and -180 <= lon <= 180
        )
    ):
        return "latitude/longitude are out of range or incomplete"
    return None


def _service_row(
    record: Mapping[str, Any],
    values: Mapping[str, Any],
    owner: str,
    links: Mapping[str, list[str]],
    tags: list[str],
) -> dict[str, Any]:
    svc_id = str(record["id"])
    return {
        "id": svc_id,
        "organisation_id": owner,
        "name": _text(record.get("name")),
        "description": _text(record.get("description")),
        "mode": values.get("service_mode", ServiceMode.SUPPORT.value),
        "age_min": record.get("minimum_age"),
        "age_max": record.get("maximum_age"),
        "languages": [x for x in (values.get("languages") or "ja").split(",") if x],
        "schedule": values.get("schedule"),
        "accepts_referrals": values.get("accepts_referrals", "true") == "true",
        "response_target_hours": int(values.get("response_target_hours") or 72),
        "capacity_status": values.get("capacity_status", CapacityStatus.AVAILABLE.value),
        "active": (record.get("status") or "active") == "active",
        "location_ids": sorted(links.get(svc_id, [])),
        "tags": sorted(set(tags)),
    }


def _service_problem(
    record: Mapping[str, Any],
    values: Mapping[str, Any],
    owner_ok: bool,
    tags: list[str],
    tag_codes: set[str],
) -> str | None:
    if not owner_ok:
        return f"organization_id {record.get('organization_id')} is not a valid organization"
    if not _text(record.get("name")):
        return "name is required"
    for column in ("minimum_age", "maximum_age"):
        age = record.get(column)
        if age is not None and (not isinstance(age, int) or not 0 <= age <= 120):
            return f"{column} must be a whole number from 0 to 120"
    hours = values.get("response_target_hours")
    text = str(hours)
    if hours is not None and not (
        isinstance(hours, str | int)
        and text.isascii()
        and text.isdigit()
        and len(text) <= 3  # before int(): "²" is a digit, and 5,000 digits are slow
        and 1 <= int(text) <= 720
    ):
        return "response_target_hours must be 1 to 720"
    if not isinstance(values.get("languages") or "", str):
        return "languages must be text (codes separated by commas)"
    unknown = sorted(set(tags) - tag_codes)
    if unknown:
        return f"unknown taxonomy terms: {', '.join(unknown)}"
    return None


def _partner(value: Any) -> dict[str, Any] | None:
    try:
        data = json.loads(value)
        if not isinstance(data, dict):
            return None
        since = data.get("since")
        if since is not None:
            date.fromisoformat(since)
        return {
            "b": str(data["partner"]),
            "since": since,
            "shares_data": bool(data.get("sharesData")),
        }
    except (TypeError, ValueError, KeyError, RecursionError):
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
