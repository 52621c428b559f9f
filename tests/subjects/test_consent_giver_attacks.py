"""Attack review of who gives consent (issue 20): givers the age does not allow, an
appointment without a legal guardian or a legal guardian without one, explicit nulls,
the same through amendConsent, and the guardian's relationship as free text (control
characters, its length). Every refusal names its field and writes nothing."""

import pytest

from graph import session
from tests.conftest import graph_counts
from tests.subjects.test_consent_givers import CONSENT, THIS_YEAR, cast, give  # noqa: F401
from tests.subjects.test_subjects_and_consent import register

AMEND = """
mutation($id: ID!, $input: ConsentAmendInput!) {
  amendConsent(id: $id, input: $input) {
    consent { id givenBy guardianshipType } errors { field code }
  }
}"""


def _codes(payload):
    return [(e["field"], e["code"]) for e in payload["errors"]]


@pytest.mark.parametrize(
    ("age", "changes", "errors"),
    [
        # a parent names no court appointment
        (
            17,
            {
                "givenBy": "GUARDIAN",
                "guardianRelationship": "母",
                "guardianshipType": "GUARDIANSHIP",
            },
            [("guardianshipType", "INVALID")],
        ),
        # a minor has no legal guardian of an adult, with or without an appointment
        (
            17,
            {"givenBy": "LEGAL_GUARDIAN"},
            [("givenBy", "INVALID"), ("guardianshipType", "REQUIRED")],
        ),
        # an explicit null is no appointment
        (
            18,
            {"givenBy": "LEGAL_GUARDIAN", "guardianshipType": None},
            [("guardianshipType", "REQUIRED")],
        ),
        # an adult consents themself: a parent's consent is refused with or without relation
        (
            18,
            {"givenBy": "GUARDIAN"},
            [("givenBy", "INVALID"), ("guardianRelationship", "REQUIRED")],
        ),
        # 0 and the far past: still the same line
        (0, {"givenBy": "SUBJECT"}, [("givenBy", "INVALID")]),
        (110, {"givenBy": "GUARDIAN", "guardianRelationship": "母"}, [("givenBy", "INVALID")]),
    ],
)
def test_more_givers_the_age_or_appointment_does_not_allow(cast, age, changes, errors):  # noqa: F811
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - age)["subject"]["id"]
    before = graph_counts()
    refused = give(people["counsellor"], subject, network["welfare"], **changes)
    assert _codes(refused) == errors
    assert refused["consent"] is None
    assert graph_counts() == before


@pytest.mark.parametrize("age", [18, 19, 90])
@pytest.mark.parametrize("kind", ["GUARDIANSHIP", "CURATORSHIP", "ASSISTANCE"])
def test_a_legal_guardian_of_any_adult_under_any_appointment(cast, age, kind):  # noqa: F811
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - age)["subject"]["id"]
    given = give(
        people["counsellor"],
        subject,
        network["welfare"],
        givenBy="LEGAL_GUARDIAN",
        guardianshipType=kind,
    )
    assert given["errors"] == []
    assert given["consent"]["guardianshipType"] == kind


def test_a_null_giver_is_refused_by_the_schema(cast):  # noqa: F811
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - 40)["subject"]["id"]
    before = graph_counts()
    body = people["counsellor"](
        CONSENT,
        {
            "input": {
                "subjectId": subject,
                "givenBy": None,
                "purposes": ["REFERRAL"],
                "categories": ["CONTACT"],
                "organisationIds": [network["welfare"]],
                "validUntil": "2027-01-31",
                "method": "VERBAL",
            }
        },
        expect_status=None,
    )
    assert body.get("errors"), body
    assert graph_counts() == before


def _amend(people, consent_id, network, **changes):
    data = {
        "purposes": ["REFERRAL"],
        "categories": ["CONTACT"],
        "organisationIds": [network["welfare"]],
        "validUntil": (
            session.read(
                lambda tx: tx.single("RETURN toString(date() + duration({days: 30})) AS d")
            )["d"]
        ),
        "method": "VERBAL",
        **changes,
    }
    return people["counsellor"](AMEND, {"id": consent_id, "input": data})["data"]["amendConsent"]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"givenBy": "LEGAL_GUARDIAN"}, [("guardianshipType", "REQUIRED")]),
        ({"givenBy": "GUARDIAN", "guardianRelationship": "母"}, [("givenBy", "INVALID")]),
        (
            {"givenBy": "SUBJECT", "guardianshipType": "CURATORSHIP"},
            [("guardianshipType", "INVALID")],
        ),
    ],
)
def test_amending_an_adult_s_consent_checks_the_giver_again(cast, changes, errors):  # noqa: F811
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - 80)["subject"]["id"]
    given = give(people["counsellor"], subject, network["welfare"], givenBy="SUBJECT")
    assert given["errors"] == []
    before = graph_counts()
    refused = _amend(people, given["consent"]["id"], network, **changes)
    assert _codes(refused) == errors
    assert graph_counts() == before


def test_amending_a_minor_s_consent_cannot_make_them_their_own_giver(cast):  # noqa: F811
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - 17)["subject"]["id"]
    given = give(
        people["counsellor"],
        subject,
        network["welfare"],
        givenBy="GUARDIAN",
        guardianRelationship="母",
    )
    before = graph_counts()
    for changes in (
        {"givenBy": "SUBJECT"},
        {"givenBy": "LEGAL_GUARDIAN", "guardianshipType": "GUARDIANSHIP"},
    ):
        refused = _amend(people, given["consent"]["id"], network, **changes)
        assert ("givenBy", "INVALID") in _codes(refused)
    assert graph_counts() == before
    # A legal guardian's appointment replaces the person's own consent in a new version.
    adult = register(people["counsellor"], birthYear=THIS_YEAR - 70)["subject"]["id"]
    own = give(people["counsellor"], adult, network["welfare"], givenBy="SUBJECT")
    amended = _amend(
        people,
        own["consent"]["id"],
        network,
        givenBy="LEGAL_GUARDIAN",
        guardianshipType="ASSISTANCE",
    )
    assert amended["errors"] == []
    assert amended["consent"]["givenBy"] == "LEGAL_GUARDIAN"
    assert amended["consent"]["guardianshipType"] == "ASSISTANCE"


@pytest.mark.parametrize("relation", ["保佐人\x00", "母\x1b[2J", "父\u0085"])
def test_control_characters_in_the_relationship_are_refused(cast, relation):  # noqa: F811
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - 10)["subject"]["id"]
    before = graph_counts()
    body = people["counsellor"](
        CONSENT,
        {
            "input": {
                "subjectId": subject,
                "givenBy": "GUARDIAN",
                "guardianRelationship": relation,
                "purposes": ["REFERRAL"],
                "categories": ["CONTACT"],
                "organisationIds": [network["welfare"]],
                "validUntil": "2027-01-31",
                "method": "VERBAL",
            }
        },
        expect_status=None,
    )
    assert body.get("errors") or body["data"]["recordConsent"]["errors"], body
    assert graph_counts() == before


def test_the_relationship_is_a_few_words_not_a_document(cast):  # noqa: F811
    """Stored in plain text on the consent node and printed on the form: a relationship
    (母, 保佐人（司法書士）) is short; a long text is where a name or a story would go."""
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - 80)["subject"]["id"]
    longest = "保" * 100
    given = give(
        people["counsellor"],
        subject,
        network["welfare"],
        givenBy="LEGAL_GUARDIAN",
        guardianshipType="CURATORSHIP",
        guardianRelationship=longest,
    )
    assert given["errors"] == []
    before = graph_counts()
    refused = give(
        people["counsellor"],
        subject,
        network["welfare"],
        givenBy="LEGAL_GUARDIAN",
        guardianshipType="CURATORSHIP",
        guardianRelationship=longest + "人",
    )
    assert _codes(refused) == [("guardianRelationship", "TOO_LONG")]
    assert graph_counts() == before
    huge = give(
        people["counsellor"],
        subject,
        network["welfare"],
        givenBy="LEGAL_GUARDIAN",
        guardianshipType="CURATORSHIP",
        guardianRelationship="x" * 20_000,
    )
    assert _codes(huge) == [("guardianRelationship", "TOO_LONG")]
    assert graph_counts() == before
