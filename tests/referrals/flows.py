"""GraphQL documents and steps shared by the referral tests."""

from datetime import date, timedelta

from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import member

REGISTER = """
mutation { registerSubject(input: {birthYear: 2012, areaCode: "141313", name: "山田 太郎",
  contact: "090-1111-2222"}) { subject { id } errors { code } } }"""
CONSENT = """
mutation($input: ConsentInput!) { recordConsent(input: $input) { consent { id } errors { code } } }
"""
CREATE = """
mutation($input: ReferralInput!) {
  createReferral(input: $input) {
    referral { id state version urgency summary waitlisted deadline receiver { name }
               timeline { action toState } }
    errors { field code message }
  }
}"""
MOVE = """
mutation($id: ID!, $action: HandoffAction!, $version: Int!, $reason: DeclineReason,
         $outcome: ReferralOutcome, $note: String, $suggested: ID) {
  transitionReferral(id: $id, action: $action, version: $version, reason: $reason,
                     outcome: $outcome, note: $note, suggestedServiceId: $suggested) {
    referral { state version reason outcome followedBy timeline { action fromState toState } }
    errors { field code }
  }
}"""
READ = "query($id: ID!) { referral(id: $id) { id state summary consentState follows } }"
UNTIL = (date.today() + timedelta(days=180)).isoformat()


def consent_input(subject, **changes):
    """A guardian's verbal consent to refer, as recordConsent takes it, with `changes`."""
    return {
        "subjectId": subject,
        "givenBy": "GUARDIAN",
        "guardianRelationship": "母",
        "purposes": ["REFERRAL"],
        "categories": ["CONTACT", "SCHOOL_ATTENDANCE"],
        "validUntil": UNTIL,
        "method": "VERBAL",
        **changes,
    }


def give_consent(people, subject, **changes):
    data = consent_input(subject, **changes)
    payload = people["counsellor"](CONSENT, {"input": data})["data"]["recordConsent"]
    assert payload["errors"] == []
    return payload["consent"]["id"]


def create(people, subject, service, **changes):
    data = {
        "subjectId": subject,
        "serviceId": service,
        "urgency": "PRIORITY",
        "summary": "9月から不登校。母子家庭で食事も心配。",
        "needTags": ["school_non_attendance"],
        "categories": ["CONTACT"],
        **changes,
    }
    return people["counsellor"](CREATE, {"input": data})


def move(caller, referral, action, version, **extra):
    return caller(MOVE, {"id": referral, "action": action, "version": version, **extra})["data"][
        "transitionReferral"
    ]


def build_case():
    """The directory network, a counsellor and two caseworkers, and one registered pupil."""
    network = directory_fixtures.build()
    people = {
        "counsellor": member("counsellor", network["school"], Role.COUNSELLOR),
        "welfare": member("caseworker", network["welfare"], Role.CASEWORKER),
        "npo": member("npo-worker", network["npo"], Role.CASEWORKER),
    }
    subject = people["counsellor"](REGISTER)["data"]["registerSubject"]["subject"]["id"]
    return network, people, subject
