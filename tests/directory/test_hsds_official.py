"""The HSDS export against the official Open Referral HSDS 3.0 schemas (vendored in
tests/directory/hsds3/, with their licence): every record of every table validates."""

import json
from functools import cache
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests import directory_fixtures

SCHEMAS = Path(__file__).parent / "hsds3"


@cache  # the vendored schemas never change while the tests run
def _validators() -> dict[str, Draft202012Validator]:
    documents = {path.name: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(document, default_specification=DRAFT202012))
        for name, document in documents.items()
    )
    return {
        name.removesuffix(".json"): Draft202012Validator(
            document, registry=registry, format_checker=FormatChecker()
        )
        for name, document in documents.items()
    }


def _problems(export: dict[str, list[dict]]) -> list[str]:
    """Every schema error of every record, and (the specification's strict check) every
    field its object does not define."""
    validators = _validators()
    problems = []
    for table, rows in export.items():
        assert table in validators, f"{table} is not an HSDS 3.0 object"
        defined = set(validators[table].schema["properties"])
        for row in rows:
            problems += [
                f"{table} {row.get('id')}: {error.message}"
                for error in validators[table].iter_errors(row)
            ]
            problems += [
                f"{table} {row.get('id')}: {key} is not defined" for key in row.keys() - defined
            ]
    return problems


def _export(tmp_path: Path) -> dict[str, list[dict]]:
    path = tmp_path / "directory.json"
    call_command("export_hsds", str(path), stdout=StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_schemas_are_the_official_ones_and_refuse_what_hsds_refuses():
    validators = _validators()
    assert len(validators) == 21  # the object schemas of schema/, openapi.json left out
    bad = {"id": "not-a-uuid", "name": None, "status": "open"}
    assert sorted(error.validator for error in validators["service"].iter_errors(bad)) == [
        "enum",
        "format",
        "type",
    ]
    attribute = {"id": "0c7d0f4e-8d43-4c52-9a55-3b0f9c8d2e61", "label": "x"}
    assert _problems({"attribute": [attribute]}) == [
        "attribute 0c7d0f4e-8d43-4c52-9a55-3b0f9c8d2e61: label is not defined"
    ]


@pytest.mark.parametrize("scale", ["fixtures", "town"])
def test_every_exported_record_is_valid_hsds(graph_db, tmp_path, scale):
    if scale == "fixtures":
        directory_fixtures.build()
    else:
        call_command("seed_demo", scale="town", seed=1, stdout=StringIO(), stderr=StringIO())
    export = _export(tmp_path)
    assert sum(len(rows) for rows in export.values()) > (30 if scale == "fixtures" else 1000)
    assert _problems(export) == []


def test_addresses_say_their_city_and_prefecture(graph_db, tmp_path):
    call_command("seed_demo", scale="town", seed=1, stdout=StringIO(), stderr=StringIO())
    addresses = _export(tmp_path)["address"]
    assert addresses
    assert {(a["city"], a["state_province"], a["country"]) for a in addresses} == {
        ("狛江市", "東京都", "JP")
    }
    assert all(a["address_1"] and a["postal_code"] for a in addresses)
