"""One input object per mutation (issue 21): the new shape and the deprecated loose
arguments mean the same; both at once, or a required value missing from the old shape,
is refused in `errors` before anything is written."""

import pytest

from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import graph_counts, member

CAPACITY_INPUT = """
mutation($id: ID!, $status: CapacityStatus!) {
  updateServiceCapacity(input: {serviceId: $id, status: $status}) {
    service { capacityStatus } errors { field code }
  }
}"""
CAPACITY_LOOSE = """
mutation($id: ID!, $status: CapacityStatus!) {
  updateServiceCapacity(serviceId: $id, status: $status) {
    service { capacityStatus } errors { field code }
  }
}"""
BOTH = """
mutation($id: ID!) {
  updateServiceCapacity(input: {serviceId: $id, status: FULL}, serviceId: $id) {
    service { capacityStatus } errors { field code }
  }
}"""
MISSING = """
mutation($id: ID!) {
  updateServiceCapacity(serviceId: $id) { service { capacityStatus } errors { field code } }
}"""
PARTNER_INPUT = """
mutation($o: ID!, $p: ID!) {
  addPartnership(input: {organisationId: $o, partnerId: $p}) {
    organisation { partners { organisation { id } sharesData } } errors { code }
  }
}"""


@pytest.fixture
def network(graph_db, db, redis_db):
    return directory_fixtures.build()


def test_the_input_and_the_loose_arguments_do_the_same(network):
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    by_input = admin(CAPACITY_INPUT, {"id": network["study"], "status": "FULL"})
    assert by_input["data"]["updateServiceCapacity"] == {
        "service": {"capacityStatus": "FULL"},
        "errors": [],
    }
    loose = admin(CAPACITY_LOOSE, {"id": network["study"], "status": "AVAILABLE"})
    assert loose["data"]["updateServiceCapacity"] == {
        "service": {"capacityStatus": "AVAILABLE"},
        "errors": [],
    }


def test_both_shapes_at_once_or_a_missing_value_is_refused_before_any_write(network):
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    before = graph_counts()
    both = admin(BOTH, {"id": network["study"]})["data"]["updateServiceCapacity"]
    assert both == {"service": None, "errors": [{"field": "input", "code": "INVALID"}]}
    missing = admin(MISSING, {"id": network["study"]})["data"]["updateServiceCapacity"]
    assert missing == {"service": None, "errors": [{"field": "status", "code": "REQUIRED"}]}
    assert graph_counts() == before


def test_an_input_field_left_out_takes_its_default(network):
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    body = admin(PARTNER_INPUT, {"o": network["npo"], "p": network["cafe_org"]})
    payload = body["data"]["addPartnership"]
    assert payload["errors"] == []
    partners = payload["organisation"]["partners"]
    assert {"organisation": {"id": network["cafe_org"]}, "sharesData": False} in partners
