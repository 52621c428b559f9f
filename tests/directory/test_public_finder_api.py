"""The public place finder's API: publicPlaces, publicOpportunities, publicFinderChoices,
called with no sign-in, as a resident's browser or a municipality's own site would."""

from __future__ import annotations

import pytest
from django.test import Client

from graph.session import count_round_trips
from schema.schema import schema
from tests import finder_fixtures
from tests.conftest import GraphQLClient
from tests.directory_fixtures import KAWASAKI, KAWASAKI_KU, NAKAHARA_KU

PLACES = """
query($tags: [String!], $area: String, $near: PublicNearInput, $first: Int, $after: String) {
  publicPlaces(interestTags: $tags, areaCode: $area, near: $near, first: $first, after: $after) {
    edges { cursor node {
      name description schedule ageMin ageMax languages organisationName organisationKind
      website phone locationName address postalCode areaCode areaName areaNameEn
      latitude longitude distanceKm interestTags { code labelJa labelEn }
    } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""

OPPORTUNITIES = """
query($tags: [String!], $area: String, $near: PublicNearInput, $first: Int, $after: String) {
  publicOpportunities(interestTags: $tags, areaCode: $area, near: $near, first: $first,
                      after: $after) {
    edges { node {
      title description schedule ageMin ageMax organisationName organisationKind
      locationName areaCode areaName distanceKm interestTags { code }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

CHOICES = """
{ publicFinderChoices {
    interestTags { code labelJa labelEn }
    placeAreas { code name nameEn prefectureName officeLatitude officeLongitude }
    opportunityAreas { code name }
} }
"""

ALL_PLACES = ["おはなし会", "みんなの子ども食堂", "ボードゲームの会", "囲碁サロン"]


@pytest.fixture
def network(graph_db, db, redis_db):
    return finder_fixtures.build()


@pytest.fixture
def anonymous():
    return GraphQLClient()


def _names(answer: dict, field: str = "publicPlaces", key: str = "name") -> list[str]:
    return [edge["node"][key] for edge in answer["data"][field]["edges"]]


def test_anyone_finds_only_open_exchange_type_places_by_name(network, anonymous):
    answer = anonymous(PLACES, {"first": 50})

    assert "errors" not in answer
    assert _names(answer) == ALL_PLACES
    cafe = answer["data"]["publicPlaces"]["edges"][1]["node"]
    assert cafe == {
        "name": "みんなの子ども食堂",
        "description": "毎週水曜の夕食。誰でも来られる交流型の居場所。",
        "schedule": None,
        "ageMin": None,
        "ageMax": None,
        "languages": ["ja"],
        "organisationName": "みんなの子ども食堂",
        "organisationKind": "PLACE",
        "website": None,
        "phone": None,
        "locationName": "川崎駅前会場",
        "address": None,
        "postalCode": None,
        "areaCode": KAWASAKI_KU,
        "areaName": "川崎市川崎区",
        "areaNameEn": cafe["areaNameEn"],
        "latitude": pytest.approx(35.531),
        "longitude": pytest.approx(139.697),
        "distanceKm": None,
        # Interests only: the needs it addresses (eating_alone, meal_provision) are not
        # what a resident searches by, and would label the people who come.
        "interestTags": [{"code": "cooking", "labelJa": "料理", "labelEn": "Cooking"}],
    }


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["reading"], ["おはなし会"]),
        (["reading", "go_shogi"], ["おはなし会", "囲碁サロン"]),
        (["ｒｅａｄｉｎｇ"], ["おはなし会"]),  # full-width letters fold (NFKC)
        (["photography"], []),
    ],
)
def test_a_search_by_interest_finds_places_offering_any_of_them(network, anonymous, tags, expected):
    assert _names(anonymous(PLACES, {"tags": tags})) == expected


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (KAWASAKI, ["おはなし会", "みんなの子ども食堂", "ボードゲームの会"]),  # the city: its wards
        (KAWASAKI_KU, ["みんなの子ども食堂", "ボードゲームの会"]),
        (NAKAHARA_KU, ["おはなし会"]),
    ],
)
def test_a_search_by_area_takes_the_areas_below_it(network, anonymous, area, expected):
    assert _names(anonymous(PLACES, {"area": area})) == expected


def test_a_search_by_distance_is_nearest_first_with_the_distance(network, anonymous):
    near = {"latitude": 35.5310, "longitude": 139.6970, "km": 1.0}

    edges = anonymous(PLACES, {"near": near})["data"]["publicPlaces"]["edges"]

    assert [e["node"]["name"] for e in edges] == ["みんなの子ども食堂", "ボードゲームの会"]
    assert [round(e["node"]["distanceKm"], 2) for e in edges] == [0.0, 0.29]


def test_pages_follow_each_other_by_cursor(network, anonymous):
    first = anonymous(PLACES, {"first": 3})["data"]["publicPlaces"]
    assert [e["node"]["name"] for e in first["edges"]] == ALL_PLACES[:3]
    assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (
        True,
        False,
    )

    second = anonymous(PLACES, {"first": 3, "after": first["pageInfo"]["endCursor"]})
    page = second["data"]["publicPlaces"]
    assert [e["node"]["name"] for e in page["edges"]] == ALL_PLACES[3:]
    assert (page["pageInfo"]["hasNextPage"], page["pageInfo"]["hasPreviousPage"]) == (False, True)


def test_a_page_holds_at_most_fifty(network, anonymous):
    assert "errors" not in anonymous(PLACES, {"first": 50})


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"tags": ["no_such_interest"]}, "UNKNOWN_TAG", "interestTags"),
        ({"tags": ["meal_provision"]}, "UNKNOWN_TAG", "interestTags"),  # a NEED, not an interest
        ({"tags": ["Bad Tag!"]}, "UNKNOWN_TAG", "interestTags"),
        ({"tags": ["reading"] * 21}, "TOO_LONG", "interestTags"),
        ({"area": "12345"}, "INVALID_AREA_CODE", "areaCode"),
        ({"area": "141304"}, "INVALID_AREA_CODE", "areaCode"),  # a wrong check digit
        ({"area": "999997"}, "UNKNOWN_AREA", "areaCode"),
        ({"near": {"latitude": 35.5, "longitude": 139.7, "km": 0}}, "INVALID_RADIUS", "near"),
        ({"near": {"latitude": 35.5, "longitude": 139.7, "km": 50.001}}, "INVALID_RADIUS", "near"),
        (
            {"near": {"latitude": 90.5, "longitude": 139.7, "km": 1}},
            "INVALID_COORDINATES",
            "near",
        ),
        (
            {"area": KAWASAKI, "near": {"latitude": 35.5, "longitude": 139.7, "km": 1}},
            "CONFLICTING_FILTERS",
            "near",
        ),
        ({"first": 0}, "INVALID_PAGE_SIZE", "first"),
        ({"first": 51}, "INVALID_PAGE_SIZE", "first"),
        ({"after": "not-a-cursor"}, "INVALID_CURSOR", "after"),
    ],
)
@pytest.mark.parametrize("document", [PLACES, OPPORTUNITIES])
def test_bad_input_is_refused_with_its_code_and_field(
    network, anonymous, document, variables, code, field
):
    answer = anonymous(document, variables)

    assert answer["data"] is None
    assert [e["extensions"] for e in answer["errors"]] == [{"code": code, "field": field}]


def test_the_boundaries_of_radius_and_page_are_allowed(network, anonymous):
    near = {"latitude": 35.5310, "longitude": 139.6970, "km": 50}
    assert "errors" not in anonymous(PLACES, {"near": near, "first": 50})
    assert "errors" not in anonymous(OPPORTUNITIES, {"near": near, "first": 1})


def test_opportunities_are_active_roles_by_title(network, anonymous):
    answer = anonymous(OPPORTUNITIES, {})

    nodes = [e["node"] for e in answer["data"]["publicOpportunities"]["edges"]]
    assert [n["title"] for n in nodes] == [
        "子ども食堂の調理の手伝い",
        "絵本の読み聞かせボランティア",
    ]
    assert nodes[1] == {
        "title": "絵本の読み聞かせボランティア",
        "description": None,
        "schedule": "第2土曜 10:00-11:00",
        "ageMin": 15,
        "ageMax": None,
        "organisationName": "川崎市立中原図書館",
        "organisationKind": "PLACE",
        "locationName": "中原図書館",
        "areaCode": NAKAHARA_KU,
        "areaName": "川崎市中原区",
        "distanceKm": None,
        "interestTags": [{"code": "reading"}, {"code": "volunteering"}],
    }


def test_opportunities_by_interest_area_and_distance(network, anonymous):
    def titles(variables: dict) -> list[str]:
        return _names(anonymous(OPPORTUNITIES, variables), "publicOpportunities", "title")

    assert titles({"tags": ["reading"]}) == ["絵本の読み聞かせボランティア"]
    assert titles({"area": KAWASAKI_KU}) == ["子ども食堂の調理の手伝い"]
    near = {"latitude": 35.5765, "longitude": 139.6595, "km": 2}
    assert titles({"near": near}) == ["絵本の読み聞かせボランティア"]


def test_choices_offer_the_interest_tags_and_the_areas_with_something(network, anonymous):
    choices = anonymous(CHOICES)["data"]["publicFinderChoices"]

    codes = [t["code"] for t in choices["interestTags"]]
    assert "reading" in codes
    assert "meal_provision" not in codes
    assert codes == sorted(codes)
    areas = {a["code"]: a for a in choices["placeAreas"]}
    # The wards with places, their designated city, and Setagaya.
    assert sorted(areas) == sorted([KAWASAKI, KAWASAKI_KU, NAKAHARA_KU, "131121"])
    assert areas[KAWASAKI_KU]["prefectureName"] == "神奈川県"
    assert areas[KAWASAKI_KU]["officeLatitude"] == pytest.approx(35.53, abs=0.01)
    assert [a["code"] for a in choices["opportunityAreas"]] == [KAWASAKI, KAWASAKI_KU, NAKAHARA_KU]


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (PLACES, {"tags": ["reading"]}),
        (PLACES, {"near": {"latitude": 35.531, "longitude": 139.697, "km": 5}}),
        (PLACES, {"area": KAWASAKI}),
        (OPPORTUNITIES, {"tags": ["cooking"]}),
        (CHOICES, {}),
    ],
)
def test_one_round_trip_then_none_while_the_answer_is_cached(
    network, anonymous, document, variables
):
    with count_round_trips() as trips:
        first = anonymous(document, variables)
    assert trips.count == 1

    with count_round_trips() as again:
        second = anonymous(document, variables)
    assert again.count == 0
    assert second == first


def test_the_same_search_said_differently_shares_one_cached_answer(network, anonymous):
    anonymous(PLACES, {"tags": ["reading", "go_shogi"]})
    with count_round_trips() as trips:
        anonymous(PLACES, {"tags": ["go_shogi", "ｒｅａｄｉｎｇ", "reading"]})
    assert trips.count == 0


def test_the_n_plus_first_request_in_a_minute_is_rate_limited(network, anonymous, settings):
    settings.HUB_PUBLIC_RATE = 3
    both = "{ publicPlaces { edges { node { name } } } publicOpportunities { edges { cursor } } }"

    for _ in range(3):  # two public fields in one request count once
        assert "errors" not in anonymous(both)

    refused = anonymous(PLACES, {})
    assert refused["data"] is None
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["RATE_LIMITED"]


ASK_CHOICES = {"query": "{ publicFinderChoices { interestTags { code } } }"}


def _ask(address: str, forwarded: str | None = None) -> dict:
    """The finder's choices, asked from `address` (forwarding `forwarded`, if given)."""
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    client = Client(REMOTE_ADDR=address, **headers)
    return client.post("/graphql", ASK_CHOICES, content_type="application/json").json()


def _refused(answer: dict) -> bool:
    return answer["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_the_limit_is_per_client_address(network, settings):
    settings.HUB_PUBLIC_RATE = 1

    assert "errors" not in _ask("192.0.2.1")
    assert "errors" not in _ask("192.0.2.2")
    assert _refused(_ask("192.0.2.1"))


def test_behind_a_trusted_proxy_the_limit_is_per_forwarded_client(network, settings):
    from referral_hub.core.forwarding import parse_networks

    settings.HUB_PUBLIC_RATE = 1
    settings.HUB_TRUSTED_PROXIES = parse_networks("10.244.0.0/16")

    assert "errors" not in _ask("10.244.3.4", "192.0.2.1")
    assert "errors" not in _ask("10.244.3.4", "192.0.2.2")
    assert _refused(_ask("10.244.7.7", "192.0.2.1"))  # through another ingress pod: the same
    # Anyone else's header is not believed: a direct caller is counted by its own address.
    assert "errors" not in _ask("198.51.100.9", "192.0.2.3")
    assert _refused(_ask("198.51.100.9", "192.0.2.4"))


def test_an_ipv6_client_is_counted_by_its_64(network, settings):
    settings.HUB_PUBLIC_RATE = 1

    assert "errors" not in _ask("2001:db9:1:2::1")
    assert _refused(_ask("2001:db9:1:2:ffff::9"))  # another address of the same line
    assert "errors" not in _ask("2001:db9:1:3::1")  # the next /64: another client


# Every field a public type may have: public directory data and nothing else. A field
# added to one of these types fails here until it is judged public and listed.
PUBLIC_FIELDS = {
    "PublicPlaceConnection": {"edges", "pageInfo"},
    "PublicPlaceEdge": {"node", "cursor"},
    "PublicOpportunityConnection": {"edges", "pageInfo"},
    "PublicOpportunityEdge": {"node", "cursor"},
    "PageInfo": {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"},
    "PublicPlace": {
        "name", "description", "schedule", "ageMin", "ageMax", "languages",
        "organisationName", "organisationKind", "website", "phone", "locationName",
        "address", "postalCode", "areaCode", "areaName", "areaNameEn", "latitude",
        "longitude", "distanceKm", "interestTags",
    },
    "PublicOpportunity": {
        "title", "description", "schedule", "ageMin", "ageMax", "organisationName",
        "organisationKind", "locationName", "address", "postalCode", "areaCode", "areaName",
        "areaNameEn", "latitude", "longitude", "distanceKm", "interestTags",
    },
    "PublicInterestTag": {"code", "labelJa", "labelEn"},
    "PublicFinderChoices": {"interestTags", "placeAreas", "opportunityAreas"},
    "PublicArea": {
        "code", "name", "nameEn", "prefectureName", "officeLatitude", "officeLongitude",
    },
}  # fmt: skip


def _reachable(type_name: str, seen: set[str]) -> None:
    from graphql import get_named_type, is_object_type

    graphql_type = schema.graphql_schema.get_type(type_name)
    if type_name in seen or not is_object_type(graphql_type):
        return
    seen.add(type_name)
    for field in graphql_type.fields.values():
        _reachable(get_named_type(field.type).name, seen)


def test_the_public_types_expose_only_the_allowlisted_fields():
    query = schema.graphql_schema.query_type
    seen: set[str] = set()
    for root in ("publicPlaces", "publicOpportunities", "publicFinderChoices"):
        from graphql import get_named_type

        _reachable(get_named_type(query.fields[root].type).name, seen)

    assert seen == set(PUBLIC_FIELDS)
    fields = {name: set(schema.graphql_schema.get_type(name).fields) for name in seen}
    assert fields == PUBLIC_FIELDS
    # No id of anything, no member, no capacity, no statistics band, anywhere.
    everything = set().union(*fields.values())
    assert not {f for f in everything if f == "id" or f.endswith("Id") or "capacity" in f.lower()}
    assert not {"responsiveness", "members", "acceptsReferrals", "replyBand"} & everything
