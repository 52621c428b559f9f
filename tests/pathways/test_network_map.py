"""networkMap on the hand-built network: the area's organisations with where they are,
what they offer and the tags they address; the partnerships and referral flows between
them only (edges that leave the area are left out); flows published through the
cell-key method, a small one left out whole; scope and range refusals; round trips."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from graph.session import count_round_trips
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.roles import Role
from referral_hub.directory import services as directory
from referral_hub.pathways.disclosure import perturbed
from referral_hub.pathways.rules import recent_months
from tests import directory_fixtures
from tests.conftest import member
from tests.pathways import cell_keys
from tests.referrals.flows import REGISTER, build_case, create, give_consent

MAP = """
query($area: String!, $months: Int) {
  networkMap(area: $area, months: $months) {
    since until
    organisations { ids names kinds areaCodes latitudes longitudes modes tags }
    partnerships { sources targets }
    flows { sources targets referrals }
    suppressedFlows
  }
}"""


def rows(columns):
    """The answer's column-oriented lists as one dict per entry (ids → id, …)."""
    singular = {"ids": "id", "names": "name", "kinds": "kind", "areaCodes": "areaCode",
                "latitudes": "latitude", "longitudes": "longitude", "sources": "source",
                "targets": "target"}  # fmt: skip
    keys = [singular.get(key, key) for key in columns]
    lengths = {len(values) for values in columns.values()}
    assert len(lengths) == 1, columns  # every column describes the same entries
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def refer_to_study(network, people, count):
    for _ in range(count):
        subject = people["counsellor"](REGISTER)["data"]["registerSubject"]["subject"]["id"]
        give_consent(people, subject, organisationIds=[network["npo"]])
        sent = create(people, subject, network["study"], acceptWaitlist=True)
        assert sent["data"]["createReferral"]["errors"] == []


@pytest.fixture
def mapped(graph_db, db, redis_db):
    network, people, _ = build_case()
    for a, b in (("school", "npo"), ("school", "welfare")):  # the welfare office is in 世田谷区
        directory.partnership_add(actor=SYSTEM, organisation_id=network[a], partner_id=network[b])
    office = directory_fixtures.build_auditor_org("川崎市 こども未来局", "141305")
    coordinator = member("coordinator", office, Role.COORDINATOR)
    return network, people, coordinator, office


def test_the_map_of_an_area(mapped):
    network, people, coordinator, _ = mapped
    refer_to_study(network, people, 2)
    cell_keys.fix(0)
    found = coordinator(MAP, {"area": "141305"})["data"]["networkMap"]
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    period = tuple(d.isoformat() for d in recent_months(today, 12))
    assert (found["since"], found["until"]) == period
    organisations = rows(found["organisations"])
    by_name = {o["name"]: o for o in organisations}
    # Kawasaki's four; 世田谷区福祉事務所 is outside the area.
    assert [o["name"] for o in organisations] == [
        "川崎市 こども未来局",
        "NPO法人まなびの森",
        "みんなの子ども食堂",
        "川崎市立桜中学校",
    ]  # by kind (MUNICIPALITY, NPO, PLACE, SCHOOL), then name
    npo = by_name["NPO法人まなびの森"]
    assert (npo["id"], npo["kind"], npo["areaCode"]) == (network["npo"], "NPO", "141330")
    assert (npo["latitude"], npo["longitude"]) == pytest.approx((35.576, 139.659))
    assert npo["modes"] == ["SUPPORT"]
    assert sorted(npo["tags"]) == ["school_non_attendance", "study_support"]
    cafe = by_name["みんなの子ども食堂"]
    assert cafe["modes"] == ["EXCHANGE"]
    assert sorted(cafe["tags"]) == ["cooking", "eating_alone", "meal_provision"]
    # The school has no place of its own (its counsellor sits in the cafeteria's hall).
    school = by_name["川崎市立桜中学校"]
    assert (school["latitude"], school["longitude"]) == (None, None)
    assert school["modes"] == ["SUPPORT"]
    assert by_name["川崎市 こども未来局"]["modes"] == []
    # school–NPO is inside; school–welfare office leaves the area.
    partnerships = rows(found["partnerships"])
    assert [{*p.values()} for p in partnerships] == [{network["school"], network["npo"]}]
    # Two referrals school → NPO publish as 2 + 1 = 3 with cell key 0: left out whole.
    assert perturbed(2, 0) is None
    assert (rows(found["flows"]), found["suppressedFlows"]) == ([], 1)

    refer_to_study(network, people, 3)
    cell_keys.fix(0)
    found = coordinator(MAP, {"area": "141305"})["data"]["networkMap"]
    assert rows(found["flows"]) == [
        {"source": network["school"], "target": network["npo"], "referrals": perturbed(5, 0)}
    ]
    assert perturbed(5, 0) == 8
    assert found["suppressedFlows"] == 0
    # A ward's map holds only the ward's organisations, and no edge leaves it.
    ward = coordinator(MAP, {"area": "141313"})["data"]["networkMap"]
    assert set(ward["organisations"]["names"]) == {"みんなの子ども食堂", "川崎市立桜中学校"}
    assert (rows(ward["partnerships"]), rows(ward["flows"])) == ([], [])


def test_the_map_is_one_statement_after_the_callers_area(mapped):
    _, _, coordinator, _ = mapped
    coordinator(MAP, {"area": "141305"})  # tags and areas cached
    with count_round_trips() as trips:
        coordinator(MAP, {"area": "141305"})
    # The caller's own area (the scope every aggregate checks), then the map.
    assert trips.count == 2, trips.statements


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"area": "131121"}, "FORBIDDEN", None),  # 世田谷区 is not the coordinator's
        ({"area": "999999"}, "UNKNOWN_AREA", "area"),
        ({"area": "141305", "months": 0}, "OUT_OF_RANGE", "months"),
        ({"area": "141305", "months": 25}, "OUT_OF_RANGE", "months"),
    ],
)
def test_refusals(mapped, variables, code, field):
    _, _, coordinator, _ = mapped
    error = coordinator(MAP, variables)["errors"][0]
    assert error["extensions"]["code"] == code
    assert error["extensions"].get("field") == field


@pytest.mark.parametrize("months", [1, 24])
def test_both_ends_of_the_months_range(mapped, months):
    _, _, coordinator, _ = mapped
    found = coordinator(MAP, {"area": "141305", "months": months})["data"]["networkMap"]
    first = date.fromisoformat(found["since"])
    last = date.fromisoformat(found["until"])
    assert (last.year - first.year) * 12 + last.month - first.month == months


def test_only_coordinators_and_auditors_see_it(mapped):
    *_, office = mapped
    for role in (Role.COUNSELLOR, Role.CASEWORKER, Role.ORG_ADMIN):
        other = member(f"x-{role.value.lower()}", office, role)
        assert other(MAP, {"area": "141305"})["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    auditor = member("auditor", office, Role.AUDITOR)
    assert auditor(MAP, {"area": "141305"})["data"]["networkMap"]["organisations"]["ids"]
