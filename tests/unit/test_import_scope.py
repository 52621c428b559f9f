"""What an organisation admin's upload may write (referral_hub/directory/import_scope.py):
its own services and locations; never another organisation's record, never the
organisation record itself, never a new tag or a partnership."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from referral_hub.directory import hsds
from referral_hub.directory.hsds import ImportPlan, Problem
from referral_hub.directory.import_scope import OTHER_ORGANISATION, scope_to_organisation

OWN = "00000000-0000-4000-8000-00000000000a"
OTHER = "00000000-0000-4000-8000-00000000000b"


def service(service_id: str, owner: str = OWN, *, tags=("study_support",), at=(), **values):
    """A row as plan_import makes it."""
    return {
        "id": service_id,
        "organisation_id": owner,
        "name": "学習会",
        "description": None,
        "mode": "SUPPORT",
        "age_min": None,
        "age_max": None,
        "languages": ["ja"],
        "schedule": None,
        "accepts_referrals": True,
        "response_target_hours": 72,
        "capacity_status": "AVAILABLE",
        "active": True,
        "location_ids": list(at),
        "tags": list(tags),
        **values,
    }


def location(location_id: str, owner: str = OWN, **values) -> dict:
    return {
        "id": location_id,
        "organisation_id": owner,
        "name": "教室",
        "address": None,
        "postal_code": None,
        "area_code": "141330",
        "latitude": None,
        "longitude": None,
        "active": True,
        **values,
    }


def scoped(
    plan: ImportPlan, services=None, locations=None, known=frozenset({"study_support"})
) -> ImportPlan:
    holders = {"services": services or {}, "locations": locations or {}}
    return scope_to_organisation(plan, organisation_id=OWN, holders=holders, known_tags=known)


def refused(plan: ImportPlan) -> list[tuple[str, str | None, str]]:
    return [(p.table, p.record_id, p.message) for p in plan.problems]


def test_own_new_records_pass_and_nothing_else_is_written():
    plan = ImportPlan(
        tags=[{"code": "study_support"}],
        organisations=[{"id": OWN}],
        locations=[location("l1")],
        services=[service("s1", at=["l1"])],
        partnerships=[{"a": OWN, "b": OTHER}],
    )
    result = scoped(plan)
    assert [s["id"] for s in result.services] == ["s1"]
    assert [loc["id"] for loc in result.locations] == ["l1"]
    assert (result.tags, result.organisations, result.partnerships) == ([], [], [])
    assert result.problems == []
    assert [w.message for w in result.warnings] == [
        "your organisation's own details are not changed by an import",
        "1 partnership(s) not imported: they are proposed and accepted on the partners page",
    ]


def test_another_organisations_records_are_refused_by_owner_in_file_or_in_graph():
    plan = ImportPlan(
        organisations=[{"id": OTHER}],
        locations=[location("l-theirs", OTHER), location("l-taken")],
        services=[service("s-theirs", OTHER), service("s-taken"), service("s-mine")],
    )
    # The file says these are ours; the graph says another organisation holds them.
    result = scoped(plan, {"s-taken": [OTHER], "s-mine": [OWN]}, {"l-taken": [OTHER]})
    assert [s["id"] for s in result.services] == ["s-mine"]
    assert result.locations == []
    assert refused(result) == [
        ("organization", OTHER, OTHER_ORGANISATION),
        ("location", "l-theirs", OTHER_ORGANISATION),
        ("location", "l-taken", OTHER_ORGANISATION),
        ("service", "s-theirs", OTHER_ORGANISATION),
        ("service", "s-taken", OTHER_ORGANISATION),
    ]


def test_a_service_needs_known_tags_and_own_locations():
    plan = ImportPlan(
        tags=[{"code": "night_owls"}],
        locations=[location("l-refused", OTHER)],
        services=[
            service("s-new-tag", tags=["study_support", "night_owls"]),
            service("s-at-theirs", at=["l-refused"]),
            service("s-at-held", at=["l-held"]),
            service("s-at-foreign-held", at=["l-foreign"]),
        ],
    )
    result = scoped(plan, locations={"l-held": [OWN], "l-foreign": [OTHER]})
    assert [s["id"] for s in result.services] == ["s-at-held"]
    assert refused(result) == [
        ("taxonomy_term", "night_owls", "a new tag; the hub's coordinator adds tags"),
        ("location", "l-refused", OTHER_ORGANISATION),
        ("service", "s-new-tag", "tags the hub does not have: night_owls"),
        ("service", "s-at-theirs", "at locations that are not your organisation's: l-refused"),
        (
            "service",
            "s-at-foreign-held",
            "at locations that are not your organisation's: l-foreign",
        ),
    ]


def test_an_id_held_by_anyone_else_or_by_no_one_is_not_ours():
    plan = ImportPlan(services=[service("shared"), service("orphan"), service("x")])
    # "x" names a service of another organisation and a location of ours: kinds stay apart.
    result = scoped(plan, {"shared": [OWN, OTHER], "orphan": [], "x": [OTHER]}, {"x": [OWN]})
    assert result.services == []
    assert [p.record_id for p in result.problems] == ["shared", "orphan", "x"]


def test_services_and_locations_meet_the_rules_of_the_api_and_are_cleaned():
    plan = ImportPlan(
        locations=[
            location("l-ok", name="  教室  "),
            location("l-postal", postal_code="12345"),
        ],
        services=[
            service("s-ok", name=" 学習会 "),
            service("s-long", name="x" * 201),
            service("s-ages", age_min=12, age_max=9),
            service("s-lang", languages=["japanese!"]),
            service("s-tags", tags=[f"t{n}" for n in range(31)]),
            service("s-nul", description="a\x00b"),
        ],
    )
    result = scoped(plan, known=frozenset({"study_support"} | {f"t{n}" for n in range(31)}))
    assert [(s["id"], s["name"]) for s in result.services] == [("s-ok", "学習会")]
    assert [(loc["id"], loc["name"]) for loc in result.locations] == [("l-ok", "教室")]
    refused_ids = [p.record_id for p in result.problems]
    assert refused_ids == ["l-postal", "s-long", "s-ages", "s-lang", "s-tags", "s-nul"]
    messages = {p.record_id: p.message for p in result.problems}
    assert messages["s-ages"].startswith("ageMax: ")
    assert messages["l-postal"].startswith("postalCode: ")
    assert messages["s-long"].startswith("name: ")


def test_thirty_tags_are_taken():
    codes = [f"t{n}" for n in range(30)]
    result = scoped(ImportPlan(services=[service("s", tags=codes)]), known=frozenset(codes))
    assert [s["id"] for s in result.services] == ["s"]


def test_the_files_own_problems_are_kept_first():
    earlier = Problem("service", "x", 3, "name is required")
    result = scoped(ImportPlan(problems=[earlier], services=[service("s1", OTHER)]))
    assert result.problems[0] == earlier
    assert len(result.problems) == 2


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _corrupt_deflate() -> bytes:
    data = bytearray(_zip({"organization.csv": b"id,name\n" + b"x,y\n" * 1000}))
    start = data.index(b"organization.csv") + len("organization.csv")
    data[start + 5 : start + 25] = b"\xff" * 20  # inside the compressed stream
    return bytes(data)


ORG_CSV = b"id,name\n" + OWN.encode() + b",\xe3\x81\xbe\xe3\x81\xaa\xe3\x81\xb3\n"


@pytest.mark.parametrize("folder", ["", "export/"])
def test_an_upload_reads_a_zip_of_csv_tables_at_the_top_or_in_one_folder(folder):
    tables = hsds.read_upload(_zip({f"{folder}organization.csv": ORG_CSV, "README.txt": b"x"}))
    assert tables == {"organization": [{"id": OWN, "name": "まなび"}]}


def test_an_upload_reads_json_with_or_without_a_byte_order_mark():
    document = json.dumps({"organization": [{"id": OWN, "name": "まなび"}]}).encode()
    assert hsds.read_upload(document) == hsds.read_upload(b"\xef\xbb\xbf" + document)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"not json", "not a readable JSON file"),
        (b"\xff\xfe", "neither a zip of CSV tables nor UTF-8 JSON"),
        (b"[]", "expected HSDS tables, or HSDS objects"),
        (b'{"x": 1}', "expected HSDS tables, or HSDS objects"),
        (b'[{"id": "a"}]', "expected HSDS tables, or HSDS objects"),
        (b'{"organizations.csv": {"id": "a"}}', "table organizations.csv must be a list"),
        (b"PK\x03\x04broken", "not a readable zip file"),
        (_zip({"a/b/organization.csv": ORG_CSV}), "no HSDS tables"),
        (
            _zip({"organization.csv": ORG_CSV, "x/organization.csv": ORG_CSV}),
            "the organization table appears twice",
        ),
        (_zip({"organization.csv": b"\xff\xfe"}), "organization.csv is not UTF-8"),
        (b"[" * 100_000, "not a readable JSON file"),
        (b'{"organization": [{"id": ' + b"9" * 5000 + b"}]}", "not a readable JSON file"),
        (_corrupt_deflate(), "organization.csv cannot be read"),
    ],
)
def test_what_is_not_an_hsds_upload_is_refused_by_name(data, says):
    """Each a typed HsdsFileError, never an exception the worker would die of."""
    with pytest.raises(hsds.HsdsFileError, match=says):
        hsds.read_upload(data)


def test_an_upload_is_at_most_its_limit_in_bytes():
    document = json.dumps({"organization": []}).encode()
    exact = document + b" " * (hsds.UPLOAD_MAX_BYTES - len(document))
    assert hsds.read_upload(exact) == {"organization": []}
    with pytest.raises(hsds.HsdsFileError, match="larger than 2 MiB"):
        hsds.read_upload(exact + b" ")


def _csv_of(size: int) -> bytes:
    """An organization table of exactly `size` bytes, in rows of a thousand bytes."""
    header, row = b"id,name\n", b"x" * 997 + b",y\n"
    rows = (size - len(header) - 100) // len(row)
    last = b"z" * (size - len(header) - rows * len(row) - 3) + b",y\n"
    data = header + row * rows + last
    assert len(data) == size
    return data


def test_a_zip_that_unpacks_past_the_limit_is_refused():
    # Compresses to a few kilobytes; unpacks to one byte past the limit.
    data = _zip({"organization.csv": _csv_of(hsds.UNPACKED_MAX_BYTES + 1)})
    assert len(data) < hsds.UPLOAD_MAX_BYTES
    with pytest.raises(hsds.HsdsFileError, match="unpacks to more than 20 MiB"):
        hsds.read_upload(data)
    fits = _zip({"organization.csv": _csv_of(hsds.UNPACKED_MAX_BYTES)})
    assert hsds.read_upload(fits)["organization"][-1]["name"] == "y"


@pytest.mark.parametrize(("rows", "fits"), [(hsds.ROWS_MAX, True), (hsds.ROWS_MAX + 1, False)])
def test_an_upload_holds_at_most_its_limit_of_records(rows, fits):
    data = _zip({"organization.csv": b"id\n" + b"x\n" * rows})
    if fits:
        assert len(hsds.read_upload(data)["organization"]) == rows
    else:
        with pytest.raises(hsds.HsdsFileError, match="more than 50000 records"):
            hsds.read_upload(data)


def test_a_json_upload_holds_at_most_its_limit_of_records_too():
    document = json.dumps({"organization": [{}] * (hsds.ROWS_MAX + 1)}).encode()
    with pytest.raises(hsds.HsdsFileError, match="more than 50000 records"):
        hsds.read_upload(document)
