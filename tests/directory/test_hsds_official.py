"""The HSDS export against the official Open Referral HSDS 3.0 schemas (vendored in
tests/directory/hsds3/, with their licence): every record of every table validates."""

import json
from functools import cache
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from graph import snapshot_repo
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


# --- the tabular package ------------------------------------------------------------------

OFFICIAL_CSV = SCHEMAS / "examples" / "csv"
PACKAGE_FILES = [
    "addresses.csv",
    "attributes.csv",
    "datapackage.json",
    "languages.csv",
    "locations.csv",
    "organizations.csv",
    "phones.csv",
    "schedules.csv",
    "service_at_location.csv",
    "services.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
]


@pytest.mark.parametrize("scale", ["fixtures", "town"])
def test_the_tabular_package_is_valid_against_its_official_descriptor(graph_db, tmp_path, scale):
    """frictionless (the validator the specification names for tabular HSDS) checks every
    file against the official field types, formats, required columns, uniqueness and the
    foreign keys between the files."""
    from frictionless import validate

    if scale == "fixtures":
        directory_fixtures.build()
    else:
        call_command("seed_demo", scale="town", seed=1, stdout=StringIO(), stderr=StringIO())
    folder = tmp_path / "package"
    call_command("export_hsds", str(folder), stdout=StringIO())
    assert sorted(p.name for p in folder.iterdir()) == PACKAGE_FILES
    report = validate(folder / "datapackage.json")
    assert report.flatten(["resource/name", "rowNumber", "fieldName", "type", "note"]) == []
    assert report.valid
    assert report.stats["tasks"] == 11
    # The columns in the order of the specification's own example files.
    for name in (n for n in PACKAGE_FILES if n.endswith(".csv")):
        ours = (folder / name).read_text(encoding="utf-8").splitlines()[0]
        official = (OFFICIAL_CSV / name).read_text(encoding="utf-8").splitlines()[0]
        assert ours == official, name


# --- the official examples ----------------------------------------------------------------

ORG, SERVICE = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "ac148810-d857-441c-9679-408f346de14b"
LOCATION, SAL = "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "e94c9f38-1e8f-4564-91d4-d53501ab1765"
NO_AREA = (
    "no JIS area: no tsunagari:area_code attribute, the address (MyCity, MyState) names no "
    "Japanese municipality, and it has no usable coordinates"
)
BAD_COORDINATES = "latitude/longitude are out of range or incomplete"
LOCATION_REFUSED = {
    # The example location is in "MyCity, MyState" at latitude 100: no Japanese area, and
    # no place on Earth; in the tabular examples it also belongs to an organisation the
    # examples never define.
    "tabular": (
        "organization_id 985e4a42-bd9f-4edc-911d-0243a4640aca is not a valid organization; "
        f"{NO_AREA}; {BAD_COORDINATES}"
    ),
    "nested": f"{NO_AREA}; {BAD_COORDINATES}",
}
SAL_REFUSED = f"service_at_location row 1 (id {SAL}): location_id is not a valid location"


def directory_service(service_id: str) -> dict:
    return next(s for s in snapshot_repo.directory_snapshot()["services"] if s["id"] == service_id)


def directory_location(location_id: str) -> dict:
    snapshot = snapshot_repo.directory_snapshot()
    return next(loc for loc in snapshot["locations"] if loc["id"] == location_id)


def _copies_of(document, record_id: str) -> list[dict]:
    """Every object with this id, however deep the document nests it."""
    found = []
    if isinstance(document, dict):
        found += [document] if document.get("id") == record_id else []
        document = list(document.values())
    if isinstance(document, list):
        for item in document:
            found += _copies_of(item, record_id)
    return found


def _import(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_hsds", str(path), "--skip-invalid", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


ONE_SERVICE = "0 tags, 1 organisations, 0 locations, 1 services"
NOTHING = "0 tags, 0 organisations, 0 locations, 0 services"
TABULAR_REFUSED = [f"location row 1 (id {LOCATION}): {LOCATION_REFUSED['tabular']}", SAL_REFUSED]
NESTED_REFUSED = [f"location row 1 (id {LOCATION}): {LOCATION_REFUSED['nested']}", SAL_REFUSED]
ALONE = (
    f"location row 1 (id {LOCATION}): no organization_id, and the services placed there name "
    f"no one organisation; {NO_AREA}; {BAD_COORDINATES}"
)
WITHOUT_ADDRESS = (
    f"location row 1 (id {LOCATION}): no JIS area: no tsunagari:area_code attribute, the "
    "address (none) names no Japanese municipality, and it has no usable coordinates; "
    f"{BAD_COORDINATES}"
)


@pytest.mark.parametrize(
    ("example", "imported", "refused"),
    [
        ("csv", ONE_SERVICE, TABULAR_REFUSED),
        ("tabular.json", ONE_SERVICE, TABULAR_REFUSED),
        ("organization_full.json", ONE_SERVICE, NESTED_REFUSED),
        ("service_full.json", ONE_SERVICE, NESTED_REFUSED),
        ("service_at_location_full.json", ONE_SERVICE, NESTED_REFUSED),
        ("service_at_location_list.json", ONE_SERVICE, [WITHOUT_ADDRESS, SAL_REFUSED]),
        ("service_list.json", ONE_SERVICE, []),
        ("organization_list.json", "0 tags, 1 organisations, 0 locations, 0 services", []),
        ("location.json", NOTHING, [ALONE]),
        ("taxonomy_term.json", NOTHING, []),
        ("taxonomy_term_list.json", NOTHING, []),
        ("taxonomy.json", NOTHING, []),
        ("taxonomy_list.json", NOTHING, []),
    ],
)
def test_the_official_examples_import_and_say_what_they_refuse(
    graph_db, example, imported, refused
):
    out, err = _import(SCHEMAS / "examples" / example)
    assert f"imported {imported}, 0 partnerships; {len(refused)} invalid record(s) skipped" in out
    assert [line for line in err.splitlines() if line.startswith("skipped: ")] == [
        f"skipped: {line}" for line in refused
    ]
    if "1 organisations" in imported:
        assert (
            f"warning: organization row 1 (id {ORG}): no tsunagari:organisation_kind "
            "attribute; taken as NPO"
        ) in err.splitlines()
    if "1 services" in imported:
        service = directory_service(SERVICE)
        assert (service["name"], service["organisation_id"], service["age_min"]) == (
            "Community Counselling",
            ORG,
            12,
        )


def test_the_official_csv_example_names_every_file_it_does_not_read(graph_db):
    _, err = _import(OFFICIAL_CSV)
    service = directory_service(SERVICE)
    # Its schedule and language come from HSDS's own tables.
    assert (service["schedule"], service["languages"]) == (
        "The service is available from 10 am to 6pm weekdays. The service is not available "
        "on public holidays.",
        ["ur"],
    )
    not_read = sorted(line for line in err.splitlines() if "not read" in line)
    assert not_read == [
        "warning: accessibility.csv: not read: 1 record(s); the hub keeps no accessibility table",
        "warning: attribute row 1 (id ae58cc39-8b70-4ab1-8aea-786882e5ac8e): not read: "
        "link_entity link_entity",
        "warning: contacts.csv: not read: 1 record(s); the hub keeps no contact table",
        "warning: cost_options.csv: not read: 1 record(s); the hub keeps no cost_option table",
        "warning: funding.csv: not read: 1 record(s); the hub keeps no funding table",
        "warning: meta_table_descriptions.csv: not read: 1 record(s); the hub keeps no "
        "meta_table_description table",
        "warning: metadata.csv: not read: 1 record(s); the hub keeps no metadata table",
        "warning: organization_identifiers.csv: not read: 1 record(s); the hub keeps no "
        "organization_identifier table",
        "warning: programs.csv: not read: 1 record(s); the hub keeps no program table",
        "warning: required_documents.csv: not read: 1 record(s); the hub keeps no "
        "required_document table",
        "warning: service_areas.csv: not read: 1 record(s); the hub keeps no service_area table",
        "warning: taxonomy_term row 1 (id 3f7b145d-84af-42d7-8fae-eaca714b02b2): not read: "
        "used by no service",
    ]


@pytest.mark.parametrize(
    ("example", "says"),
    [
        ("base.json", "expected HSDS tables, or HSDS objects"),
    ],
)
def test_an_example_with_no_records_is_refused_by_name(graph_db, example, says):
    with pytest.raises(CommandError, match=says):
        _import(SCHEMAS / "examples" / example)


def test_the_examples_location_is_taken_once_it_names_a_japanese_address(graph_db, tmp_path):
    """The same location, moved to Komae with real coordinates and no organisation of its
    own: its area comes from the address, its organisation from the service placed there."""
    document = json.loads((SCHEMAS / "examples" / "service_full.json").read_text())
    place = document["service_at_locations"][0]["location"]
    place.update(latitude=35.6348, longitude=139.5786)
    place["addresses"][0].update(
        city="狛江市", state_province="東京都", country="JP", postal_code="201-8585"
    )
    path = tmp_path / "komae.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out, err = _import(path)
    assert "imported 0 tags, 1 organisations, 1 locations, 1 services" in out
    assert "skipped" not in err
    assert directory_location(LOCATION)["area_code"] == "132195"
    assert directory_service(SERVICE)["location_ids"] == [LOCATION]


def test_a_location_whose_address_says_nothing_takes_its_area_from_its_coordinates(
    graph_db, tmp_path
):
    """No address, only 狛江市's coordinates: the nearest municipal office gives the area,
    and the report says it was a guess to check."""
    document = json.loads((SCHEMAS / "examples" / "service_full.json").read_text())
    for place in _copies_of(document, LOCATION):  # nested under the service and its organisation
        place.update(latitude=35.6348, longitude=139.5786, addresses=[])
    path = tmp_path / "komae.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out, err = _import(path)
    assert "imported 0 tags, 1 organisations, 1 locations, 1 services" in out
    assert (
        f"warning: location row 1 (id {LOCATION}): JIS area 132195 taken from its "
        "coordinates (the nearest municipal office, 0.0 km away): check it"
    ) in err.splitlines()
    assert directory_location(LOCATION)["area_code"] == "132195"
