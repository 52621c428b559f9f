"""The elderly network (issue 20) where every answer is known: recommend, routes, coverage
and flows answer for the salon-to-centre story as they do for the school story, and the
demo history runs both stories through the API's own services (tests/elderly_fixtures.py
draws the network)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from graph import session
from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from referral_hub.pathways.disclosure import perturbed
from referral_hub.referrals import demo_history
from tests import directory_fixtures, elderly_fixtures
from tests.conftest import member
from tests.directory_fixtures import KAWASAKI, KAWASAKI_KU
from tests.pathways import cell_keys

ROUTES = """
query($o: ID!, $need: String!, $hops: Int) {
  routes(fromOrganisation: $o, need: $need, maxHops: $hops) {
    hops organisations { name kind } services { name }
  }
}"""
RECOMMEND = """
query($o: ID!, $needs: [String!], $area: String) {
  recommend(fromOrganisation: $o, needTags: $needs, area: $area) {
    items { rank needsMet partnershipHops service { name organisation { kind } } }
  }
}"""
COVERAGE = """
query($area: String!) { coverage(area: $area) { tags { code services places } missingTags } }
"""
FLOWS = """
query($area: String!, $since: Date!, $until: Date!) {
  flows(area: $area, since: $since, until: $until) {
    cells { source { kind } target { kind } referrals completionRate }
    suppressedCells
  }
}"""
THIS_MONTH = datetime.now(ZoneInfo("Asia/Tokyo")).date().replace(day=1)
PERIOD = {
    "since": THIS_MONTH.isoformat(),
    "until": (THIS_MONTH + timedelta(days=32)).replace(day=1).isoformat(),
}
_STORIES = """
MATCH (r:Referral)-[:FROM]->(f:Organisation), (r)-[:TO]->(s:Service)<-[:PROVIDES]-(t)
MATCH (r)-[:UNDER]->(c:Consent)
RETURN f.kind AS source, t.kind AS target, r.state AS state, c.givenBy AS givenBy,
       c.guardianshipType AS guardianship, count(*) AS n
ORDER BY source, target, state, givenBy
"""


@pytest.fixture
def elderly(graph_db, db):
    return elderly_fixtures.build()


def coordinator():
    city = directory_fixtures.build_auditor_org("川崎市 健康福祉局", KAWASAKI)
    return member("coordinator", city, Role.COORDINATOR)


def _names(route):
    return [o["name"] for o in route["organisations"]]


def test_routes_from_the_salon_to_the_centre_and_the_care_managers(gql, elderly):
    gql(ROUTES, {"o": elderly["salon_org"], "need": "carer_burnout", "hops": 3})  # tags cached
    with count_round_trips() as trips:
        body = gql(ROUTES, {"o": elderly["salon_org"], "need": "long_term_care_consultation"})
    assert trips.count == 1
    routes = body["data"]["routes"]
    assert [(r["hops"], _names(r)) for r in routes] == [
        (2, ["みなとサロン", "川崎区社会福祉協議会", "川崎区地域包括支援センター"]),
        (
            3,
            [
                "みなとサロン",
                "川崎区社会福祉協議会",
                "川崎区地域包括支援センター",
                "川崎区居宅介護支援事業所",
            ],
        ),
    ]
    assert [o["kind"] for o in routes[1]["organisations"]][2:] == [
        "COMPREHENSIVE_SUPPORT_CENTRE",
        "CARE_MANAGEMENT_OFFICE",
    ]
    burnout = gql(ROUTES, {"o": elderly["salon_org"], "need": "carer_burnout", "hops": 3})
    assert [_names(r)[-1] for r in burnout["data"]["routes"]] == ["川崎区地域包括支援センター"]
    one_hop = gql(ROUTES, {"o": elderly["salon_org"], "need": "carer_burnout", "hops": 1})
    assert one_hop["data"]["routes"] == []


def test_recommend_sends_a_worn_out_carer_to_the_centre(gql, elderly):
    variables = {"o": elderly["salon_org"], "area": KAWASAKI_KU}
    burnout = gql(RECOMMEND, {**variables, "needs": ["carer_burnout"]})["data"]["recommend"]
    assert [
        (i["rank"], i["service"]["name"], i["needsMet"], i["partnershipHops"])
        for i in burnout["items"]
    ] == [(1, "高齢者総合相談・家族介護者の相談", ["carer_burnout"], 2)]
    care = gql(RECOMMEND, {**variables, "needs": ["long_term_care_consultation", "dementia"]})
    assert [
        (i["service"]["organisation"]["kind"], sorted(i["needsMet"]), i["partnershipHops"])
        for i in care["data"]["recommend"]["items"]
    ] == [
        ("COMPREHENSIVE_SUPPORT_CENTRE", ["dementia", "long_term_care_consultation"], 2),
        ("CARE_MANAGEMENT_OFFICE", ["dementia", "long_term_care_consultation"], 3),
    ]


def test_coverage_counts_the_elderly_pathway(elderly):
    answer = coordinator()(COVERAGE, {"area": KAWASAKI})["data"]["coverage"]
    counted = {t["code"]: (t["services"], t["places"]) for t in answer["tags"]}
    assert counted["carer_burnout"] == (1, 1)
    assert counted["family_carers"] == (1, 1)
    assert counted["living_alone"] == (1, 1)
    assert counted["long_term_care_consultation"] == (2, 2)
    assert counted["dementia"] == (2, 2)
    assert counted["older_people"] == (2, 2)  # the salon and the centre
    assert "carer_burnout" not in answer["missingTags"]


def test_the_demo_history_runs_both_stories_through_the_services(graph_db, db, redis_db):
    school = directory_fixtures.build()
    centre = elderly_fixtures.build()
    history = demo_history.seed(area=KAWASAKI_KU, referrals=12, carers=6, seed=3)
    assert history is not None
    assert (history.referrals, history.elderly_referrals) == (12, 6)
    rows = [dict(r) for r in session.read(lambda tx: tx.rows(_STORIES))]
    elderly_rows = [r for r in rows if r["source"] == "PLACE"]
    assert elderly_rows == [
        {
            "source": "PLACE",
            "target": "COMPREHENSIVE_SUPPORT_CENTRE",
            "state": "COMPLETED",
            "givenBy": "LEGAL_GUARDIAN",
            "guardianship": "CURATORSHIP",
            "n": 2,
        },
        {
            "source": "PLACE",
            "target": "COMPREHENSIVE_SUPPORT_CENTRE",
            "state": "COMPLETED",
            "givenBy": "SUBJECT",
            "guardianship": None,
            "n": 4,
        },
    ]
    assert sum(r["n"] for r in rows if r["source"] == "SCHOOL") == 12
    assert {r["givenBy"] for r in rows if r["source"] == "SCHOOL"} == {"GUARDIAN"}
    audited = session.read(
        lambda tx: tx.single(
            "MATCH (e:AuditEvent {action: 'REFERRAL_CREATE'}) RETURN count(e) AS n"
        )
    )
    assert audited["n"] == 18

    cell_keys.fix(0)
    flows = coordinator()(FLOWS, {"area": KAWASAKI, **PERIOD})["data"]["flows"]
    cells = {(c["source"]["kind"], c["target"]["kind"]): c for c in flows["cells"]}
    carers = cells[("PLACE", "COMPREHENSIVE_SUPPORT_CENTRE")]
    assert carers["referrals"] == perturbed(6, 0)
    assert ("SCHOOL", "PLACE") in cells  # the first story's cell is still there

    # recommend still answers the first story's question as before, and the second's
    child = recommended(school["school"], ["meal_provision"], KAWASAKI_KU)
    assert [i["service"]["name"] for i in child] == ["みんなの子ども食堂"]
    carer = recommended(centre["salon_org"], ["carer_burnout"], KAWASAKI_KU)
    assert [i["service"]["name"] for i in carer] == ["高齢者総合相談・家族介護者の相談"]
    again = demo_history.seed(area=KAWASAKI_KU, referrals=12, carers=6, seed=3)
    assert again is None


def recommended(organisation, needs, area):
    """recommend as any signed-in member asks it (no subject)."""
    client = member(f"m-{organisation[:8]}", organisation, Role.COUNSELLOR)
    body = client(RECOMMEND, {"o": organisation, "needs": needs, "area": area})
    return body["data"]["recommend"]["items"]


def test_a_network_without_centres_tells_its_first_story_alone(graph_db, db, redis_db):
    directory_fixtures.build()
    history = demo_history.seed(area=KAWASAKI_KU, referrals=4, carers=6, seed=3)
    assert history is not None
    assert (history.referrals, history.elderly_referrals) == (4, 0)


def test_a_network_of_salons_alone_tells_the_second_story(graph_db, db, redis_db):
    elderly_fixtures.build()
    history = demo_history.seed(area=KAWASAKI_KU, referrals=4, carers=3, seed=3)
    assert history is not None
    assert (history.referrals, history.elderly_referrals) == (0, 3)
