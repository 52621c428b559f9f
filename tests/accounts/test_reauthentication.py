"""The most sensitive actions ask a browser session for a second factor proved within
5 minutes (issue 23): withdrawing consent, a statutory referral, issuing a token. The
refusal changes nothing; re-authenticating with a code lets the same action through."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from graph import session
from referral_hub.accounts import signin
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.reauthentication import require_recent_second_factor
from referral_hub.accounts.roles import Role
from referral_hub.core.errors import PublicError
from tests.conftest import age_second_factor, graph_counts, signed_in_member
from tests.meetings.flows import cited_meeting
from tests.referrals.flows import MOVE, build_case, create, give_consent
from tests.referrals.test_statutory import WHY

WITHDRAW = "mutation($id: ID!) { withdrawConsent(id: $id) { consent { state } errors { code } } }"
ISSUE = 'mutation { issueApiToken(name: "n", kind: PERSONAL) { token errors { code } } }'


@pytest.fixture
def case(graph_db, db, redis_db):
    return build_case()


def code(body: dict) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@pytest.mark.parametrize(
    ("session", "age", "allowed"),
    [(True, 300, True), (True, 301, False), (True, None, False), (False, None, True)],
)
def test_the_rule(session, age, allowed):
    now = 10_000.0
    actor = Actor(
        username="u",
        session=session,
        second_factor_at=None if age is None else now - age,
    )
    if allowed:
        require_recent_second_factor(actor, now=now)
    else:
        with pytest.raises(PublicError) as refused:
            require_recent_second_factor(actor, now=now)
        assert refused.value.code == "REAUTHENTICATION_REQUIRED"


def reauthenticate(caller) -> None:
    """What the re-authentication page does: a code from the person's app."""
    user = get_user_model().objects.get(username=caller.username)
    secret = signin.enrol_totp(user)  # a fresh app: the sign-in's code is spent
    answer = caller.client.post(
        "/accounts/2fa/reauthenticate/",
        {
            "code": signin.fresh_totp_code(secret),
            "csrfmiddlewaretoken": caller.client.cookies["csrftoken"].value,
        },
    )
    assert answer.status_code == 302


def audited(action: str) -> list[str]:
    rows = session.read(
        lambda tx: tx.rows("MATCH (e:AuditEvent {action: $a}) RETURN e.actorUser AS u", a=action)
    )
    return [row["u"] for row in rows]


def test_withdrawing_consent_needs_a_recent_second_factor(case):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    caller = signed_in_member("kana", network["school"], Role.COUNSELLOR)
    age_second_factor(caller.client.session.session_key, 301)
    before = graph_counts(audit=False)
    refused = caller(WITHDRAW, {"id": consent})
    assert code(refused) == "REAUTHENTICATION_REQUIRED"
    assert refused["data"]["withdrawConsent"] is None
    assert graph_counts(audit=False) == before

    reauthenticate(caller)
    assert audited("REAUTHENTICATE") == ["kana"]
    done = caller(WITHDRAW, {"id": consent})["data"]["withdrawConsent"]
    assert done == {"consent": {"state": "WITHDRAWN"}, "errors": []}


def test_a_statutory_referral_needs_one_and_a_consented_one_does_not(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    caller = signed_in_member("kana", network["school"], Role.COUNSELLOR)
    age_second_factor(caller.client.session.session_key, 301)
    statutory = {
        "legalBasis": "STATUTORY_SWA_106_6",
        "justification": WHY,
        "meetingId": cited_meeting(people, subject),
    }
    before = graph_counts(audit=False)
    refused = create({"counsellor": caller}, subject, network["consult"], **statutory)
    assert code(refused) == "REAUTHENTICATION_REQUIRED"
    assert graph_counts(audit=False) == before
    consented = create({"counsellor": caller}, subject, network["consult"])
    assert consented["data"]["createReferral"]["errors"] == []
    # A bearer token is a second factor's equivalent: not asked.
    by_token = create(people, subject, network["study"], **statutory)
    assert code(by_token) is None


def test_issuing_a_token_needs_one(case):
    network, _, _ = case
    caller = signed_in_member("kana", network["school"], Role.COUNSELLOR)
    assert caller(ISSUE)["data"]["issueApiToken"]["errors"] == []  # just signed in: fresh
    age_second_factor(caller.client.session.session_key, 301)
    assert code(caller(ISSUE)) == "REAUTHENTICATION_REQUIRED"
    reauthenticate(caller)
    assert caller(ISSUE)["data"]["issueApiToken"]["errors"] == []


def test_sending_a_statutory_draft_needs_one(case):
    network, people, subject = case
    statutory = {
        "legalBasis": "STATUTORY_SWA_106_6",
        "justification": WHY,
        "meetingId": cited_meeting(people, subject),
        "send": False,
    }
    draft = create(people, subject, network["consult"], **statutory)["data"]["createReferral"]
    assert draft["errors"] == []
    referral = draft["referral"]
    caller = signed_in_member("kana", network["school"], Role.COUNSELLOR)
    age_second_factor(caller.client.session.session_key, 301)
    send = {"id": referral["id"], "action": "SEND", "version": referral["version"]}
    before = graph_counts(audit=False)
    assert code(caller(MOVE, send)) == "REAUTHENTICATION_REQUIRED"
    assert graph_counts(audit=False) == before
    reauthenticate(caller)
    assert caller(MOVE, send)["data"]["transitionReferral"]["errors"] == []
