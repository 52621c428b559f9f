"""The official HSDS 3.0 tabular package: its tables, their files and columns.

`data/hsds3/datapackage.json` is Open Referral's own (vendored unchanged, CC BY-SA 4.0), so
the export's file names, column order and the `datapackage.json` it writes are the
specification's, not a copy that could drift from it.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

DATAPACKAGE = Path(__file__).resolve().parents[1] / "data" / "hsds3" / "datapackage.json"

# What the hub writes, in the order a reader needs them (referenced before referring).
EXPORTED = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "location",
    "address",
    "phone",
    "service",
    "service_at_location",
    "schedule",
    "language",
    "attribute",
)


@cache
def resources() -> dict[str, dict[str, Any]]:
    """Every official table (organization, service, …) by its singular name."""
    descriptor = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    return {resource["name"]: resource for resource in descriptor["resources"]}


def columns(table: str) -> list[str]:
    """The table's columns in the official order."""
    return [column["name"] for column in resources()[table]["schema"]["fields"]]


def file_name(table: str) -> str:
    """organizations.csv, service_at_location.csv, taxonomies.csv, …"""
    return str(resources()[table]["path"])


@cache
def _tables_by_file() -> dict[str, str]:
    by_file = {file_name(table): table for table in resources()}
    # The hub's exports before HSDS 3.0's names (organization.csv …) still import.
    by_file |= {f"{table}.csv": table for table in resources()}
    return by_file


def table_of(name: str) -> str | None:
    """The table a file (organizations.csv, organization.csv) or a JSON key
    (organizations.csv, organization) holds, or None for anything else."""
    if name in resources():
        return name
    return _tables_by_file().get(name)


def descriptor(tables: list[str], *, name: str = "tsunagari-directory") -> dict[str, Any]:
    """The `datapackage.json` of an export holding `tables`: the official resource of each,
    with the foreign keys to tables the export leaves out dropped (a package may not
    reference a resource it does not hold)."""
    present = set(tables)
    chosen = []
    for table in tables:
        resource = copy.deepcopy(resources()[table])
        keys = resource["schema"].get("foreignKeys", [])
        resource["schema"]["foreignKeys"] = [
            key for key in keys if key["reference"]["resource"] in present
        ]
        chosen.append(resource)
    official = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    return {
        "name": name,
        "title": "Tsunagari Referral Hub directory (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        # The specification's version; the data's own licence is the publisher's to add.
        "version": official["version"],
        "resources": chosen,
    }
