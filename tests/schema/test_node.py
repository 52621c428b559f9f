"""node(id) and nodes(ids) (issue 21): each record read exactly as its own lookup reads
it — the same permission, the same consent rule and the same audit events — null where
the lookup would give nothing, in the order asked, and in few round trips."""

import uuid

import pytest

from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from schema.core.node import NODES_MAX
from tests import directory_fixtures
from tests.conftest import member, subject_audit_events
from tests.referrals.flows import build_case, create, give_consent

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Organisation { name kind }
    ... on Service { name mode organisation { id } }
    ... on Location { name areaCode }
    ... on Referral { state service { id mode } }
    ... on Subject { birthYear personName: name }
  }
}"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
SUBJECT = "query($id: ID!) { subject(id: $id) { birthYear name } }"
REFERRAL = "query($id: ID!) { referral(id: $id) { state service { id mode } } }"
ORGANISATION = "query($id: ID!) { organisation(id: $id) { name kind } }"
SERVICE = "query($id: ID!) { service(id: $id) { name mode organisation { id } } }"
LOCATION = "query($id: ID!) { location(id: $id) { name areaCode } }"

_KEYS = ("action", "outcome", "basis", "consent", "categories", "fields", "organisation", "user")


def _events(subject):
    return [{k: e[k] for k in _KEYS} for e in subject_audit_events(subject)]


def _node(caller, key):
    body = caller(NODE, {"id": key})
    assert "errors" not in body, body
    return body["data"]["node"]


def _without_typename(node):
    """The fields a per-type lookup selects (a subject's name is aliased in NODE, since
    Organisation.name is String! and Subject.name is String)."""
    renamed = {"personName": "name"}
    return {renamed.get(k, k): v for k, v in node.items() if k not in ("__typename", "id")}


@pytest.fixture
def case(graph_db, db, redis_db):
    return build_case()


def test_each_directory_kind_is_its_own_lookup(case):
    network, people, _ = case
    counsellor = people["counsellor"]
    for key, lookup, kind in (
        (network["npo"], ORGANISATION, "Organisation"),
        (network["study"], SERVICE, "Service"),
        (network["npo_loc"], LOCATION, "Location"),
    ):
        node = _node(counsellor, key)
        assert node["__typename"] == kind
        assert node["id"] == key
        [own] = counsellor(lookup, {"id": key})["data"].values()
        assert _without_typename(node) == own


def test_a_subject_reads_and_is_audited_as_subject_does(case):
    _, people, subject = case
    counsellor = people["counsellor"]
    before = len(_events(subject))
    own = counsellor(SUBJECT, {"id": subject})["data"]["subject"]
    by_lookup = _events(subject)[before:]
    node = _node(counsellor, subject)
    by_node = _events(subject)[before + len(by_lookup) :]
    assert node["__typename"] == "Subject"
    assert _without_typename(node) == own == {"birthYear": 2012, "name": "山田 太郎"}
    assert by_node == by_lookup
    assert [e["action"] for e in by_node] == ["SUBJECT_READ"]
    assert by_node[0]["fields"] == ["name"]


def test_a_subject_under_consent_is_read_under_that_consent(case):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    welfare = people["welfare"]
    before = len(_events(subject))
    assert welfare(SUBJECT, {"id": subject})["data"]["subject"]["name"] == "山田 太郎"
    assert _node(welfare, subject)["personName"] == "山田 太郎"
    lookup, node = _events(subject)[before:]
    assert lookup == node
    assert (node["action"], node["basis"], node["consent"]) == ("SUBJECT_READ", "CONSENT", consent)


def test_a_subject_without_a_basis_is_null_and_its_refusal_audited_alike(case):
    _, people, subject = case
    npo = people["npo"]  # a caseworker of an organisation no consent names
    before = len(_events(subject))
    assert npo(SUBJECT, {"id": subject})["data"]["subject"] is None
    assert _node(npo, subject) is None
    lookup, node = _events(subject)[before:]
    assert lookup == node
    assert node["outcome"] == "DENIED"


def test_a_kind_the_role_may_not_read_is_null_and_not_even_looked_up(case):
    network, _, subject = case
    coordinator = member("coordinator", network["welfare"], Role.COORDINATOR)
    # subject(id) is refused outright to a coordinator; node does not say the id is one.
    refused = coordinator(SUBJECT, {"id": subject})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    before = len(_events(subject))
    assert _node(coordinator, subject) is None
    assert len(_events(subject)) == before
    assert _node(coordinator, network["npo"])["__typename"] == "Organisation"


def test_a_referral_is_its_sender_and_receivers_only(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["npo"]])
    referral = create(people, subject, network["study"])["data"]["createReferral"]["referral"]
    counsellor, npo, welfare = people["counsellor"], people["npo"], people["welfare"]
    for party in (counsellor, npo):
        node = _node(party, referral["id"])
        assert node["__typename"] == "Referral"
        assert (
            _without_typename(node) == party(REFERRAL, {"id": referral["id"]})["data"]["referral"]
        )
        assert node["service"]["mode"] == "SUPPORT"
    assert welfare(REFERRAL, {"id": referral["id"]})["data"]["referral"] is None
    assert _node(welfare, referral["id"]) is None


def test_unknown_and_malformed_ids(case):
    _, people, _ = case
    counsellor = people["counsellor"]
    assert _node(counsellor, str(uuid.uuid4())) is None
    body = counsellor(NODE, {"id": "not-a-uuid"})
    assert body["data"]["node"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


def test_anonymous_callers_are_refused(graph_db, db):
    from tests.conftest import GraphQLClient

    body = GraphQLClient()(NODE, {"id": str(uuid.uuid4())})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_nodes_keep_the_order_asked_with_nulls_and_repeats(case):
    network, people, _ = case
    unknown = str(uuid.uuid4())
    ids = [network["study"], unknown, network["npo"], network["study"], network["cafe_loc"]]
    found = people["counsellor"](NODES, {"ids": ids})["data"]["nodes"]
    assert [n and (n["__typename"], n["id"]) for n in found] == [
        ("Service", network["study"]),
        None,
        ("Organisation", network["npo"]),
        ("Service", network["study"]),
        ("Location", network["cafe_loc"]),
    ]


def test_nodes_read_each_directory_kind_in_one_statement(case):
    network, people, _ = case
    organisations = [directory_fixtures.build_auditor_org(f"市役所{i}", "141313") for i in range(8)]
    ids = [*organisations, network["study"], network["cafe"], network["npo_loc"]]
    with count_round_trips() as trips:
        found = people["counsellor"](NODES, {"ids": ids})["data"]["nodes"]
    assert all(found)
    # the kinds, then one statement each for organisations, services and locations
    assert trips.count == 4


def test_nodes_takes_at_most_the_limit(case):
    network, people, _ = case
    counsellor = people["counsellor"]
    at_limit = [network["npo"]] * NODES_MAX
    assert len(counsellor(NODES, {"ids": at_limit})["data"]["nodes"]) == NODES_MAX
    with count_round_trips() as trips:
        body = counsellor(NODES, {"ids": [*at_limit, network["npo"]]})
    assert body["errors"][0]["extensions"]["code"] == "OUT_OF_RANGE"
    assert trips.count == 0


def test_nodes_once_per_request(case):
    """Each id of nodes may be an audited read: twenty aliases of 50 ids would be a
    thousand, so nodes is one field per request (node, like subject, is priced per alias)."""
    network, people, _ = case
    twice = "query($ids: [ID!]!) { a: nodes(ids: $ids) { id } b: nodes(ids: $ids) { id } }"
    with count_round_trips() as trips:
        body = people["counsellor"](twice, {"ids": [network["npo"]]}, expect_status=400)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert body["errors"][0]["message"] == "nodes at most once per request."
    assert trips.count == 0


def test_node_costs_one_round_trip_more_than_the_lookup(case):
    """The kinds, then the record exactly as its lookup reads it (a subject's read and its
    audit are one transaction, as subject(id) makes them)."""
    network, people, subject = case
    counsellor = people["counsellor"]
    for key, lookup in ((network["study"], SERVICE), (subject, SUBJECT)):
        with count_round_trips() as by_lookup:
            counsellor(lookup, {"id": key})
        with count_round_trips() as by_node:
            assert _node(counsellor, key) is not None
        assert by_node.count == by_lookup.count + 1, by_node.statements
    assert by_lookup.count >= 1
