"""coverage on a hand-built 川崎市 where every count and gap is known."""

import pytest

from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.pathways.disclosure import perturbed
from referral_hub.subjects import services as subjects
from tests.conftest import member
from tests.directory_fixtures import _loc, _org, _svc
from tests.pathways import cell_keys

COVERAGE = """
query($area: String!, $months: Int) {
  coverage(area: $area, months: $months) {
    area tags { code services places } missingTags emptyAreas { code name }
    subAreas { code name tags { code places } } unconnectedSubjects
  }
}"""
KAWASAKI_WARDS = ["141313", "141321", "141330", "141348", "141356", "141364", "141372"]


@pytest.fixture
def city(graph_db, db):
    npo = _org("NPO法人まなび", "NPO", "141313")
    school = _org("桜中学校", "SCHOOL", "141313")
    kawasaki_ku = _loc(npo, "川崎教室", "141313", 35.53, 139.70)
    nakahara = _loc(npo, "中原教室", "141330", 35.57, 139.66)
    _svc(npo, kawasaki_ku, "こども食堂", "EXCHANGE", ["meal_provision", "eating_alone"])
    _svc(
        npo,
        kawasaki_ku,
        "学習支援",
        "SUPPORT",
        ["study_support"],
        location_ids=[kawasaki_ku, nakahara],
    )
    coordinator = member(
        "coordinator", _org("川崎市 こども未来局", "MUNICIPALITY", "141305"), Role.COORDINATOR
    )
    counsellor = Actor(username="c", organisation_id=school, roles=frozenset({Role.COUNSELLOR}))
    return coordinator, counsellor


def register(counsellor, count):
    for _ in range(count):
        subjects.subject_register(
            actor=counsellor, data={"birthYear": 2012, "areaCode": "141313", "name": "山田 太郎"}
        )


def test_many_places_somewhere_for_everyone_and_the_unconnected(city):
    coordinator, counsellor = city
    answer = coordinator(COVERAGE, {"area": "141305"})["data"]["coverage"]
    assert answer["tags"] == [
        {"code": "eating_alone", "services": 1, "places": 1},
        {"code": "meal_provision", "services": 1, "places": 1},
        {"code": "study_support", "services": 1, "places": 2},
    ]
    assert "financial_hardship" in answer["missingTags"]
    assert "meal_provision" not in answer["missingTags"]
    assert [a["code"] for a in answer["emptyAreas"]] == [
        w for w in KAWASAKI_WARDS if w not in ("141313", "141330")
    ]
    # The area × tag table: every direct sub-area, each with the tags it has places for.
    tables = {a["code"]: a["tags"] for a in answer["subAreas"]}
    assert list(tables) == KAWASAKI_WARDS
    assert tables["141313"] == [
        {"code": "eating_alone", "places": 1},
        {"code": "meal_provision", "places": 1},
        {"code": "study_support", "places": 1},
    ]
    assert tables["141330"] == [{"code": "study_support", "places": 1}]
    assert all(tables[w] == [] for w in KAWASAKI_WARDS if w not in ("141313", "141330"))
    assert {a["code"]: a["name"] for a in answer["subAreas"]}["141330"] == "川崎市中原区"
    assert answer["unconnectedSubjects"] == 0

    register(counsellor, 4)
    cell_keys.fix(0)  # cell key 0: the published figure is known
    assert perturbed(4, 0) is None  # 4 + 0: under 5, hidden
    assert (
        coordinator(COVERAGE, {"area": "141305"})["data"]["coverage"]["unconnectedSubjects"] is None
    )
    register(counsellor, 1)
    cell_keys.fix(0)
    assert perturbed(5, 0) == 8  # 5 + 3: published within 3 of the truth
    assert coordinator(COVERAGE, {"area": "141305"})["data"]["coverage"]["unconnectedSubjects"] == 8
    ward = coordinator(COVERAGE, {"area": "141330"})["data"]["coverage"]
    assert [t["code"] for t in ward["tags"]] == ["study_support"]
    assert ward["subAreas"] == []  # a ward has no areas below it
    assert ward["unconnectedSubjects"] == 0


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"area": "131121"}, "FORBIDDEN"),  # 世田谷区 is not the coordinator's
        ({"area": "999999"}, "UNKNOWN_AREA"),
        ({"area": "141305", "months": 0}, "OUT_OF_RANGE"),
        ({"area": "141305", "months": 25}, "OUT_OF_RANGE"),
    ],
)
def test_refusals(city, variables, code):
    coordinator, _ = city
    body = coordinator(COVERAGE, variables)
    assert body["errors"][0]["extensions"]["code"] == code
