"""Directory reads fetch only the neighbours the selection shows (issue 17), and answer the
same for what they do select: organisation(id), node/nodes, organisations and services."""

from __future__ import annotations

from typing import Any

import pytest

from graph import session
from graph.session import count_round_trips
from referral_hub.accounts.actor import SYSTEM
from referral_hub.directory import selectors, services
from tests import directory_fixtures

ORGANISATION_PARTS = ("area", "services", "service_tags", "locations", "partners")
SERVICE_PARTS = ("organisation", "locations", "location_areas", "tags")

WIDE = """
query Wide($id: ID!) {
  organisation(id: $id) {
    id name kind areaCode description active createdAt
    area { code name nameEn }
    services { id name mode capacityStatus tags { code labelJa } }
    locations { id name areaCode latitude longitude }
    partners { organisation { id name kind } since sharesData }
  }
}
"""

# Each narrow selection, with the parts its statement must read.
NARROW = {
    "scalars": ("{ organisation(id: $id) { id name areaCode } }", set()),
    "typename only": ("{ organisation(id: $id) { __typename } }", set()),
    "services without tags": (
        "{ organisation(id: $id) { name services { id name } } }",
        {"services"},
    ),
    "aliased services, tags under one alias": (
        "{ organisation(id: $id) { a: services { id } b: services { tags { code } } } }",
        {"services", "service_tags"},
    ),
    "fragment spread": (
        "{ organisation(id: $id) { ...Where } } fragment Where on Organisation { area { code } }",
        {"area"},
    ),
    "inline fragment": (
        "{ organisation(id: $id) { ... on Organisation { partners { since } } } }",
        {"partners"},
    ),
    "skipped part": (
        "{ organisation(id: $id) { id locations @skip(if: true) { id } partners { since } } }",
        {"partners"},
    ),
}


@pytest.fixture
def network(graph_db):
    built = directory_fixtures.build()
    services.partnership_add(
        actor=SYSTEM, organisation_id=built["npo"], partner_id=built["cafe_org"], shares_data=True
    )
    return built


@pytest.fixture
def sent_parts(monkeypatch) -> list[dict[str, bool]]:
    """The `parts` parameter of every statement sent through graph.session."""
    sent: list[dict[str, bool]] = []
    original = session.Tx.run

    def run(self: session.Tx, query: Any, **params: Any) -> Any:
        if "parts" in params:
            sent.append(params["parts"])
        return original(self, query, **params)

    monkeypatch.setattr(session.Tx, "run", run)
    return sent


def _without(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != key} for row in rows]


def _query(document: str) -> str:
    return document if document.startswith("query") else "query ($id: ID!) " + document


def _shared(narrow: Any, wide: Any) -> Any:
    """The wide answer cut to the narrow one's shape (keys the narrow one has)."""
    if isinstance(narrow, dict):
        return {key: _shared(value, wide.get(key)) for key, value in narrow.items()}
    if isinstance(narrow, list):
        return [_shared(n, w) for n, w in zip(narrow, wide, strict=True)]
    return wide


@pytest.mark.parametrize("case", NARROW)
def test_a_narrow_selection_reads_its_parts_only_and_answers_as_the_wide_one(
    gql, network, sent_parts, case
):
    document, expected = NARROW[case]
    wide = gql(WIDE, {"id": network["npo"]})["data"]["organisation"]
    assert all(wide[part] for part in ("services", "partners", "locations", "area"))
    assert sent_parts == [dict.fromkeys(ORGANISATION_PARTS, True)]
    sent_parts.clear()

    with count_round_trips() as trips:
        body = gql(_query(document), {"id": network["npo"]})

    assert "errors" not in body, body
    narrow = body["data"]["organisation"]
    if "__typename" in narrow:
        assert narrow == {"__typename": "Organisation"}
    else:
        # Aliases answer with their own keys: compare each with the field it names.
        for alias in ("a", "b"):
            if alias in narrow:
                narrow_services = narrow.pop(alias)
                assert narrow_services == _shared(narrow_services, wide["services"])
        assert narrow == _shared(narrow, wide)
    assert trips.count == 1
    assert sent_parts == [{part: part in expected for part in ORGANISATION_PARTS}]


@pytest.mark.parametrize("part", ORGANISATION_PARTS)
def test_each_organisation_part_is_read_only_when_asked(network, part):
    """The statement's own answer: a part left out is null, asked for it is there."""
    needed = {part, "services"} if part == "service_tags" else {part}
    only = selectors.OrganisationParts(**{p: p in needed for p in ORGANISATION_PARTS})
    without = selectors.OrganisationParts(**{p: p != part for p in ORGANISATION_PARTS})
    everything = selectors.organisation(network["npo"])
    assert everything is not None

    with_it = selectors.organisation(network["npo"], parts=only)
    without_it = selectors.organisation(network["npo"], parts=without)

    assert with_it is not None
    assert without_it is not None
    if part == "service_tags":
        assert [s["tags"] for s in with_it["services"]] == [
            s["tags"] for s in everything["services"]
        ]
        assert all(s["tags"] is None for s in without_it["services"])
    elif part == "services":  # its services' tags are a part of their own
        assert _without(with_it["services"], "tags") == _without(everything["services"], "tags")
        assert all(s["tags"] is None for s in with_it["services"])
        assert without_it["services"] is None
    else:
        assert with_it[part] == everything[part]
        assert with_it[part]
        assert without_it[part] is None
    for other in set(ORGANISATION_PARTS) - needed - {"service_tags"}:
        assert with_it[other] is None
    # Everything else of the record is the same whichever parts are read.
    plain = {key: value for key, value in everything.items() if key not in ORGANISATION_PARTS}
    assert {key: with_it[key] for key in plain} == plain


@pytest.mark.parametrize("part", SERVICE_PARTS)
def test_each_service_part_is_read_only_when_asked(network, part):
    needed = {part, "locations"} if part == "location_areas" else {part}
    only = selectors.ServiceParts(**{p: p in needed for p in SERVICE_PARTS})
    everything = selectors.service(network["study"])
    assert everything is not None

    with_it = selectors.service(network["study"], parts=only)

    assert with_it is not None
    if part == "location_areas":
        assert [loc["area"] for loc in with_it["locations"]] == [
            loc["area"] for loc in everything["locations"]
        ]
        assert all(loc["area"] for loc in with_it["locations"])
    elif part == "locations":  # their areas are a part of their own
        assert _without(with_it["locations"], "area") == _without(everything["locations"], "area")
        assert all(loc["area"] is None for loc in with_it["locations"])
    else:
        assert with_it[part] == everything[part]
        assert with_it[part]
    for other in set(SERVICE_PARTS) - needed - {"location_areas"}:
        assert with_it[other] is None


NODE = """
query ($id: ID!) {
  node(id: $id) {
    id __typename
    ... on Organisation { name partners { organisation { name } since } }
    ... on Service { name tags { code } }
  }
}
"""


def test_node_reads_the_parts_its_type_fragment_selects(gql, network, sent_parts):
    wide = gql(WIDE, {"id": network["npo"]})["data"]["organisation"]
    sent_parts.clear()

    found = gql(NODE, {"id": network["npo"]})["data"]["node"]

    assert found["name"] == wide["name"]
    assert found["partners"] == [
        {"organisation": {"name": p["organisation"]["name"]}, "since": p["since"]}
        for p in wide["partners"]
    ]
    assert sent_parts == [{part: part == "partners" for part in ORGANISATION_PARTS}]


def test_nodes_of_two_kinds_read_each_kinds_own_parts(gql, network, sent_parts):
    document = NODE.replace("$id: ID!", "$ids: [ID!]!").replace("node(id: $id)", "nodes(ids: $ids)")
    found = gql(document, {"ids": [network["study"], network["npo"]]})["data"]["nodes"]

    assert [n["__typename"] for n in found] == ["Service", "Organisation"]
    assert [t["code"] for t in found[0]["tags"]] == ["school_non_attendance", "study_support"]
    assert found[1]["partners"]
    # One statement per kind, each reading only what its own fragment selects.
    read = sorted(sorted(part for part, on in sent.items() if on) for sent in sent_parts)
    assert read == [["partners"], ["tags"]]


SEARCH = """
query ($filter: ServiceFilterInput) {
  services(filter: $filter, first: 10) {
    pageInfo { hasNextPage }
    edges { node { %s } }
  }
}
"""


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ("id name", set()),
        ("id organisation { name }", {"organisation"}),
        ("id locations { name }", {"locations"}),
        ("id locations { area { name } }", {"locations", "location_areas"}),
        ("id ... on Service { tags { code } }", {"tags"}),
    ],
)
def test_a_search_reads_the_parts_its_nodes_select(gql, network, sent_parts, selection, expected):
    search_filter = {"areaCode": directory_fixtures.KAWASAKI}
    wide = gql(
        SEARCH % "id name organisation { name } locations { name area { name } } tags { code }",
        {"filter": search_filter},
    )["data"]["services"]["edges"]
    sent_parts.clear()

    with count_round_trips() as trips:
        edges = gql(SEARCH % selection, {"filter": search_filter})["data"]["services"]["edges"]

    assert edges
    assert [edge["node"] for edge in edges] == [
        _shared(edge["node"], whole["node"]) for edge, whole in zip(edges, wide, strict=True)
    ]
    assert trips.count == 1
    assert sent_parts == [{part: part in expected for part in SERVICE_PARTS}]


def test_a_page_without_its_nodes_reads_no_neighbours(gql, network, sent_parts):
    body = gql(
        "{ services(filter: null, first: 5) { pageInfo { hasNextPage } } "
        "organisations(first: 5) { pageInfo { hasNextPage } } }"
    )
    assert "errors" not in body, body
    assert sent_parts == [
        dict.fromkeys(SERVICE_PARTS, False),
        dict.fromkeys(ORGANISATION_PARTS, False),
    ]


def test_other_callers_still_get_every_part(network):
    """Selectors called without parts (pages via the API's mutations, exports) read all."""
    organisation = selectors.organisation(network["npo"])
    service = selectors.service(network["study"])
    assert organisation is not None
    assert service is not None
    assert all(organisation[part] is not None for part in ("area", "services", "partners"))
    assert organisation["locations"]
    assert all(s["tags"] is not None for s in organisation["services"])
    assert service["organisation"]
    assert service["tags"]
    assert all(loc["area"] for loc in service["locations"])
