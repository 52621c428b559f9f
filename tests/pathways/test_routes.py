"""routes on a small hand-built partnership graph where every answer is known."""

import pytest

from graph.session import count_round_trips
from referral_hub.accounts.actor import SYSTEM
from referral_hub.directory import services

ROUTES = """
query($o: ID!, $need: String!, $hops: Int) {
  routes(fromOrganisation: $o, need: $need, maxHops: $hops) {
    hops organisations { name } services { name mode }
  }
}"""


def _org(name, kind):
    return services.organisation_create(
        actor=SYSTEM, data={"name": name, "kind": kind, "area_code": "141313"}
    )["id"]


def _svc(org, name, mode, tags):
    services.service_create(
        actor=SYSTEM, data={"organisation_id": org, "name": name, "mode": mode, "tag_codes": tags}
    )


@pytest.fixture
def chain(graph_db, db):
    """S ─ P1 ─ W(financial)      S ─ P2 ─ C(meals) ─ F(financial)      X(financial), alone"""
    ids = {
        "S": _org("桜中学校", "SCHOOL"),
        "P1": _org("NPO法人まなび", "NPO"),
        "P2": _org("図書館", "PLACE"),
        "W": _org("福祉事務所", "WELFARE_OFFICE"),
        "C": _org("こども食堂", "PLACE"),
        "F": _org("フードバンク", "NPO"),
        "X": _org("離れた相談所", "NPO"),
    }
    for a, b in (("S", "P1"), ("S", "P2"), ("P1", "W"), ("P2", "C"), ("C", "F")):
        services.partnership_add(actor=SYSTEM, organisation_id=ids[a], partner_id=ids[b])
    _svc(ids["W"], "生活相談", "SUPPORT", ["financial_hardship"])
    _svc(ids["C"], "こども食堂", "EXCHANGE", ["meal_provision"])
    _svc(ids["F"], "食料支援", "SUPPORT", ["financial_hardship", "meal_provision"])
    _svc(ids["X"], "家計相談", "SUPPORT", ["financial_hardship"])
    return ids


def names(route):
    return [o["name"] for o in route["organisations"]]


def test_shortest_chains_nearest_first(gql, chain):
    gql(ROUTES, {"o": chain["S"], "need": "financial_hardship", "hops": 3})  # tags cached
    with count_round_trips() as trips:
        body = gql(ROUTES, {"o": chain["S"], "need": "financial_hardship", "hops": 3})
    assert trips.count == 1
    routes = body["data"]["routes"]
    assert [(r["hops"], names(r)) for r in routes] == [
        (2, ["桜中学校", "NPO法人まなび", "福祉事務所"]),
        (3, ["桜中学校", "図書館", "こども食堂", "フードバンク"]),
    ]
    assert routes[0]["services"] == [{"name": "生活相談", "mode": "SUPPORT"}]


def test_the_hop_limit_and_other_needs(gql, chain):
    two = gql(ROUTES, {"o": chain["S"], "need": "financial_hardship", "hops": 2})
    assert [names(r)[-1] for r in two["data"]["routes"]] == ["福祉事務所"]
    meals = gql(ROUTES, {"o": chain["S"], "need": "meal_provision", "hops": 4})
    assert [(r["hops"], names(r)[-1]) for r in meals["data"]["routes"]] == [
        (2, "こども食堂"),
        (3, "フードバンク"),
    ]
    alone = gql(ROUTES, {"o": chain["X"], "need": "meal_provision", "hops": 4})
    assert alone["data"]["routes"] == []


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"hops": 5}, "OUT_OF_RANGE", "maxHops"),
        ({"hops": 0}, "OUT_OF_RANGE", "maxHops"),
        ({"need": "no_such_tag"}, "UNKNOWN_TAG", "need"),
        ({"o": "not-a-uuid"}, "INVALID", "fromOrganisation"),
        ({"o": "00000000-0000-4000-8000-000000000000"}, "UNKNOWN_ORGANISATION", "fromOrganisation"),
    ],
)
def test_bad_input_is_a_typed_error(gql, chain, variables, code, field):
    body = gql(ROUTES, {"o": chain["S"], "need": "financial_hardship", "hops": 3, **variables})
    assert body["errors"][0]["extensions"] == {"code": code, "field": field}
