"""HSDS interchange without the graph: the official package's names, nested API objects
flattened, a location's JIS area from its address, and what the importer reads of
others' files (referral_hub/directory/hsds/)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from referral_hub.directory import hsds, reference_data
from referral_hub.directory.hsds import package
from referral_hub.directory.hsds.areas import AreaFinder
from referral_hub.directory.hsds.nested import flatten

ORG = "00000000-0000-4000-8000-00000000000a"
ORG_B = "00000000-0000-4000-8000-00000000000b"
SVC = "00000000-0000-4000-8000-0000000000c1"
SVC_B = "00000000-0000-4000-8000-0000000000c2"
LOC = "00000000-0000-4000-8000-0000000000d1"
TERM = "00000000-0000-4000-8000-0000000000e1"


@pytest.mark.parametrize(
    ("state", "city", "street", "code"),
    [
        ("東京都", "狛江市", None, "132195"),
        ("東京", "狛江市", None, "132195"),  # the prefecture without 都
        ("東京都", "狛江市 ", None, "132195"),
        ("ＴＯＫＹＯ", "狛江市", None, None),  # not a name the hub ships
        (None, "狛江市", None, "132195"),  # unique in Japan
        (None, "府中市", None, None),  # 東京都 and 広島県 both have one
        ("東京都", "府中市", None, "132063"),
        ("神奈川県", "川崎市", "川崎区宮本町1", "141313"),  # the ward from the street
        ("神奈川県", "川崎市", "宮本町1", "141305"),  # no ward: the city
        ("神奈川県", "川崎市川崎区", None, "141313"),
        ("神奈川県", "川崎市", "川崎市中原区小杉町3-1", "141330"),
        ("京都府", "京都市", "中京区x", "261041"),
        ("京都", "京都市", None, "261009"),
        ("MyState", "MyCity", None, None),
        ("MyState", "狛江市", None, None),  # an unknown prefecture: no guess from the city
        ("東京都", None, None, None),
        ("東京都", "", None, None),
    ],
)
def test_a_location_area_from_its_address_names(state, city, street, code):
    finder = AreaFinder(reference_data.area_names())
    assert finder.code_for(state, city, street) == code


def test_the_official_package_names_and_columns():
    assert package.file_name("organization") == "organizations.csv"
    assert package.file_name("service_at_location") == "service_at_location.csv"
    assert package.file_name("taxonomy") == "taxonomies.csv"
    assert package.columns("attribute") == [
        "id",
        "link_id",
        "taxonomy_term_id",
        "link_type",
        "link_entity",
        "value",
    ]
    assert [package.table_of(n) for n in ("organizations.csv", "organization.csv")] == [
        "organization",
        "organization",
    ]
    assert [package.table_of(n) for n in ("organization", "notes.csv", "organisations.csv")] == [
        "organization",
        None,
        None,
    ]


def test_the_written_descriptor_keeps_only_foreign_keys_inside_the_package():
    descriptor = package.descriptor(["organization", "service"])
    service = descriptor["resources"][1]
    assert [r["name"] for r in descriptor["resources"]] == ["organization", "service"]
    assert service["schema"]["foreignKeys"] == [
        {"fields": "organization_id", "reference": {"resource": "organization", "fields": "id"}}
    ]  # program_id's key is dropped: the package holds no programs
    assert (descriptor["profile"], descriptor["version"]) == ("tabular-data-package", "3.0.0")
    full = package.resources()["service"]["schema"]["foreignKeys"]
    assert len(full) == 2  # the vendored descriptor itself is left whole


def test_nested_api_objects_become_rows_with_their_foreign_keys():
    organisation = {
        "id": ORG,
        "name": "まなび",
        "description": "d",
        "services": [
            {
                "id": SVC,
                "name": "学習会",
                "status": "active",
                "schedules": [{"id": "s1", "description": "月"}],
                "attributes": [{"id": "a1", "taxonomy_term": {"id": TERM, "name": "t"}}],
            }
        ],
        "locations": [{"id": LOC, "location_type": "physical", "addresses": [{"id": "ad1"}]}],
    }
    tables = flatten(organisation)
    assert tables["organization"] == [{"id": ORG, "name": "まなび", "description": "d"}]
    assert tables["service"] == [
        {"organization_id": ORG, "id": SVC, "name": "学習会", "status": "active"}
    ]
    assert tables["schedule"] == [{"service_id": SVC, "id": "s1", "description": "月"}]
    assert tables["attribute"] == [
        {"link_id": SVC, "link_entity": "service", "id": "a1", "taxonomy_term_id": TERM}
    ]
    assert tables["taxonomy_term"] == [{"id": TERM, "name": "t"}]
    assert tables["location"] == [{"organization_id": ORG, "id": LOC, "location_type": "physical"}]
    assert tables["address"] == [{"location_id": LOC, "id": "ad1"}]


def test_a_list_page_and_an_object_nested_twice():
    service = {"id": SVC, "name": "学習会", "status": "active"}
    page = {
        "total_items": 2,
        "contents": [
            {**service, "organization": {"id": ORG, "name": "まなび"}},
            {**service, "id": SVC_B, "organization": {"id": ORG, "description": "d"}},
        ],
    }
    tables = flatten(page)
    assert [s["organization_id"] for s in tables["service"]] == [ORG, ORG]
    # One organisation row: what either copy says, the first copy winning.
    assert tables["organization"] == [{"id": ORG, "name": "まなび", "description": "d"}]


@pytest.mark.parametrize(
    "document",
    [[], {}, [1], {"contents": []}, {"contents": [{"id": "x"}]}, {"version": "3.0"}, "x"],
)
def test_what_holds_no_hsds_object_is_refused(document):
    with pytest.raises(ValueError, match="expected HSDS tables, or HSDS objects"):
        flatten(document)


def test_objects_nested_past_reason_are_refused_as_a_file_error():
    level = f'{{"id": "{ORG}", "name": "x", "description": "d", "services": ['
    text = level * 2000 + "]}" * 2000
    with pytest.raises(hsds.HsdsFileError, match="upload: "):
        hsds.read_upload(text.encode())


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_upload_names_what_is_no_hsds_table():
    tables = hsds.read_upload(
        _zip(
            {
                "pkg/organizations.csv": b"id,name\n" + ORG.encode() + b",x\n",
                "pkg/datapackage.json": b"{}",
                "pkg/notes.csv": b"a\n",
                "pkg/README.txt": b"x",
                "pkg/deeper/services.csv": b"id\n",
            }
        )
    )
    assert dict(tables) == {"organization": [{"id": ORG, "name": "x"}]}
    assert tables.ignored == ["pkg/README.txt", "pkg/deeper/services.csv", "pkg/notes.csv"]


def test_the_official_and_the_older_file_name_of_one_table_are_refused_together():
    data = _zip({"organizations.csv": b"id\n", "organization.csv": b"id\n"})
    with pytest.raises(hsds.HsdsFileError, match="the organization table appears twice"):
        hsds.read_upload(data)


def test_tabular_json_by_file_name_and_what_it_does_not_read():
    document = {"organizations.csv": [{"id": ORG}], "programs.csv": [], "extra": 1}
    tables = hsds.read_upload(json.dumps(document).encode())
    assert dict(tables) == {"organization": [{"id": ORG}], "program": []}
    assert tables.ignored == ["extra"]


def _plan(tables: dict, ignored: list[str] | None = None) -> hsds.ImportPlan:
    return hsds.plan_import(
        hsds.Tables(tables, ignored or []),
        known_area_codes=reference_data.known_area_codes(),
        area_names=reference_data.area_names(),
        area_offices=reference_data.area_offices(),
    )


def _org(org_id: str = ORG, **values) -> dict:
    return {"id": org_id, "name": "まなび", "description": "d", **values}


def _service(svc_id: str = SVC, org_id: str = ORG) -> dict:
    return {"id": svc_id, "organization_id": org_id, "name": "学習会", "status": "active"}


KOMAE = {"id": "00000000-0000-4000-8000-0000000000f1", "location_id": LOC}
KOMAE |= {"address_1": "和泉本町1-1-5", "city": "狛江市", "state_province": "東京都"}


def test_a_location_without_organisation_takes_the_one_of_its_services():
    links = [{"id": TERM, "service_id": SVC, "location_id": LOC}]
    plan = _plan(
        {
            "organization": [_org()],
            "service": [_service()],
            "location": [{"id": LOC, "name": "教室"}],
            "address": [KOMAE],
            "service_at_location": links,
        }
    )
    assert plan.problems == []
    assert [(loc["organisation_id"], loc["area_code"]) for loc in plan.locations] == [
        (ORG, "132195")
    ]
    assert [str(w) for w in plan.warnings] == [
        f"organization row 1 (id {ORG}): no tsunagari:organisation_kind attribute; taken as NPO",
        f"location row 1 (id {LOC}): no organization_id; taken from the services placed there",
    ]
    assert plan.services[0]["location_ids"] == [LOC]


def test_a_location_whose_services_name_two_organisations_is_refused_with_every_reason():
    links = [
        {"id": TERM, "service_id": SVC, "location_id": LOC},
        {"id": KOMAE["id"], "service_id": SVC_B, "location_id": LOC},
    ]
    plan = _plan(
        {
            "organization": [_org(), _org(ORG_B)],
            "service": [_service(), _service(SVC_B, ORG_B)],
            "location": [{"id": LOC, "name": "", "latitude": 91, "longitude": 0}],
            "service_at_location": links,
        }
    )
    assert next(str(p) for p in plan.problems) == (
        f"location row 1 (id {LOC}): no organization_id, and the services placed there name "
        "no one organisation; name is required; no JIS area: no tsunagari:area_code "
        "attribute, the address (none) names no Japanese municipality, and it has no usable "
        "coordinates; latitude/longitude are out of range or incomplete"
    )


def test_schedules_and_languages_from_their_own_tables():
    plan = _plan(
        {
            "organization": [_org()],
            "service": [_service()],
            "schedule": [
                {"id": KOMAE["id"], "service_id": SVC, "description": "月・水 15:00-18:00"},
                {"id": LOC, "service_id": SVC, "byday": "SA", "opens_at": "10:00:00"},
                {"id": TERM, "service_id": SVC, "opens_at": "10:00", "closes_at": "12:00"},
            ],
            "language": [
                {"id": LOC, "service_id": SVC, "code": "ja"},
                {"id": TERM, "service_id": SVC, "name": "Urdu"},
                {"id": KOMAE["id"], "service_id": SVC},
            ],
        }
    )
    assert plan.problems == []
    service = plan.services[0]
    assert service["schedule"] == "月・水 15:00-18:00; SA 10:00; 10:00–12:00"
    assert service["languages"] == ["ja"]
    assert [str(w) for w in plan.warnings if w.table == "language"] == [
        f"language row 2 (id {TERM}): not read: no code (ja, en, …)",
        f"language row 3 (id {KOMAE['id']}): not read: no code (ja, en, …)",
    ]


def test_another_vocabularys_term_becomes_a_tag_only_when_a_service_uses_it():
    used = {"id": TERM, "code": "food", "name": "Food", "description": "d", "taxonomy": "ours"}
    unused = {**used, "id": LOC, "code": "x"}
    attribute = {
        "id": KOMAE["id"],
        "link_id": SVC,
        "link_entity": "service",
        "taxonomy_term_id": TERM,
    }
    plan = _plan(
        {
            "organization": [_org()],
            "service": [_service()],
            "taxonomy_term": [used, unused],
            "attribute": [attribute],
        }
    )
    assert [(t["code"], t["kind"]) for t in plan.tags] == [("food", "NEED")]
    assert plan.services[0]["tags"] == ["food"]
    assert f"taxonomy_term row 2 (id {LOC}): not read: used by no service" in map(
        str, plan.warnings
    )


def test_what_the_export_makes_up_for_hsds_is_read_back_as_unknown():
    plan = _plan(
        {
            "organization": [_org(description="まなび")],
            "taxonomy_term": [
                {
                    "id": TERM,
                    "code": "t",
                    "name": "居場所",
                    "description": "居場所 (Place)",
                    "taxonomy": "tsunagari:tag:NEED",
                }
            ],
            "attribute": [
                {
                    "id": LOC,
                    "link_id": TERM,
                    "link_entity": "taxonomy_term",
                    "taxonomy_term_id": hsds.EXTENSION_TERMS["label_en"]["id"],
                    "value": "Place",
                }
            ],
        }
    )
    assert plan.organisations[0]["description"] is None
    assert (plan.tags[0]["label_en"], plan.tags[0]["description"]) == ("Place", None)


def test_tables_and_files_not_read_are_named_once_each():
    plan = _plan({"organization": [_org()], "program": [{"id": SVC}], "contact": []}, ["x.txt"])
    assert [str(w) for w in plan.warnings][:2] == [
        "x.txt: not read: not an HSDS table",
        "programs.csv: not read: 1 record(s); the hub keeps no program table",
    ]


def test_a_bad_id_is_reported_once_though_several_steps_read_its_table():
    plan = _plan(
        {
            "organization": [_org()],
            "service": [_service(), {**_service(), "id": "x"}],
            "service_at_location": [{"id": "y", "service_id": SVC, "location_id": LOC}],
        }
    )
    assert [str(p) for p in plan.problems] == [
        "service row 2 (id x): id must be a UUID",
        "service_at_location row 1 (id y): id must be a UUID",
    ]


KM_PER_DEGREE = 6371.0 * 3.141592653589793 / 180  # along a meridian


@pytest.mark.parametrize(("km", "found"), [(39.99, True), (40.01, False)])
def test_the_nearest_office_counts_within_40_km_and_not_beyond(km, found):
    finder = AreaFinder({}, {"132195": (35.0, 139.0)})
    near = finder.code_near(35.0 + km / KM_PER_DEGREE, 139.0)
    assert (near[0] if near else None) == ("132195" if found else None)
    if near is not None:
        assert near[1] == pytest.approx(km)


@pytest.mark.parametrize(
    ("point", "code"),
    [
        ((35.6348, 139.5786), "132195"),  # 狛江市役所
        ((35.5761, 139.6559), "141330"),  # 川崎市中原区役所: a ward, never 川崎市 itself
        ((43.0621, 141.3544), "011011"),  # 札幌市役所 is in 中央区
        ((27.0942, 142.1919), "134210"),  # 小笠原村, 1,000 km out at sea
        ((30.0, 140.0), None),  # the open Pacific
        ((37.5665, 126.978), None),  # Seoul
    ],
)
def test_a_location_area_from_its_coordinates(point, code):
    finder = AreaFinder(reference_data.area_names(), reference_data.area_offices())
    near = finder.code_near(*point)
    assert (near[0] if near else None) == code


def test_the_offices_cover_every_municipality_and_ward_but_no_prefecture_or_designated_city():
    offices = reference_data.area_offices()
    rows = reference_data.area_rows()[0]
    kinds = {row.code: row.kind.value for row in rows}
    assert len(offices) == 1892
    assert {kinds[code] for code in offices} == {"WARD", "SPECIAL_WARD", "CITY", "TOWN", "VILLAGE"}
    missing = {row.code for row in rows if row.kind.value not in ("PREFECTURE", "DESIGNATED_CITY")}
    assert sorted(missing - offices.keys()) == [  # the Northern Territories' villages
        "016951",
        "016969",
        "016977",
        "016985",
        "016993",
        "017001",
    ]


def test_coordinates_give_the_area_only_when_the_address_does_not_and_the_report_says_so():
    location = {"id": LOC, "name": "教室", "organization_id": ORG}
    near_komae = {**location, "latitude": 35.64, "longitude": 139.58}
    plan = _plan({"organization": [_org()], "location": [near_komae]})
    assert [loc["area_code"] for loc in plan.locations] == ["132195"]
    assert (
        f"location row 1 (id {LOC}): JIS area 132195 taken from its coordinates (the nearest "
        "municipal office, 0.6 km away): check it"
    ) in map(str, plan.warnings)
    # An address that names the area wins, with no warning.
    plan = _plan({"organization": [_org()], "location": [near_komae], "address": [KOMAE]})
    assert [loc["area_code"] for loc in plan.locations] == ["132195"]
    assert not any("coordinates" in str(w) for w in plan.warnings)
    at_sea = {**location, "latitude": 30.0, "longitude": 140.0}
    plan = _plan({"organization": [_org()], "location": [at_sea]})
    assert [str(p) for p in plan.problems] == [
        f"location row 1 (id {LOC}): no JIS area: no tsunagari:area_code attribute, the "
        "address (none) names no Japanese municipality, and no municipal office is within "
        "40 km of its coordinates"
    ]


@pytest.mark.parametrize(
    ("language", "description", "description_en", "expected"),
    [
        ("ja", "説明", "English", ("English", "説明")),
        ("ja", "説明", None, (None, "説明")),
        (None, "説明", None, (None, "説明")),  # a term says no language: taken as Japanese
        ("jpn", "説明", None, (None, "説明")),
        ("en", "A place", None, ("A place", None)),
        ("eng", "A place", None, ("A place", None)),
        ("ja", "居場所 (Place)", "English", ("English", None)),  # the export's stand-in
    ],
)
def test_a_terms_descriptions_by_language(language, description, description_en, expected):
    term = {"id": TERM, "code": "place", "name": "居場所", "description": description}
    term |= {"taxonomy": "tsunagari:tag:NEED"} | ({"language": language} if language else {})
    extension = hsds.EXTENSION_TERMS
    attributes = [
        {
            "id": LOC,
            "link_id": TERM,
            "link_entity": "taxonomy_term",
            "taxonomy_term_id": extension["label_en"]["id"],
            "value": "Place",
        }
    ]
    if description_en:
        attributes.append(
            {
                "id": SVC,
                "link_id": TERM,
                "link_entity": "taxonomy_term",
                "taxonomy_term_id": extension["description_en"]["id"],
                "value": description_en,
            }
        )
    tag = _plan({"taxonomy_term": [term], "attribute": attributes}).tags[0]
    assert (tag["description"], tag["description_ja"]) == expected


# --- what an outsider's file may try (each was a finding of an attack on this code) --------


@pytest.mark.parametrize(("columns", "refused"), [(100, False), (101, True)])
def test_a_csv_header_of_at_most_100_columns(columns, refused):
    header = ",".join(["id", *(f"c{i}" for i in range(columns - 1))]).encode()
    data = _zip({"organizations.csv": header + b"\n" + b"x\n" * 1000})
    if refused:
        with pytest.raises(hsds.HsdsFileError, match=r"organizations\.csv: more than 100 columns"):
            hsds.read_upload(data)
    else:
        rows = hsds.read_upload(data)["organization"]
        # A short row keeps only its cells, not one per column of the header.
        assert len(rows) == 1000
        assert rows[0] == {"id": "x"}


def test_a_csv_row_with_more_cells_than_its_header_is_refused():
    data = _zip({"organizations.csv": b"id,name\na,b\nc,d,e\n"})
    with pytest.raises(hsds.HsdsFileError, match=r"organizations\.csv: row 3 has 3 cells for 2"):
        hsds.read_upload(data)


def test_the_record_limit_counts_every_table_of_a_zip_together():
    half = hsds.ROWS_MAX // 2
    fits = _zip(
        {"organizations.csv": b"id\n" + b"x\n" * half, "services.csv": b"id\n" + b"x\n" * half}
    )
    assert sum(len(rows) for rows in hsds.read_upload(fits).values()) == hsds.ROWS_MAX
    over = _zip(
        {
            "organizations.csv": b"id\n" + b"x\n" * half,
            "services.csv": b"id\n" + b"x\n" * (half + 1),
        }
    )
    with pytest.raises(hsds.HsdsFileError, match="more than 50000 records"):
        hsds.read_upload(over)


def test_an_id_that_is_no_short_text_is_never_copied_into_its_children_or_the_report():
    huge = "a" * 1_000_000
    document = {"id": huge, "name": "O", "description": "d"}
    document["services"] = [
        {"id": f"00000000-0000-4000-8000-{i:012x}", "name": "s", "status": "active"}
        for i in range(200)
    ]
    tables = hsds.read_upload(json.dumps(document).encode())
    # Replaced as the file is read, before the graph lookup of existing ids or the plan.
    assert {s["organization_id"] for s in tables["service"]} == {"(not a UUID)"}
    plan = _plan(tables)
    assert max(len(str(p)) for p in plan.problems) < 200
    assert len(plan.problems) == 201  # the organisation and each of its services
    odd = _plan({"organization": [{"id": 5, "name": "x"}, {"id": [0] * 10, "name": "y"}]})
    assert [str(p) for p in odd.problems] == [
        "organization row 1 (id (not a UUID)): id must be a UUID",
        "organization row 2 (id (not a UUID)): id must be a UUID",
    ]


@pytest.mark.parametrize(
    "spelling",
    [
        ORG.upper(),
        "{" + ORG + "}",
        "urn:uuid:" + ORG,
        ORG.replace("-", ""),
    ],
)
def test_every_spelling_of_a_uuid_is_one_record(spelling):
    plan = _plan(
        {
            "organization": [_org(), _org(spelling)],
            "service": [_service(SVC, spelling)],
        }
    )
    assert [str(p) for p in plan.problems] == [
        f"organization row 2 (id {ORG}): id appears twice in this file"
    ]
    assert [s["organisation_id"] for s in plan.services] == [ORG]


def test_a_json_attribute_value_that_is_no_text_is_read_as_json_text():
    area = {
        "id": LOC,
        "link_id": ORG,
        "link_entity": "organization",
        "taxonomy_term_id": hsds.EXTENSION_TERMS["area_code"]["id"],
        "value": 131121,
    }
    plan = _plan({"organization": [_org()], "attribute": [area]})
    assert [o["area_code"] for o in plan.organisations] == ["131121"]
    listed = _plan({"organization": [_org()], "attribute": [{**area, "value": [1]}]})
    assert [str(p) for p in listed.problems] == [
        f"organization row 1 (id {ORG}): area code [1] is not a known JIS area"
    ]


@pytest.mark.parametrize(
    ("table", "change", "says"),
    [
        ("organization", {"website": "javascript:alert(1)"}, "website: website must be an"),
        ("organization", {"email": "not-an-email"}, "email: email is not an e-mail address."),
        ("organization", {"name": "A\x1fB"}, "name: holds a control character"),
        ("organization", {"description": "x" * 2001}, "description: description"),
        ("service", {"name": "s" * 201}, "name: name"),
        ("service", {"minimum_age": 10, "maximum_age": 3}, "ageMax: ageMax must be ≥ ageMin."),
        ("service", {"minimum_age": True}, "minimum_age must be a whole number from 0 to 120"),
        ("location", {"name": "l" * 201}, "name: name"),
        ("location", {"latitude": True, "longitude": 139.5}, "latitude/longitude are out of"),
    ],
)
def test_an_import_refuses_what_the_api_refuses(table, change, says):
    location = {"id": LOC, "name": "教室", "organization_id": ORG}
    location |= {"latitude": 35.63, "longitude": 139.58}
    tables = {"organization": [_org()], "service": [_service()], "location": [location]}
    tables[table] = [{**tables[table][0], **change}]
    plan = _plan(tables)
    assert [p.table for p in plan.problems][:1] == [table]
    assert says in plan.problems[0].message


def test_the_api_cleans_what_it_keeps_and_so_does_an_import():
    codes = [" en", "ｅｓ", "ja", "ja"]
    languages = [
        {"id": f"00000000-0000-4000-8000-{i:012x}", "service_id": SVC, "code": code}
        for i, code in enumerate(codes)
    ]
    plan = _plan({"organization": [_org()], "service": [_service()], "language": languages})
    assert plan.problems == []
    assert plan.services[0]["languages"] == ["en", "es", "ja"]


def test_an_organisation_partnered_with_itself_is_refused():
    partner = {
        "id": LOC,
        "link_id": ORG,
        "link_entity": "organization",
        "taxonomy_term_id": hsds.EXTENSION_TERMS["partner"]["id"],
        "value": json.dumps({"partner": ORG}),
    }
    plan = _plan({"organization": [_org()], "attribute": [partner]})
    assert [p.message for p in plan.problems] == [
        f'partner attribute \'{{"partner": "{ORG}"}}\' names no valid organization'
    ]


def test_tag_codes_as_the_api_takes_them_and_once_per_file():
    term = {"id": TERM, "code": "Not A Tag!", "name": "n", "taxonomy": "tsunagari:tag:NEED"}
    twice = {**term, "id": LOC, "code": "fine"}
    plan = _plan({"taxonomy_term": [term, {**twice}, {**twice, "id": SVC}]})
    assert [str(p) for p in plan.problems] == [
        f"taxonomy_term row 1 (id {TERM}): code (1-64 of a-z 0-9 _ : . -) and name are required",
        f"taxonomy_term row 3 (id {SVC}): code fine appears twice in this file",
    ]
    assert [t["code"] for t in plan.tags] == ["fine"]


def test_what_the_hub_keeps_one_of_or_none_of_is_named_as_not_read():
    phones = [
        {"id": LOC, "organization_id": ORG, "number": '"+44 1234 234567"'},
        {"id": TERM, "organization_id": ORG, "number": "03-1234-5678"},
        {"id": SVC_B, "service_id": SVC, "number": "03-1234-5678"},
    ]
    addresses = [KOMAE, {**KOMAE, "id": ORG_B}]
    location = {"id": LOC, "name": "教室", "organization_id": ORG}
    plan = _plan(
        {
            "organization": [_org()],
            "location": [location],
            "address": addresses,
            "phone": phones,
            "service_at_location": [{"id": SVC_B, "service_id": SVC, "location_id": LOC}],
        }
    )
    assert plan.problems == []
    assert plan.organisations[0]["phone"] is None
    assert [str(w) for w in plan.warnings] == [
        f"phone row 2 (id {TERM}): not read: the hub keeps one phone per organisation",
        f"phone row 3 (id {SVC_B}): not read: the hub keeps one phone per organisation",
        f"organization row 1 (id {ORG}): no tsunagari:organisation_kind attribute; taken as NPO",
        f"organization row 1 (id {ORG}): phone not taken: phone: phone may hold digits, "
        "spaces, + - ( ) only.",
        f"address row 2 (id {ORG_B}): not read: the hub keeps one address per location",
        f"service_at_location: not read: service_id {SVC} is no service in this file",
    ]
