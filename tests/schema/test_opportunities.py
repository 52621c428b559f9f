"""Opportunities (issue 19, item 2): publish, change, archive, read and list; who may;
bad input of every kind leaves the graph unchanged."""

import pytest

from graph import session
from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import graph_counts, member

CREATE = """
mutation($input: OpportunityCreateInput!) {
  createOpportunity(input: $input) {
    opportunity { id title description schedule ageMin ageMax areaCode active
                  organisation { id } service { id name } location { id name }
                  interestTags { code kind } }
    errors { field code message }
  }
}"""
UPDATE = """
mutation($input: OpportunityUpdateInput!) {
  updateOpportunity(input: $input) {
    opportunity { title ageMin ageMax location { id } interestTags { code } service { id } }
    errors { field code message }
  }
}"""
ARCHIVE = """
mutation($id: ID!) {
  archiveOpportunity(input: {id: $id}) { opportunity { active } errors { field code } }
}"""
ONE = "query($id: ID!) { opportunity(id: $id) { title active interestTags { code } } }"
LIST = """
query($tags: [String!], $area: String, $near: NearInput, $org: ID, $first: Int, $after: String) {
  opportunities(interestTags: $tags, areaCode: $area, near: $near, organisationId: $org,
                first: $first, after: $after) {
    edges { node { title distanceKm organisation { name } service { id } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
NODE = "query($id: ID!) { node(id: $id) { __typename ... on Opportunity { title } } }"

UNKNOWN = "00000000-0000-4000-8000-000000000000"
KAWASAKI_STATION = {"lat": 35.531, "lon": 139.697, "km": 2}


@pytest.fixture
def network(graph_db, db, redis_db):
    return directory_fixtures.build()


@pytest.fixture
def cafe_admin(network):
    return member("cafe-admin", network["cafe_org"], Role.ORG_ADMIN)


def serving(network, **extra):
    """A role at the children's cafeteria, taken up through its own service."""
    return {
        "organisationId": network["cafe_org"],
        "title": "配膳ボランティア",
        "areaCode": directory_fixtures.KAWASAKI_KU,
        "serviceId": network["cafe"],
        "locationId": network["cafe_loc"],
        "interestTags": ["cooking", "volunteering"],
        "schedule": "毎週水曜 17:00-19:00",
        "ageMin": 12,
        **extra,
    }


def ok(body, name):
    payload = body["data"][name]
    assert payload["errors"] == [], payload["errors"]
    return payload


def audit_events(action):
    row = session.read(
        lambda tx: tx.single(
            "MATCH (e:AuditEvent {action: $action}) RETURN count(e) AS n, "
            "collect(e.targetId) AS targets",
            action=action,
        )
    )
    assert row is not None
    return row["n"], row["targets"]


def test_an_org_admin_publishes_a_role_through_its_own_service(network, cafe_admin):
    created = ok(cafe_admin(CREATE, {"input": serving(network)}), "createOpportunity")
    opportunity = created["opportunity"]
    assert opportunity == {
        "id": opportunity["id"],
        "title": "配膳ボランティア",
        "description": None,
        "schedule": "毎週水曜 17:00-19:00",
        "ageMin": 12,
        "ageMax": None,
        "areaCode": "141313",
        "active": True,
        "organisation": {"id": network["cafe_org"]},
        "service": {"id": network["cafe"], "name": "みんなの子ども食堂"},
        "location": {"id": network["cafe_loc"], "name": "川崎駅前会場"},
        "interestTags": [
            {"code": "cooking", "kind": "INTEREST"},
            {"code": "volunteering", "kind": "INTEREST"},
        ],
    }
    assert audit_events("OPPORTUNITY_CREATE") == (1, [opportunity["id"]])
    node = cafe_admin(NODE, {"id": opportunity["id"]})["data"]["node"]
    assert node == {"__typename": "Opportunity", "title": "配膳ボランティア"}


def test_update_replaces_tags_clears_the_location_and_archive_hides_it(network, cafe_admin):
    key = ok(cafe_admin(CREATE, {"input": serving(network)}), "createOpportunity")["opportunity"][
        "id"
    ]
    changed = ok(
        cafe_admin(
            UPDATE,
            {"input": {"id": key, "ageMax": 18, "interestTags": ["reading"], "locationId": None}},
        ),
        "updateOpportunity",
    )["opportunity"]
    assert changed == {
        "title": "配膳ボランティア",  # absent: unchanged
        "ageMin": 12,
        "ageMax": 18,
        "location": None,
        "interestTags": [{"code": "reading"}],
        "service": {"id": network["cafe"]},
    }
    assert audit_events("OPPORTUNITY_UPDATE") == (1, [key])

    assert ok(cafe_admin(ARCHIVE, {"id": key}), "archiveOpportunity")["opportunity"] == {
        "active": False
    }
    assert audit_events("OPPORTUNITY_ARCHIVE") == (1, [key])
    assert cafe_admin(ONE, {"id": key})["data"]["opportunity"]["active"] is False
    assert cafe_admin(LIST, {})["data"]["opportunities"]["edges"] == []


def test_the_list_filters_by_interest_area_and_distance_in_one_round_trip(network, cafe_admin):
    npo_admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    ok(cafe_admin(CREATE, {"input": serving(network)}), "createOpportunity")
    ok(
        npo_admin(
            CREATE,
            {
                "input": {
                    "organisationId": network["npo"],
                    "title": "将棋を教える",
                    "areaCode": directory_fixtures.NAKAHARA_KU,
                    "serviceId": network["study"],
                    "locationId": network["npo_loc"],
                    "interestTags": ["go_shogi"],
                }
            },
        ),
        "createOpportunity",
    )

    def titles(**variables):
        edges = cafe_admin(LIST, variables)["data"]["opportunities"]["edges"]
        return [e["node"]["title"] for e in edges]

    assert titles() == ["将棋を教える", "配膳ボランティア"]  # by title
    assert titles(tags=["go_shogi", "music"]) == ["将棋を教える"]
    assert titles(area=directory_fixtures.KAWASAKI) == ["将棋を教える", "配膳ボランティア"]
    assert titles(area=directory_fixtures.KAWASAKI_KU) == ["配膳ボランティア"]
    assert titles(near=KAWASAKI_STATION) == ["配膳ボランティア"]
    assert titles(near={**KAWASAKI_STATION, "km": 10}) == ["配膳ボランティア", "将棋を教える"]
    assert titles(org=network["npo"]) == ["将棋を教える"]

    first = cafe_admin(LIST, {"first": 1})["data"]["opportunities"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = cafe_admin(LIST, {"first": 1, "after": first["pageInfo"]["endCursor"]})
    assert [e["node"]["title"] for e in second["data"]["opportunities"]["edges"]] == [
        "配膳ボランティア"
    ]
    near = cafe_admin(LIST, {"near": KAWASAKI_STATION})["data"]["opportunities"]["edges"]
    assert near[0]["node"]["distanceKm"] == pytest.approx(0.0, abs=0.01)

    with count_round_trips() as trips:
        cafe_admin(LIST, {"tags": ["cooking"], "area": directory_fixtures.KAWASAKI})
    assert trips.count == 1


def test_only_the_publishers_admins_may_change_it(network, cafe_admin):
    key = ok(cafe_admin(CREATE, {"input": serving(network)}), "createOpportunity")["opportunity"][
        "id"
    ]
    npo_admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    cafe_caseworker = member("cafe-worker", network["cafe_org"], Role.CASEWORKER)
    before = graph_counts()

    # Another organisation's opportunity answers as one that does not exist.
    foreign = npo_admin(UPDATE, {"input": {"id": key, "title": "乗っ取り"}})
    assert foreign["data"]["updateOpportunity"]["errors"] == [
        {"field": "id", "code": "NOT_FOUND", "message": "id: no such record."}
    ]
    missing = npo_admin(UPDATE, {"input": {"id": UNKNOWN, "title": "乗っ取り"}})
    assert (
        missing["data"]["updateOpportunity"]["errors"]
        == (foreign["data"]["updateOpportunity"]["errors"])
    )
    assert npo_admin(ARCHIVE, {"id": key})["data"]["archiveOpportunity"]["errors"] == [
        {"field": "id", "code": "NOT_FOUND"}
    ]
    # Publishing for another organisation, or without the role, is refused outright.
    for caller, document, variables in (
        (npo_admin, CREATE, {"input": serving(network)}),
        (cafe_caseworker, CREATE, {"input": serving(network)}),
        (cafe_caseworker, ARCHIVE, {"id": key}),
    ):
        body = caller(document, variables)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert graph_counts() == before
    assert cafe_admin(ONE, {"id": key})["data"]["opportunity"]["title"] == "配膳ボランティア"


def _fill(value, network):
    if isinstance(value, dict):
        return {k: _fill(v, network) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, network) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return network[value.strip("{}")]
    return value


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"serviceId": "{study}"}, "serviceId", "UNKNOWN_SERVICE"),  # another org's service
        ({"serviceId": UNKNOWN}, "serviceId", "UNKNOWN_SERVICE"),
        ({"serviceId": "not-a-uuid"}, "serviceId", "INVALID"),
        ({"locationId": "{npo_loc}"}, "locationId", "UNKNOWN_LOCATION"),  # another org's
        ({"locationId": UNKNOWN}, "locationId", "UNKNOWN_LOCATION"),
        ({"organisationId": "not-a-uuid"}, "organisationId", "INVALID"),
        ({"interestTags": ["meal_provision"]}, "interestTags", "WRONG_TAG_KIND"),  # a NEED
        ({"interestTags": ["cooking", "no_such_tag"]}, "interestTags", "UNKNOWN_TAG"),
        ({"interestTags": []}, "interestTags", "REQUIRED"),
        (
            {
                "interestTags": [
                    "cooking",
                    "music",
                    "reading",
                    "dance",
                    "movies",
                    "animals",
                    "karaoke",
                    "sports",
                    "gardening",
                    "photography",
                    "anime_manga",
                ]
            },
            "interestTags",
            "TOO_LONG",
        ),
        ({"title": "x" * 121}, "title", "TOO_LONG"),
        ({"title": " "}, "title", "REQUIRED"),
        ({"description": "x" * 2001}, "description", "TOO_LONG"),
        ({"schedule": "x" * 201}, "schedule", "TOO_LONG"),
        ({"ageMin": -1}, "ageMin", "OUT_OF_RANGE"),
        ({"ageMin": 15, "ageMax": 14}, "ageMax", "OUT_OF_RANGE"),
        ({"areaCode": "141314"}, "areaCode", "INVALID_AREA_CODE"),
        ({"areaCode": "139998"}, "areaCode", "UNKNOWN_AREA"),
    ],
)
def test_bad_create_input_has_its_code_and_changes_nothing(
    network, cafe_admin, change, field, code
):
    before = graph_counts()
    body = cafe_admin(CREATE, {"input": _fill(serving(network, **change), network)})
    errors = body["data"]["createOpportunity"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert body["data"]["createOpportunity"]["opportunity"] is None
    assert graph_counts() == before


def test_an_inactive_service_cannot_carry_a_role(network, cafe_admin):
    deactivate = "mutation($id: ID!) { deactivateService(id: $id) { errors { code } } }"
    assert cafe_admin(deactivate, {"id": network["cafe"]})["data"]["deactivateService"] == {
        "errors": []
    }
    before = graph_counts()
    body = cafe_admin(CREATE, {"input": serving(network)})
    assert [(e["field"], e["code"]) for e in body["data"]["createOpportunity"]["errors"]] == [
        ("serviceId", "UNKNOWN_SERVICE")
    ]
    assert graph_counts() == before


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"title": None}, "title", "REQUIRED"),  # explicit null: cannot be cleared
        ({"areaCode": None}, "areaCode", "REQUIRED"),
        ({"serviceId": None}, "serviceId", "REQUIRED"),
        ({"interestTags": None}, "interestTags", "REQUIRED"),
        ({"interestTags": ["child_poverty"]}, "interestTags", "WRONG_TAG_KIND"),
        ({"serviceId": "{consult}"}, "serviceId", "UNKNOWN_SERVICE"),
        ({"locationId": "{welfare_loc}"}, "locationId", "UNKNOWN_LOCATION"),
        ({"ageMax": 11}, "ageMax", "OUT_OF_RANGE"),  # below the stored ageMin 12
        ({"title": "x" * 121}, "title", "TOO_LONG"),
    ],
)
def test_bad_update_input_has_its_code_and_changes_nothing(
    network, cafe_admin, change, field, code
):
    key = ok(cafe_admin(CREATE, {"input": serving(network)}), "createOpportunity")["opportunity"][
        "id"
    ]
    before = graph_counts()
    body = cafe_admin(UPDATE, {"input": _fill({"id": key, **change}, network)})
    errors = body["data"]["updateOpportunity"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert graph_counts() == before


@pytest.mark.parametrize("text", ["\x00", "\x07", "\x1b[31m", "\x7f"])
def test_control_characters_are_refused_at_the_edge_and_change_nothing(network, cafe_admin, text):
    before = graph_counts()
    body = cafe_admin(CREATE, {"input": serving(network, title=f"配膳{text}")}, expect_status=400)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_CHARACTERS"
    assert graph_counts() == before
