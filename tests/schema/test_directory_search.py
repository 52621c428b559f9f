"""services(filter, sort, first, after): composable filters over a network with known answers."""

import pytest

from graph.session import count_round_trips
from tests import directory_fixtures

SEARCH = """
query Search($filter: ServiceFilterInput, $sort: ServiceSort, $first: Int, $after: String) {
  services(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { cursor node { id name distanceKm } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

FULL_SELECTION = """
query Everything($filter: ServiceFilterInput) {
  services(filter: $filter, first: 50) {
    edges { node {
      id name description mode ageMin ageMax languages schedule acceptsReferrals
      responseTargetHours capacityStatus capacityUpdatedAt active createdAt updatedAt distanceKm
      organisation { id name kind areaCode }
      locations { id name address postalCode latitude longitude area { code name kind } }
      tags { code kind labelJa labelEn stigmaSensitive }
    } }
  }
}
"""


@pytest.fixture
def network(graph_db):
    return directory_fixtures.build()


def names(gql, filter=None, sort=None, **variables):
    body = gql(SEARCH, {"filter": filter, "sort": sort, **variables})
    assert "errors" not in body, body
    return [edge["node"]["name"] for edge in body["data"]["services"]["edges"]]


def test_no_filter_lists_every_active_service_by_name(gql, network):
    assert names(gql) == sorted(
        [
            "みんなの子ども食堂",
            "学習支援教室",
            "フリースクール",
            "子ども家庭相談",
            "スクールカウンセラー相談",
        ]
    )


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("141313", {"みんなの子ども食堂", "スクールカウンセラー相談"}),  # the ward itself
        (
            "141305",
            {"みんなの子ども食堂", "スクールカウンセラー相談", "学習支援教室", "フリースクール"},
        ),
        (
            "140007",
            {"みんなの子ども食堂", "スクールカウンセラー相談", "学習支援教室", "フリースクール"},
        ),
        ("131121", {"子ども家庭相談"}),
        ("132195", set()),  # 狛江市: a real area with nothing in it
    ],
)
def test_area_includes_the_areas_below_it(gql, network, area, expected):
    assert set(names(gql, {"areaCode": area})) == expected


def test_tags_any_and_all(gql, network):
    assert set(names(gql, {"tagsAny": ["meal_provision", "study_support"]})) == {
        "みんなの子ども食堂",
        "学習支援教室",
    }
    assert names(gql, {"tagsAll": ["school_non_attendance", "study_support"]}) == ["学習支援教室"]
    assert names(gql, {"tagsAll": ["school_non_attendance"], "tagsAny": ["mental_health"]}) == [
        "スクールカウンセラー相談"
    ]


def test_mode_capacity_referrals_kind_and_age_compose(gql, network):
    assert names(gql, {"mode": "EXCHANGE"}) == ["みんなの子ども食堂"]
    assert set(names(gql, {"capacityStatus": ["WAITLIST", "FULL"]})) == {
        "学習支援教室",
        "フリースクール",
    }
    assert "スクールカウンセラー相談" not in names(gql, {"acceptsReferrals": True})
    assert set(names(gql, {"organisationKind": ["NPO"]})) == {"学習支援教室", "フリースクール"}
    # Age 17 fits 9-18 but not 10-15; services without an age range take everyone.
    assert "フリースクール" not in names(gql, {"age": 17, "tagsAny": ["school_non_attendance"]})
    assert names(
        gql,
        {
            "age": 17,
            "organisationKind": ["NPO"],
            "mode": "SUPPORT",
            "areaCode": "141305",
            "tagsAll": ["study_support"],
        },
    ) == ["学習支援教室"]


def test_japanese_full_text_search(gql, network):
    assert names(gql, {"search": "子ども食堂"}) == ["みんなの子ども食堂"]
    assert set(names(gql, {"search": "不登校"})) == {"学習支援教室"}  # found in the description
    assert names(gql, {"search": "学習 支援"}, sort="RELEVANCE")[0] == "学習支援教室"
    assert names(gql, {"search": "存在しない言葉"}) == []


def test_search_text_with_query_syntax_is_taken_literally(gql, network):
    # As Lucene syntax this would be a parse error, or "either word"; here every word must match.
    assert names(gql, {"search": "食堂 OR 学習"}) == []
    assert names(gql, {"search": '"( [食堂: *~'}) == ["みんなの子ども食堂"]


def test_near_filters_by_radius_and_sorts_by_distance(gql, network):
    kawasaki_station = {"lat": 35.5308, "lon": 139.6967}
    body = gql(SEARCH, {"filter": {"near": {**kawasaki_station, "km": 8}}, "sort": "DISTANCE"})
    edges = body["data"]["services"]["edges"]
    found = [(e["node"]["name"], e["node"]["distanceKm"]) for e in edges]
    # Services at one location tie on distance; the id breaks the tie, so pairs are sets.
    assert {name for name, _ in found[:2]} == {"スクールカウンセラー相談", "みんなの子ども食堂"}
    assert {name for name, _ in found[2:]} == {"フリースクール", "学習支援教室"}
    assert found[0][1] == found[1][1] < 0.1 < 5.0 < found[2][1] < 8.0
    # Setagaya (about 13 km away) only with a larger radius.
    wide = names(gql, {"near": {**kawasaki_station, "km": 20}})
    assert "子ども家庭相談" in wide


def test_filters_compose_with_near_and_search(gql, network):
    assert names(
        gql,
        {"near": {"lat": 35.5308, "lon": 139.6967, "km": 3}, "tagsAny": ["school_non_attendance"]},
    ) == ["スクールカウンセラー相談"]
    assert names(gql, {"search": "相談", "areaCode": "131121"}) == ["子ども家庭相談"]


@pytest.mark.parametrize("sort", ["NAME", "DISTANCE", "RECENTLY_UPDATED"])
def test_pages_are_stable_and_complete_for_every_sort(gql, network, sort):
    filter = {"near": {"lat": 35.6, "lon": 139.7, "km": 50}}
    everything = names(gql, filter, sort, first=100)
    seen, after = [], None
    while True:
        body = gql(SEARCH, {"filter": filter, "sort": sort, "first": 2, "after": after})
        connection = body["data"]["services"]
        seen += [edge["node"]["name"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == everything
    assert len(seen) == 5


def test_the_whole_selection_is_one_round_trip(gql, network):
    variables = {
        "filter": {
            "areaCode": "140007",
            "near": {"lat": 35.55, "lon": 139.68, "km": 10},
            "tagsAny": ["school_non_attendance"],
        }
    }
    gql(FULL_SELECTION, variables)  # the process learns the tag codes once (see selectors)
    with count_round_trips() as trips:
        body = gql(FULL_SELECTION, variables)
    services = [edge["node"] for edge in body["data"]["services"]["edges"]]
    assert len(services) == 3
    assert all(s["organisation"]["name"] and s["locations"][0]["area"]["code"] for s in services)
    assert trips.count == 1


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"filter": {"tagsAny": ["no_such_tag"]}}, "UNKNOWN_TAG", "tagsAny"),
        ({"filter": {"tagsAll": ["Bad Tag!"]}}, "UNKNOWN_TAG", "tagsAll"),
        ({"filter": {"areaCode": "139998"}}, "UNKNOWN_AREA", "areaCode"),
        ({"filter": {"areaCode": "12"}}, "INVALID_AREA_CODE", "areaCode"),
        ({"filter": {"near": {"lat": 91, "lon": 139.7, "km": 1}}}, "INVALID_COORDINATES", "near"),
        ({"filter": {"near": {"lat": 35, "lon": -181, "km": 1}}}, "INVALID_COORDINATES", "near"),
        ({"filter": {"near": {"lat": 35, "lon": 139, "km": 0}}}, "INVALID_RADIUS", "near"),
        ({"filter": {"near": {"lat": 35, "lon": 139, "km": -3}}}, "INVALID_RADIUS", "near"),
        ({"filter": {"near": {"lat": 35, "lon": 139, "km": 5000}}}, "INVALID_RADIUS", "near"),
        ({"filter": {"age": 300}}, "OUT_OF_RANGE", "age"),
        ({"filter": {"search": "あ" * 101}}, "INVALID_SEARCH", "search"),
        ({"sort": "DISTANCE"}, "INVALID_SORT", "sort"),
        ({"sort": "RELEVANCE"}, "INVALID_SORT", "sort"),
        ({"first": 101}, "INVALID_PAGE_SIZE", "first"),
        ({"filter": {"organisationId": "nope"}}, "INVALID", "organisationId"),
    ],
)
def test_bad_search_arguments_get_their_own_codes(gql, network, variables, code, field):
    body = gql(SEARCH, variables)
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": code, "field": field}


def test_a_cursor_from_another_sort_is_refused(gql, network):
    body = gql(SEARCH, {"first": 1})
    cursor = body["data"]["services"]["pageInfo"]["endCursor"]
    refused = gql(SEARCH, {"first": 1, "after": cursor, "sort": "RECENTLY_UPDATED"})
    assert refused["errors"][0]["extensions"] == {"code": "INVALID_CURSOR", "field": "after"}


def test_a_sort_key_outside_the_whitelist_is_refused_by_the_schema(gql, network):
    body = gql(SEARCH, {"sort": "name; DROP"}, expect_status=400)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
