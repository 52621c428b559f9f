"""Directory mutations: create, update, deactivate, tags, capacity, partnerships; bad input."""

import pytest

from tests import directory_fixtures
from tests.conftest import graph_counts

CREATE_ORG = """
mutation($input: OrganisationCreateInput!) {
  createOrganisation(input: $input) { organisation { id } errors { field code message } }
}"""
UPDATE_ORG = """
mutation($id: ID!, $input: OrganisationUpdateInput!) {
  updateOrganisation(id: $id, input: $input) {
    organisation { id name description areaCode area { name } active }
    errors { field code }
  }
}"""
DECIDE_CHANGE = """
mutation($id: ID!, $approve: Boolean!) {
  decideOrganisationChange(id: $id, approve: $approve) {
    organisation { areaCode area { name } } errors { field code }
  }
}"""
DEACTIVATE_ORG = """
mutation($id: ID!) { deactivateOrganisation(id: $id) { organisation { active } errors { code } } }
"""
CREATE_LOCATION = """
mutation($input: LocationCreateInput!) {
  createLocation(input: $input) {
    location { id name latitude longitude area { code name } organisation { id } }
    errors { field code }
  }
}"""
UPDATE_LOCATION = """
mutation($id: ID!, $input: LocationUpdateInput!) {
  updateLocation(id: $id, input: $input) {
    location { latitude longitude address } errors { field code }
  }
}"""
CREATE_SERVICE = """
mutation($input: ServiceCreateInput!) {
  createService(input: $input) {
    service { id name mode languages capacityStatus acceptsReferrals responseTargetHours
              tags { code } locations { id } organisation { id } }
    errors { field code message }
  }
}"""
UPDATE_SERVICE = """
mutation($id: ID!, $input: ServiceUpdateInput!) {
  updateService(id: $id, input: $input) {
    service { name description ageMin ageMax tags { code } } errors { field code }
  }
}"""
SET_TAGS = """
mutation($id: ID!, $tags: [String!]!) {
  setServiceTags(serviceId: $id, tagCodes: $tags) {
    service { tags { code } } errors { field code }
  }
}"""
CAPACITY = """
mutation($id: ID!, $status: CapacityStatus!) {
  updateServiceCapacity(serviceId: $id, status: $status) {
    service { capacityStatus capacityUpdatedAt } errors { code }
  }
}"""
ADD_PARTNER = """
mutation($a: ID!, $b: ID!, $since: Date, $shares: Boolean) {
  addPartnership(organisationId: $a, partnerId: $b, since: $since, sharesData: $shares) {
    organisation { partners { organisation { id } since sharesData } }
    errors { field code }
  }
}"""
REMOVE_PARTNER = """
mutation($a: ID!, $b: ID!) {
  removePartnership(organisationId: $a, partnerId: $b) { removed errors { code } }
}
"""
ORG = """
query($id: ID!) { organisation(id: $id) { partners { organisation { name } } services { name } } }
"""
LIST_ORGS = (
    "query($f: OrganisationFilterInput) { organisations(filter: $f) { edges { node { name } } } }"
)


@pytest.fixture
def network(graph_db):
    return directory_fixtures.build()


def ok(body, name):
    payload = body["data"][name]
    assert payload["errors"] == [], payload["errors"]
    return payload


def test_partial_update_keeps_absent_fields_and_clears_nulls(gql, network):
    org = network["npo"]
    gql(UPDATE_ORG, {"id": org, "input": {"description": "学習支援"}})

    payload = ok(
        gql(UPDATE_ORG, {"id": org, "input": {"name": "NPO法人まなびの森 川崎"}}),
        "updateOrganisation",
    )
    assert payload["organisation"]["name"] == "NPO法人まなびの森 川崎"
    assert payload["organisation"]["description"] == "学習支援"  # absent: unchanged
    assert payload["organisation"]["area"]["name"] == "川崎市中原区"

    cleared = ok(
        gql(UPDATE_ORG, {"id": org, "input": {"description": None, "areaCode": "131121"}}),
        "updateOrganisation",
    )
    assert cleared["organisation"]["description"] is None
    # The area is attested: the update only requested the move; a coordinator decides it.
    assert cleared["organisation"]["area"]["name"] == "川崎市中原区"
    moved = ok(gql(DECIDE_CHANGE, {"id": org, "approve": True}), "decideOrganisationChange")
    assert moved["organisation"]["area"]["name"] == "世田谷区"  # relinked to the new area


def test_deactivated_organisations_leave_lists(gql, network):
    ok(gql(DEACTIVATE_ORG, {"id": network["npo"]}), "deactivateOrganisation")
    names = [e["node"]["name"] for e in gql(LIST_ORGS)["data"]["organisations"]["edges"]]
    assert "NPO法人まなびの森" not in names


def test_location_create_and_move(gql, network):
    created = ok(
        gql(
            CREATE_LOCATION,
            {
                "input": {
                    "organisationId": network["cafe_org"],
                    "name": "第二会場",
                    "areaCode": "141330",
                    "latitude": 35.57,
                    "longitude": 139.66,
                }
            },
        ),
        "createLocation",
    )["location"]
    assert created["area"] == {"code": "141330", "name": "川崎市中原区"}
    assert created["organisation"]["id"] == network["cafe_org"]

    moved = ok(
        gql(
            UPDATE_LOCATION,
            {"id": created["id"], "input": {"latitude": 35.58, "longitude": 139.67}},
        ),
        "updateLocation",
    )["location"]
    assert (moved["latitude"], moved["longitude"]) == (35.58, 139.67)
    unplaced = ok(
        gql(
            UPDATE_LOCATION,
            {
                "id": created["id"],
                "input": {"latitude": None, "longitude": None, "address": "川崎市中原区小杉町"},
            },
        ),
        "updateLocation",
    )
    assert unplaced["location"] == {
        "latitude": None,
        "longitude": None,
        "address": "川崎市中原区小杉町",
    }


def test_service_create_with_defaults_tags_and_locations(gql, network):
    location = ok(
        gql(
            CREATE_LOCATION,
            {"input": {"organisationId": network["npo"], "name": "教室", "areaCode": "141330"}},
        ),
        "createLocation",
    )["location"]["id"]
    service = ok(
        gql(
            CREATE_SERVICE,
            {
                "input": {
                    "organisationId": network["npo"],
                    "name": "囲碁・将棋クラブ",
                    "mode": "EXCHANGE",
                    "tagCodes": ["go_shogi", "loneliness_isolation", "go_shogi"],
                    "locationIds": [location],
                }
            },
        ),
        "createService",
    )["service"]
    assert service["languages"] == ["ja"]
    assert service["capacityStatus"] == "AVAILABLE"
    assert service["acceptsReferrals"] is True
    assert service["responseTargetHours"] == 72
    assert [t["code"] for t in service["tags"]] == ["go_shogi", "loneliness_isolation"]
    assert service["locations"] == [{"id": location}]
    services = gql(ORG, {"id": network["npo"]})["data"]["organisation"]["services"]
    assert "囲碁・将棋クラブ" in [s["name"] for s in services]


def test_service_update_tags_and_capacity(gql, network):
    service = network["study"]
    updated = ok(gql(UPDATE_SERVICE, {"id": service, "input": {"ageMax": 20}}), "updateService")
    assert (updated["service"]["ageMin"], updated["service"]["ageMax"]) == (9, 20)
    tagged = ok(gql(SET_TAGS, {"id": service, "tags": ["reading"]}), "setServiceTags")
    assert tagged["service"]["tags"] == [{"code": "reading"}]

    before = gql(CAPACITY, {"id": service, "status": "WAITLIST"})["data"]
    after = ok(gql(CAPACITY, {"id": service, "status": "FULL"}), "updateServiceCapacity")
    assert after["service"]["capacityStatus"] == "FULL"
    assert (
        after["service"]["capacityUpdatedAt"]
        > before["updateServiceCapacity"]["service"]["capacityUpdatedAt"]
    )


def test_partnerships_are_undirected_and_idempotent(gql, network):
    a, b = network["school"], network["welfare"]
    ok(gql(ADD_PARTNER, {"a": a, "b": b, "since": "2020-04-01", "shares": True}), "addPartnership")
    again = ok(gql(ADD_PARTNER, {"a": b, "b": a, "since": "2021-04-01"}), "addPartnership")
    partners = again["organisation"]["partners"]
    assert partners == [{"organisation": {"id": a}, "since": "2021-04-01", "sharesData": False}]
    seen_from_a = gql(ORG, {"id": a})["data"]["organisation"]["partners"]
    assert seen_from_a == [{"organisation": {"name": "世田谷区福祉事務所"}}]

    assert gql(REMOVE_PARTNER, {"a": b, "b": a})["data"]["removePartnership"]["removed"] is True
    assert gql(REMOVE_PARTNER, {"a": a, "b": b})["data"]["removePartnership"]["removed"] is False
    assert gql(ORG, {"id": a})["data"]["organisation"]["partners"] == []


UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("document", "variables", "name", "field", "code"),
    [
        (
            CREATE_ORG,
            {"input": {"name": "x", "kind": "NPO", "areaCode": "139998"}},
            "createOrganisation",
            "areaCode",
            "UNKNOWN_AREA",
        ),
        (
            UPDATE_ORG,
            {"id": UNKNOWN, "input": {"name": "x"}},
            "updateOrganisation",
            "id",
            "NOT_FOUND",
        ),
        (
            UPDATE_ORG,
            {"id": "{npo}", "input": {"name": None}},
            "updateOrganisation",
            "name",
            "REQUIRED",
        ),
        (
            CREATE_LOCATION,
            {"input": {"organisationId": UNKNOWN, "name": "x", "areaCode": "131121"}},
            "createLocation",
            "organisationId",
            "UNKNOWN_ORGANISATION",
        ),
        (
            CREATE_LOCATION,
            {
                "input": {
                    "organisationId": "{npo}",
                    "name": "x",
                    "areaCode": "131121",
                    "latitude": 95.0,
                    "longitude": 139.0,
                }
            },
            "createLocation",
            "latitude",
            "INVALID_COORDINATES",
        ),
        (
            CREATE_LOCATION,
            {
                "input": {
                    "organisationId": "{npo}",
                    "name": "x",
                    "areaCode": "131121",
                    "latitude": 35.0,
                }
            },
            "createLocation",
            "longitude",
            "INVALID_COORDINATES",
        ),
        (
            CREATE_SERVICE,
            {
                "input": {
                    "organisationId": "{npo}",
                    "name": "x",
                    "mode": "SUPPORT",
                    "tagCodes": ["no_such_tag"],
                }
            },
            "createService",
            "tagCodes",
            "UNKNOWN_TAG",
        ),
        (
            CREATE_SERVICE,
            {
                "input": {
                    "organisationId": "{npo}",
                    "name": "x",
                    "mode": "SUPPORT",
                    "locationIds": [UNKNOWN],
                }
            },
            "createService",
            "locationIds",
            "UNKNOWN_LOCATION",
        ),
        (
            CREATE_SERVICE,
            {"input": {"organisationId": UNKNOWN, "name": "x", "mode": "SUPPORT"}},
            "createService",
            "organisationId",
            "UNKNOWN_ORGANISATION",
        ),
        (
            CREATE_SERVICE,
            {
                "input": {
                    "organisationId": "{npo}",
                    "name": "x",
                    "mode": "SUPPORT",
                    "ageMin": 18,
                    "ageMax": 6,
                }
            },
            "createService",
            "ageMax",
            "OUT_OF_RANGE",
        ),
        (
            CREATE_SERVICE,
            {
                "input": {
                    "organisationId": "{npo}",
                    "name": "x",
                    "mode": "SUPPORT",
                    "responseTargetHours": 0,
                }
            },
            "createService",
            "responseTargetHours",
            "OUT_OF_RANGE",
        ),
        (
            CREATE_SERVICE,
            {
                "input": {
                    "organisationId": "{npo}",
                    "name": "x",
                    "mode": "SUPPORT",
                    "languages": ["japanese!"],
                }
            },
            "createService",
            "languages",
            "INVALID",
        ),
        (
            UPDATE_SERVICE,
            {"id": "{study}", "input": {"ageMin": 19}},
            "updateService",
            "ageMax",
            "OUT_OF_RANGE",
        ),
        (
            SET_TAGS,
            {"id": "{study}", "tags": ["reading", "nope"]},
            "setServiceTags",
            "tagCodes",
            "UNKNOWN_TAG",
        ),
        (
            ADD_PARTNER,
            {"a": "{npo}", "b": "{npo}"},
            "addPartnership",
            "partnerId",
            "SELF_PARTNERSHIP",
        ),
        (
            ADD_PARTNER,
            {"a": "{npo}", "b": UNKNOWN},
            "addPartnership",
            "partnerId",
            "UNKNOWN_ORGANISATION",
        ),
    ],
)
def test_bad_input_has_its_code_and_changes_nothing(
    gql, network, document, variables, name, field, code
):
    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, str) and value.startswith("{"):
            return network[value.strip("{}")]
        return value

    before = graph_counts()
    body = gql(document, fill(variables))
    errors = body["data"][name]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert graph_counts() == before
