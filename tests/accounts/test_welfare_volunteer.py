"""A welfare volunteer (民生委員・児童委員, issue 20): a person with the WELFARE_VOLUNTEER role
in the organisation that runs the district's volunteers, whose area is the district. They
report a concern heard on their rounds (recordConcernSignal), naming no one, in their
district only — and may do nothing with personal data or referrals."""

import pytest

from graph import session
from referral_hub.accounts.members import INVITABLE_ROLES
from referral_hub.accounts.roles import Role
from schema.permissions import DECLARED
from tests.conftest import graph_counts, member
from tests.directory_fixtures import KAWASAKI_KU, NAKAHARA_KU, SETAGAYA, _org
from tests.pathways.test_murmurs import RECORD
from tests.referrals.flows import REGISTER

SUBJECT = "query($id: ID!) { subject(id: $id) { id } }"
INBOX = "{ inbox(first: 5) { edges { node { id } } } }"
COVERAGE = 'query { coverage(area: "141313") { area } }'


@pytest.fixture
def rounds(graph_db, db, redis_db):
    """川崎区's volunteers' council (its 民児協, run by the social welfare council: no open
    place of its own), one volunteer, and a staff member of the same council."""
    council = _org("川崎区民生委員児童委員協議会", "SOCIAL_WELFARE_COUNCIL", KAWASAKI_KU)
    volunteer = member("minsei-1", council, Role.WELFARE_VOLUNTEER)
    staff = member("council-staff", council, Role.CASEWORKER)
    return council, volunteer, staff


def concern(**changes):
    return {
        "needTag": "carer_burnout",
        "areaCode": KAWASAKI_KU,
        "ageBand": "AGE_65_PLUS",
        **changes,
    }


def test_a_volunteer_reports_a_concern_heard_on_their_rounds(rounds):
    council, volunteer, staff = rounds
    body = volunteer(RECORD, {"input": concern()})["data"]["recordConcernSignal"]
    assert body["errors"] == []
    assert body["concernSignal"]["needTag"] == "carer_burnout"
    heard = session.read(
        lambda tx: tx.single(
            "MATCH (c:ConcernSignal)-[:HEARD_AT]->(o) "
            "MATCH (e:AuditEvent {action: 'CONCERN_SIGNAL_RECORD'}) "
            "RETURN o.id AS at, e.actorRole AS role, e.subjects AS subjects"
        )
    )
    assert dict(heard) == {"at": council, "role": "WELFARE_VOLUNTEER", "subjects": None}
    # staff of the same council are asked for an open place, as before (issue 19)
    refused = staff(RECORD, {"input": concern()})["data"]["recordConcernSignal"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [(None, "NOT_AN_OPEN_PLACE")]


@pytest.mark.parametrize(
    ("area", "errors"),
    [
        (KAWASAKI_KU, []),  # the district itself
        (NAKAHARA_KU, [("areaCode", "OUT_OF_RANGE")]),  # the next ward
        (SETAGAYA, [("areaCode", "OUT_OF_RANGE")]),
    ],
)
def test_only_in_their_district(rounds, area, errors):
    _, volunteer, _ = rounds
    before = graph_counts()
    body = volunteer(RECORD, {"input": concern(areaCode=area)})["data"]["recordConcernSignal"]
    assert [(e["field"], e["code"]) for e in body["errors"]] == errors
    if errors:
        assert graph_counts() == before


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (REGISTER, {}),
        (SUBJECT, {"id": "00000000-0000-4000-8000-000000000000"}),
        (INBOX, {}),
        (COVERAGE, {}),
    ],
)
def test_nothing_else_least_privilege(rounds, document, variables):
    _, volunteer, _ = rounds
    body = volunteer(document, variables)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_role_is_declared_and_invitable():
    assert Role.WELFARE_VOLUNTEER in INVITABLE_ROLES
    granted = [op for op, p in DECLARED.items() if Role.WELFARE_VOLUNTEER in (p.roles or ())]
    assert granted == ["Mutation.recordConcernSignal"]
