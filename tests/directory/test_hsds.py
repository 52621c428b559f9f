"""HSDS 3.0 export and import against the real graph: round trip, idempotence, bad files."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from graph import session
from referral_hub.accounts.actor import SYSTEM
from referral_hub.directory import services
from tests import directory_fixtures
from tests.conftest import directory_counts, graph_counts, wipe_graph


@pytest.fixture
def network(graph_db):
    network = directory_fixtures.build()
    services.partnership_add(
        actor=SYSTEM,
        organisation_id=network["school"],
        partner_id=network["welfare"],
        since="2020-04-01",
        shares_data=True,
    )
    services.partnership_add(
        actor=SYSTEM, organisation_id=network["npo"], partner_id=network["school"]
    )
    services.organisation_deactivate(actor=SYSTEM, organisation_id=network["cafe_org"])
    services.service_update(
        actor=SYSTEM,
        service_id=network["study"],
        data={"schedule": "月・水 15:00-18:00", "languages": ["ja", "en"]},
    )
    # One address HSDS can hold whole, one it cannot (no postal code).
    services.location_update(
        actor=SYSTEM,
        location_id=network["npo_loc"],
        data={"address": "中原区小杉町3-1", "postal_code": "211-0063"},
    )
    services.location_update(
        actor=SYSTEM, location_id=network["cafe_loc"], data={"address": "川崎区駅前本町11"}
    )
    return network


def export(path):
    call_command("export_hsds", str(path), stdout=StringIO())
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.iterdir())}


@pytest.mark.parametrize("target", ["directory.json", "csv-folder"])
def test_export_import_export_gives_the_same_data(network, tmp_path, target):
    first = export(tmp_path / target)
    wipe_graph()
    assert graph_counts()[0] == 0

    call_command("import_hsds", str(tmp_path / target), stdout=StringIO(), stderr=StringIO())

    second = export(tmp_path / f"again-{target}")
    assert second == first


def test_the_export_is_hsds_shaped(network, tmp_path):
    tables = export(tmp_path / "d.json")
    assert set(tables) == {
        "organization",
        "service",
        "location",
        "address",
        "phone",
        "service_at_location",
        "schedule",
        "language",
        "taxonomy",
        "taxonomy_term",
        "attribute",
    }
    assert len(tables["organization"]) == 4
    assert len(tables["service"]) == 5
    service = next(s for s in tables["service"] if s["name"] == "学習支援教室")
    assert (service["minimum_age"], service["maximum_age"], service["status"]) == (9, 18, "active")
    terms = {t["id"]: t for t in tables["taxonomy_term"]}
    tagged = {
        terms[a["taxonomy_term_id"]]["code"]
        for a in tables["attribute"]
        if a["link_id"] == service["id"]
    }
    assert {"study_support", "school_non_attendance", "tsunagari:service_mode:SUPPORT"} <= tagged
    # Opening times and languages in HSDS's own tables, not private attributes.
    assert [(s["service_id"], s["description"]) for s in tables["schedule"]] == [
        (service["id"], "月・水 15:00-18:00")
    ]
    assert sorted(
        (row["code"], row["service_id"] == service["id"]) for row in tables["language"]
    ) == [("en", True), ("ja", False), ("ja", False), ("ja", False), ("ja", False), ("ja", True)]
    assert not {"schedule", "languages"} & {
        terms[a["taxonomy_term_id"]]["name"] for a in tables["attribute"]
    }
    # Every term names its taxonomy, and every taxonomy is in the file, described.
    taxonomies = {t["id"]: t for t in tables["taxonomy"]}
    assert {terms[t]["taxonomy_id"] for t in terms} == set(taxonomies)
    study_support = next(t for t in terms.values() if t["code"] == "study_support")
    assert taxonomies[study_support["taxonomy_id"]] == {
        "id": study_support["taxonomy_id"],
        "name": "tsunagari:tag:NEED",
        "description": "Tsunagari Referral Hub tags: needs a service meets (ニーズ)",
    }
    assert (study_support["name"], study_support["language"]) == ("学習支援", "ja")
    # A Japanese term is described in Japanese; the English travels privately.
    assert study_support["description"] == (
        "学校の時間外に、無料または低額で宿題や勉強を見てもらう必要がある子ども。"
    )
    english = {
        terms[a["taxonomy_term_id"]]["code"]: a["value"]
        for a in tables["attribute"]
        if a["link_id"] == study_support["id"]
    }
    assert english == {
        "tsunagari:label_en": "Study support",
        "tsunagari:description_en": "A child needs free or low-cost help with homework and "
        "schoolwork outside school hours.",
        "tsunagari:stigma_sensitive": "true",
    }


def test_an_address_goes_whole_into_hsds_or_privately(network, tmp_path):
    tables = export(tmp_path / "d.json")
    assert [{k: v for k, v in a.items() if k not in ("id",)} for a in tables["address"]] == [
        {
            "location_id": network["npo_loc"],
            "address_1": "中原区小杉町3-1",
            "city": "川崎市中原区",
            "state_province": "神奈川県",
            "postal_code": "211-0063",
            "country": "JP",
            "address_type": "physical",
        }
    ]
    terms = {t["id"]: t["code"] for t in tables["taxonomy_term"]}
    private = {
        (terms[a["taxonomy_term_id"]], a["value"])
        for a in tables["attribute"]
        if a["link_id"] == network["cafe_loc"]
    }
    assert ("tsunagari:address_1", "川崎区駅前本町11") in private
    assert not any(code == "tsunagari:postal_code" for code, _ in private)


def test_reimport_changes_nothing(network, tmp_path):
    export(tmp_path / "d.json")
    before = directory_counts()
    call_command("import_hsds", str(tmp_path / "d.json"), stdout=StringIO(), stderr=StringIO())
    call_command("import_hsds", str(tmp_path / "d.json"), stdout=StringIO(), stderr=StringIO())
    assert directory_counts() == before


def _broken_copy(tmp_path):
    tables = export(tmp_path / "good.json")
    org = next(o for o in tables["organization"] if o["name"] == "NPO法人まなびの森")
    tables["organization"].append({**org, "id": "not-a-uuid", "name": "bad id"})
    org["name"] = ""  # the NPO itself becomes invalid, and so do its services and locations
    location = next(loc for loc in tables["location"] if loc["organization_id"] != org["id"])
    location["latitude"] = 123.0
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    return path, org, location


def test_a_bad_file_is_reported_record_by_record_and_nothing_is_written(network, tmp_path):
    path, org, location = _broken_copy(tmp_path)
    wipe_graph()
    before = graph_counts()
    errors = StringIO()

    with pytest.raises(CommandError, match="INVALID_HSDS"):
        call_command("import_hsds", str(path), stdout=StringIO(), stderr=errors)

    report = errors.getvalue()
    assert "organization row 5 (id not-a-uuid): id must be a UUID" in report
    assert f"(id {org['id']}): name is required" in report
    assert f"(id {location['id']}): latitude/longitude" in report
    assert "is not a valid organization" in report  # the NPO's services, named one by one
    assert graph_counts() == before


def test_skip_invalid_imports_the_rest(network, tmp_path):
    path, _, _ = _broken_copy(tmp_path)
    wipe_graph()
    errors = StringIO()

    call_command("import_hsds", str(path), "--skip-invalid", stdout=StringIO(), stderr=errors)

    assert "skipped:" in errors.getvalue()
    names = session.read(
        lambda tx: tx.rows("MATCH (s:Service) RETURN s.name AS name ORDER BY name")
    )
    imported = {row["name"] for row in names}
    assert "子ども家庭相談" in imported
    assert not imported & {"学習支援教室", "フリースクール"}  # services of the invalid NPO


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"organization": "x"}'])
def test_a_file_that_is_not_hsds_is_refused(graph_db, tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    before = graph_counts()
    with pytest.raises(CommandError, match="INVALID_HSDS"):
        call_command("import_hsds", str(path), stdout=StringIO(), stderr=StringIO())
    assert graph_counts() == before


def test_services_may_be_placed_at_locations_the_graph_already_holds(network, tmp_path):
    """A file need not repeat the locations the graph has: its services may be placed at
    them (one check against the graph for the operator's import and an admin's upload)."""
    tables = export(tmp_path / "all.json")
    held = {location["id"] for location in tables.pop("location")}
    assert held
    assert {link["location_id"] for link in tables["service_at_location"]} <= held
    for name in ("address", "phone", "attribute"):
        tables[name] = [
            row
            for row in tables[name]
            if row.get("location_id") not in held and row.get("link_id") not in held
        ]
    path = tmp_path / "without-locations.json"
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    before = directory_counts()

    call_command("import_hsds", str(path), stdout=StringIO(), stderr=StringIO())

    assert directory_counts() == before
    whole = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert export(tmp_path / "again.json") == whole  # every service still at its locations
