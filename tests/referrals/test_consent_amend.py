"""amendConsent (issue 12, finding 13): a new version supersedes the old, with its own
evidence; widening never back-dates; narrowing takes effect at once and ends, like a
withdrawal, the referrals no longer covered."""

from datetime import date, timedelta

import pytest

from graph import session
from tests.conftest import graph_counts
from tests.referrals.flows import consent_input, create, give_consent

AMEND = """
mutation($id: ID!, $input: ConsentAmendInput!) {
  amendConsent(id: $id, input: $input) {
    consent { id state organisationIds } errors { field code }
  }
}"""
REFERRAL = "query($id: ID!) { referral(id: $id) { state timeline { action reason } } }"
NAME = "query($id: ID!) { subject(id: $id) { name } }"
_STATES = """
MATCH (new:Consent {id: $new})-[:SUPERSEDES]->(old:Consent {id: $old})
RETURN old.state AS old, new.state AS new,
       COLLECT { MATCH (r:Referral)-[:UNDER]->(new) RETURN r.id } AS under_new"""
_AMENDED = "MATCH (e:AuditEvent {action: 'CONSENT_AMEND'}) RETURN e.consentId AS consent"


def _amend(people, consent, **changes):
    data = consent_input(None, **changes)
    del data["subjectId"]
    return people["counsellor"](AMEND, {"id": consent, "input": data})["data"]["amendConsent"]


def test_narrowing_ends_what_is_no_longer_covered_and_keeps_the_rest(case):
    network, people, subject = case
    both = [network["welfare"], network["npo"]]
    consent = give_consent(people, subject, organisationIds=both)
    kept = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    ended = create(people, subject, network["study"], acceptWaitlist=True)["data"][
        "createReferral"
    ]["referral"]
    assert people["npo"](NAME, {"id": subject})["data"]["subject"] == {"name": "山田 太郎"}

    amended = _amend(people, consent, organisationIds=[network["welfare"]], evidenceSha256="b" * 64)
    assert amended["errors"] == []
    new = amended["consent"]
    assert (new["state"], new["organisationIds"]) == ("ACTIVE", [network["welfare"]])
    states = session.read(lambda tx: tx.single(_STATES, new=new["id"], old=consent))
    assert states == {"old": "SUPERSEDED", "new": "ACTIVE", "under_new": [kept["id"]]}

    counsellor = people["counsellor"]
    gone = counsellor(REFERRAL, {"id": ended["id"]})["data"]["referral"]
    assert gone["state"] == "WITHDRAWN"
    assert gone["timeline"][-1] == {"action": "WITHDRAW", "reason": "CONSENT_NARROWED"}
    assert counsellor(REFERRAL, {"id": kept["id"]})["data"]["referral"]["state"] == "SENT"
    assert people["npo"](NAME, {"id": subject})["data"]["subject"] is None
    assert people["welfare"](NAME, {"id": subject})["data"]["subject"] == {"name": "山田 太郎"}
    assert session.read(lambda tx: tx.rows(_AMENDED)) == [{"consent": new["id"]}]

    # Widening again is a new version too, from today.
    widened = _amend(people, new["id"], organisationIds=both)
    assert widened["errors"] == []
    assert people["npo"](NAME, {"id": subject})["data"]["subject"] == {"name": "山田 太郎"}


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        (
            {"validFrom": (date.today() - timedelta(days=1)).isoformat()},
            "validFrom",
            "OUT_OF_RANGE",
        ),
        (
            {"organisationIds": ["00000000-0000-4000-8000-000000000000"]},
            "organisationIds",
            "UNKNOWN_ORGANISATION",
        ),
        (
            {"validUntil": (date.today() + timedelta(days=4 * 366)).isoformat()},
            "validUntil",
            "OUT_OF_RANGE",
        ),
    ],
    ids=["back-dated", "unknown-organisation", "too-long"],
)
def test_a_bad_amendment_changes_nothing(case, changes, field, code):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    before = graph_counts()
    refused = _amend(people, consent, **{"organisationIds": [network["welfare"]], **changes})
    assert refused == {"consent": None, "errors": [{"field": field, "code": code}]}
    assert graph_counts() == before


def test_only_an_active_consent_of_your_own_subject_can_be_amended(case):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    nowhere = "00000000-0000-4000-8000-000000000000"
    for target in (nowhere, "x"):
        refused = _amend(people, target, organisationIds=[network["welfare"]])
        assert refused["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert _amend(people, consent, organisationIds=[network["welfare"]])["errors"] == []
    again = _amend(people, consent, organisationIds=[network["welfare"]])
    assert again["errors"] == [{"field": "id", "code": "NOT_FOUND"}]  # superseded now


GAP = "query($id: ID!) { referral(id: $id) { state follows consentGap } }"
MOVE = """
mutation($id: ID!, $action: HandoffAction!, $version: Int!, $reason: DeclineReason,
         $suggested: ID) {
  transitionReferral(id: $id, action: $action, version: $version, reason: $reason,
                     suggestedServiceId: $suggested) {
    referral { state followedBy } errors { field code }
  }
}"""
_UNDER = "MATCH (:Referral {id: $id})-[:UNDER]->(c:Consent) RETURN c.id AS consent"


def test_a_suggestion_always_leaves_a_draft_that_sends_once_the_consent_covers_it(case):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    declined = people["welfare"](
        MOVE,
        {
            "id": referral["id"],
            "action": "DECLINE",
            "version": 1,
            "reason": "SERVICE_NOT_PROVIDED",
            "suggested": network["study"],
        },
    )["data"]["transitionReferral"]
    draft = declined["referral"]["followedBy"]
    assert draft is not None  # no consent covers the NPO yet, and the draft exists anyway
    counsellor = people["counsellor"]
    assert counsellor(GAP, {"id": draft})["data"]["referral"] == {
        "state": "DRAFT",
        "follows": referral["id"],
        "consentGap": ["RECEIVER"],
    }
    refused = counsellor(MOVE, {"id": draft, "action": "SEND", "version": 1})
    assert refused["data"]["transitionReferral"]["errors"] == [
        {"field": "id", "code": "CONSENT_REQUIRED"}
    ]

    # The guardian agrees to the NPO for contact only: the gap is now the category.
    narrow = _amend(
        people,
        consent,
        organisationIds=[network["welfare"], network["npo"]],
        categories=["SCHOOL_ATTENDANCE"],
    )
    assert narrow["errors"] == []
    assert counsellor(GAP, {"id": draft})["data"]["referral"]["consentGap"] == ["CONTACT"]
    amended = _amend(
        people, narrow["consent"]["id"], organisationIds=[network["welfare"], network["npo"]]
    )
    assert counsellor(GAP, {"id": draft})["data"]["referral"]["consentGap"] is None
    sent = counsellor(MOVE, {"id": draft, "action": "SEND", "version": 1})
    assert sent["data"]["transitionReferral"]["referral"]["state"] == "SENT"
    under = session.read(lambda tx: tx.single(_UNDER, id=draft))
    assert under == {"consent": amended["consent"]["id"]}
    assert people["npo"](NAME, {"id": subject})["data"]["subject"] == {"name": "山田 太郎"}
