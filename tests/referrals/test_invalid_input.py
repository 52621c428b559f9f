"""Every refused referral, consent or review input: a typed error, and nothing written.

graph_counts includes the audit log, so a refusal leaves no audit event either.
"""

import pytest

from tests.conftest import graph_counts
from tests.referrals.flows import CREATE, MOVE, REGISTER, give_consent

NOWHERE = "00000000-0000-4000-8000-000000000000"
WITHDRAW = "mutation($id: ID!) { withdrawConsent(id: $id) { errors { field code } } }"
REVIEW = """mutation($id: ID!) { reviewStatutoryReferral(id: $id, finding: APPROPRIATE) {
  errors { field code } } }"""
CONSENT = """mutation($input: ConsentInput!) { recordConsent(input: $input) {
  errors { field code } } }"""
LONG = "長" * 2001


def _codes(body, name):
    if body.get("errors"):  # refused before the resolver: the document or its variables
        return [(None, e["extensions"]["code"]) for e in body["errors"]]
    return [(e["field"], e["code"]) for e in body["data"][name]["errors"]]


CREATE_CASES = [
    ({"subjectId": "not-a-uuid"}, [("subjectId", "INVALID")]),
    ({"subjectId": NOWHERE}, [("subjectId", "NOT_FOUND")]),
    ({"serviceId": NOWHERE}, [("serviceId", "UNKNOWN_SERVICE")]),
    ({"serviceId": "x"}, [("serviceId", "INVALID")]),
    ({"summary": LONG}, [("summary", "TOO_LONG")]),
    ({"categories": ["HEALTH"]}, [("subjectId", "CONSENT_REQUIRED")]),
    ({"urgency": "SOON"}, [(None, "BAD_USER_INPUT")]),
    # 社会福祉法 第106条の6 also needs the support meeting it rests on (issue 20).
    (
        {"legalBasis": "STATUTORY_SWA_106_6"},
        [("justification", "REQUIRED"), ("meetingId", "REQUIRED")],
    ),
    (
        {"legalBasis": "STATUTORY_SWA_106_6", "justification": "短い"},
        [("justification", "TOO_SHORT"), ("meetingId", "REQUIRED")],
    ),
    ({"legalBasis": "STATUTORY_APPI_27_1_III"}, [("justification", "REQUIRED")]),
    ({"meetingId": NOWHERE}, [("meetingId", "INVALID")]),
    ({"justification": "同意があるのに理由を書いた" * 5}, [("justification", "INVALID")]),
    ({"serviceKey": "x"}, [(None, "BAD_USER_INPUT")]),
    # Nothing is shared by default (issue 12, finding 14): the categories are named.
    ({"categories": []}, [("categories", "REQUIRED")]),
    ({"categories": None}, [(None, "BAD_USER_INPUT")]),
]


@pytest.mark.parametrize(("changes", "expected"), CREATE_CASES)
def test_bad_referrals_change_nothing(case, changes, expected):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    data = {
        "subjectId": subject,
        "serviceId": network["consult"],
        "categories": ["CONTACT"],
        **changes,
    }
    before = graph_counts()
    body = people["counsellor"](CREATE, {"input": data}, expect_status=None)
    assert _codes(body, "createReferral") == expected
    assert graph_counts() == before


MOVE_CASES = [
    ({"id": "nope"}, [("id", "INVALID")]),
    ({"id": NOWHERE}, [("id", "NOT_FOUND")]),
    ({"action": "DECLINE"}, [("reason", "REQUIRED")]),
    ({"action": "COMPLETE"}, [("action", "INVALID_TRANSITION")]),
    ({"version": 99}, [("version", "CONFLICT")]),
    ({"action": "JUMP"}, [(None, "BAD_USER_INPUT")]),
    (
        {"suggested": "nope", "action": "DECLINE", "reason": "NO_CAPACITY"},
        [("suggestedServiceId", "INVALID")],
    ),
]


@pytest.mark.parametrize(("changes", "expected"), MOVE_CASES)
def test_bad_moves_change_nothing(case, changes, expected):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    created = people["counsellor"](
        CREATE,
        {
            "input": {
                "subjectId": subject,
                "serviceId": network["consult"],
                "categories": ["CONTACT"],
            }
        },
    )["data"]["createReferral"]["referral"]
    variables = {"id": created["id"], "action": "ACKNOWLEDGE", "version": 1, **changes}
    before = graph_counts()
    body = people["welfare"](MOVE, variables, expect_status=None)
    assert _codes(body, "transitionReferral") == expected
    assert graph_counts() == before


@pytest.mark.parametrize(
    ("document", "variables", "name", "expected"),
    [
        (WITHDRAW, {"id": NOWHERE}, "withdrawConsent", [("id", "NOT_FOUND")]),
        (WITHDRAW, {"id": "nope"}, "withdrawConsent", [("id", "NOT_FOUND")]),
        (
            CONSENT,
            {
                "input": {
                    "subjectId": NOWHERE,
                    "givenBy": "SUBJECT",
                    "purposes": [],
                    "categories": [],
                    "validUntil": "2020-01-01",
                    "method": "VERBAL",
                }
            },
            "recordConsent",
            [("subjectId", "NOT_FOUND")],
        ),
    ],
)
def test_bad_consent_calls_change_nothing(case, document, variables, name, expected):
    _, people, _ = case
    before = graph_counts()
    assert _codes(people["counsellor"](document, variables), name) == expected
    assert graph_counts() == before


def test_a_bad_registration_changes_nothing(case):
    _, people, _ = case
    before = graph_counts()
    body = people["counsellor"](REGISTER.replace("2012", "1850"))
    assert body["data"]["registerSubject"]["errors"] == [{"code": "OUT_OF_RANGE"}]
    assert graph_counts() == before
