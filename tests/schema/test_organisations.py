"""createOrganisation, organisation(id) and organisations(...) via /graphql on the real graph."""

import pytest

from graph.session import count_round_trips
from tests.conftest import graph_counts

CREATE = """
mutation Create($input: OrganisationCreateInput!) {
  createOrganisation(input: $input) {
    organisation { id name kind areaCode description active createdAt }
    errors { field code message }
  }
}
"""

GET = """
query Get($id: ID!) { organisation(id: $id) { id name kind areaCode } }
"""

LIST = """
query List($kind: [OrganisationKind!], $areaCode: String, $first: Int, $after: String) {
  organisations(filter: {kind: $kind, areaCode: $areaCode}, first: $first, after: $after) {
    edges { cursor node { id name kind areaCode } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def create(gql, **fields):
    body = gql(CREATE, {"input": {"kind": "PLACE", **fields}})
    payload = body["data"]["createOrganisation"]
    assert payload["errors"] == [], payload["errors"]
    return payload["organisation"]


def test_create_then_read_back(gql):
    created = create(gql, name="みんなの子ども食堂", areaCode="131121", description="毎週水曜")

    assert created["name"] == "みんなの子ども食堂"
    assert created["kind"] == "PLACE"
    assert created["active"] is True
    fetched = gql(GET, {"id": created["id"]})["data"]["organisation"]
    assert fetched == {
        "id": created["id"],
        "name": "みんなの子ども食堂",
        "kind": "PLACE",
        "areaCode": "131121",
    }


def test_unknown_id_reads_as_null_and_a_malformed_id_is_a_typed_error(gql):
    assert gql(GET, {"id": "00000000-0000-4000-8000-000000000000"})["data"]["organisation"] is None
    body = gql(GET, {"id": "not-a-uuid"})
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "id"}


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": ""}, "name", "REQUIRED"),
        ({"name": "x" * 201}, "name", "TOO_LONG"),
        ({"name": "ok", "description": "d" * 2001}, "description", "TOO_LONG"),
        ({"name": "ok", "areaCode": "131122"}, "areaCode", "INVALID_AREA_CODE"),
        ({"name": "ok", "website": "javascript:alert(1)"}, "website", "INVALID"),
        ({"name": "ok", "email": "nobody"}, "email", "INVALID"),
        ({"name": "ok", "phone": "+81 (3) 1234-5678 ext"}, "phone", "INVALID"),
    ],
)
def test_invalid_input_returns_its_code_and_writes_nothing(gql, fields, field, code):
    create(gql, name="既存の団体")
    before = graph_counts()

    body = gql(CREATE, {"input": {"kind": "NPO", **fields}})

    payload = body["data"]["createOrganisation"]
    assert payload["organisation"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["errors"][0]["message"]
    assert graph_counts() == before


def test_unknown_kind_is_refused_by_the_schema_and_writes_nothing(gql):
    before = graph_counts()

    body = gql(CREATE, {"input": {"name": "銀行", "kind": "BANK"}}, expect_status=400)

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "kind"}
    assert "OrganisationKind" in body["errors"][0]["message"]
    assert "data" not in body
    assert graph_counts() == before


def test_list_filters_by_kind_and_area_in_name_order(gql):
    create(gql, name="b 図書館", areaCode="131121")
    create(gql, name="a 子ども食堂", areaCode="131121")
    create(gql, name="c 他区の居場所", areaCode="131105")
    create(gql, name="d 学校", kind="SCHOOL", areaCode="131121")

    body = gql(LIST, {"kind": ["PLACE"], "areaCode": "131121"})

    names = [edge["node"]["name"] for edge in body["data"]["organisations"]["edges"]]
    assert names == ["a 子ども食堂", "b 図書館"]


def test_pages_walk_every_row_once_in_one_round_trip_each(gql):
    for i in range(7):
        create(gql, name=f"居場所 {i}")
    # Two rows with the same name: the id breaks the tie, so neither is skipped.
    create(gql, name="居場所 3")

    seen, after, pages = [], None, 0
    while True:
        with count_round_trips() as trips:
            body = gql(LIST, {"first": 3, "after": after})
        assert trips.count == 1
        connection = body["data"]["organisations"]
        seen += [edge["node"]["id"] for edge in connection["edges"]]
        pages += 1
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert pages == 3
    assert len(seen) == len(set(seen)) == 8


def test_a_list_costs_one_round_trip_whatever_its_size(gql):
    for i in range(30):
        create(gql, name=f"団体 {i:02d}")
    with count_round_trips() as trips:
        body = gql(LIST, {"first": 25})
    assert len(body["data"]["organisations"]["edges"]) == 25
    assert trips.count == 1


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"first": 0}, "INVALID_PAGE_SIZE", "first"),
        ({"first": 101}, "INVALID_PAGE_SIZE", "first"),
        ({"after": "garbage!"}, "INVALID_CURSOR", "after"),
        ({"after": "WzFd"}, "INVALID_CURSOR", "after"),  # base64 of [1]: valid JSON, wrong shape
        ({"areaCode": "999999"}, "INVALID_AREA_CODE", "areaCode"),
        ({"areaCode": "139998"}, "UNKNOWN_AREA", "areaCode"),  # checks, but no such area
    ],
)
def test_bad_list_arguments_are_typed_errors(gql, variables, code, field):
    body = gql(LIST, variables)
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": code, "field": field}
