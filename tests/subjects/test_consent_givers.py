"""Consent by the person, a parent or a legally appointed guardian (issue 20), through the
API: who gave it is recorded on the consent node, shown on the consent, and the auditor's
disclosure record says so; a refused giver writes nothing and names its field."""

from datetime import date, timedelta

import pytest

from graph import session
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import graph_counts, member, subject_audit_events
from tests.subjects.test_subjects_and_consent import PERSON, register

CONSENT = """
mutation($input: ConsentInput!) {
  recordConsent(input: $input) {
    consent { id givenBy guardianshipType } errors { field code }
  }
}"""
RECORD = """
query($s: ID!) { disclosureRecord(subjectId: $s) { consents { id givenBy guardianshipType } } }
"""
READ = "query($id: ID!) { subject(id: $id) { id name } }"
UNTIL = (date.today() + timedelta(days=180)).isoformat()
THIS_YEAR = date.today().year


@pytest.fixture
def cast(graph_db, db, redis_db):
    network = directory_fixtures.build()
    return network, {
        "counsellor": member("counsellor", network["school"], Role.COUNSELLOR),
        "welfare": member("caseworker", network["welfare"], Role.CASEWORKER),
    }


def give(counsellor, subject_id, welfare, **changes):
    data = {
        "subjectId": subject_id,
        "purposes": ["REFERRAL"],
        "categories": ["CONTACT"],
        "organisationIds": [welfare],
        "validUntil": UNTIL,
        "method": "VERBAL",
        **changes,
    }
    return counsellor(CONSENT, {"input": data})["data"]["recordConsent"]


def test_a_legal_guardian_consents_for_an_older_adult(cast):
    network, people = cast
    subject = register(people["counsellor"], birthYear=1944)["subject"]["id"]
    given = give(
        people["counsellor"],
        subject,
        network["welfare"],
        givenBy="LEGAL_GUARDIAN",
        guardianshipType="CURATORSHIP",
        guardianRelationship="司法書士",
    )
    assert given["errors"] == []
    assert given["consent"]["givenBy"] == "LEGAL_GUARDIAN"
    assert given["consent"]["guardianshipType"] == "CURATORSHIP"
    stored = session.read(
        lambda tx: tx.single(
            "MATCH (c:Consent {id: $id}) RETURN c.givenBy AS by, c.guardianshipType AS type, "
            "c.guardianRelationship AS rel",
            id=given["consent"]["id"],
        )
    )
    assert dict(stored) == {"by": "LEGAL_GUARDIAN", "type": "CURATORSHIP", "rel": "司法書士"}
    # the consent holds for an adult whatever their age: no year ends it
    assert people["welfare"](READ, {"id": subject})["data"]["subject"]["name"] == PERSON["name"]
    recorded = [e for e in subject_audit_events(subject) if e["action"] == "CONSENT_RECORD"]
    assert [e["consentId"] for e in recorded] == [given["consent"]["id"]]

    auditor_org = directory_fixtures.build_auditor_org("川崎市 監査室", directory_fixtures.KAWASAKI)
    auditor = member("k-auditor", auditor_org, Role.AUDITOR)
    consents = auditor(RECORD, {"s": subject})["data"]["disclosureRecord"]["consents"]
    assert consents == [
        {
            "id": given["consent"]["id"],
            "givenBy": "LEGAL_GUARDIAN",
            "guardianshipType": "CURATORSHIP",
        }
    ]


def test_an_adult_consents_for_themself(cast):
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - 18)["subject"]["id"]
    given = give(people["counsellor"], subject, network["welfare"], givenBy="SUBJECT")
    assert given["errors"] == []
    assert given["consent"] == {
        "id": given["consent"]["id"],
        "givenBy": "SUBJECT",
        "guardianshipType": None,
    }


@pytest.mark.parametrize(
    ("age", "changes", "errors"),
    [
        # 17 this year: a parent speaks for them; neither they nor a legal guardian does
        (17, {"givenBy": "SUBJECT"}, [("givenBy", "INVALID")]),
        (
            17,
            {"givenBy": "LEGAL_GUARDIAN", "guardianshipType": "GUARDIANSHIP"},
            [("givenBy", "INVALID")],
        ),
        # 18 this year: an adult; no parent consents for them
        (18, {"givenBy": "GUARDIAN", "guardianRelationship": "母"}, [("givenBy", "INVALID")]),
        (82, {"givenBy": "LEGAL_GUARDIAN"}, [("guardianshipType", "REQUIRED")]),
        (
            82,
            {"givenBy": "SUBJECT", "guardianshipType": "ASSISTANCE"},
            [("guardianshipType", "INVALID")],
        ),
    ],
)
def test_a_giver_the_age_does_not_allow_is_refused_and_nothing_is_written(
    cast, age, changes, errors
):
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - age)["subject"]["id"]
    before = graph_counts()
    refused = give(people["counsellor"], subject, network["welfare"], **changes)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == errors
    assert refused["consent"] is None
    assert graph_counts() == before


def test_a_parent_consents_for_a_17_year_old(cast):
    network, people = cast
    subject = register(people["counsellor"], birthYear=THIS_YEAR - 17)["subject"]["id"]
    given = give(
        people["counsellor"],
        subject,
        network["welfare"],
        givenBy="GUARDIAN",
        guardianRelationship="父",
    )
    assert given["errors"] == []
    assert given["consent"]["givenBy"] == "GUARDIAN"
