"""What another organisation sees of a subject's preference, and a send ordered with a
preference set at the same moment: both found by the issue-19 attack review."""

from __future__ import annotations

import threading

import pytest

from graph import session
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.referrals import services as referral_services
from referral_hub.subjects import preference_services
from referral_hub.subjects.preferences import PreferenceTerms
from tests.conftest import subject_audit_events
from tests.referrals.flows import MOVE, build_case, create, give_consent
from tests.subjects.test_preferences import preferred

SUBJECT_PREFS = """
query($id: ID!) {
  subject(id: $id) {
    id
    preference { avoidMentioning recordedBy }
    preferenceHistory { version state avoidMentioning recordedBy liftedBy }
  }
}"""


@pytest.fixture
def case(graph_db, db, redis_db):
    return build_case()


def test_another_org_sees_the_preference_in_force_only_and_its_read_is_audited(case):
    """A receiver under a CONTACT-only consent: the version in force, without who recorded
    it and without what not to mention (free text about the person needs NOTES); never a
    replaced version. The read's audit event names the preference fields."""
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]], categories=["CONTACT"])
    preferred(people, subject, avoidMentioning="父親の逮捕のこと")
    now = preferred(people, subject, exchangeOnly=True, avoidMentioning="転校のこと")
    seen = people["welfare"](SUBJECT_PREFS, {"id": subject})["data"]["subject"]
    assert seen["preference"] == {"avoidMentioning": None, "recordedBy": None}
    assert seen["preferenceHistory"] == [
        {
            "version": 2,
            "state": "ACTIVE",
            "avoidMentioning": None,
            "recordedBy": None,
            "liftedBy": None,
        }
    ]
    reads = [
        e
        for e in subject_audit_events(subject)
        if e["action"] == "SUBJECT_READ" and e["actorOrganisation"] == network["welfare"]
    ]
    assert [sorted(e["fields"]) for e in reads] == [["preference", "preferenceHistory"]]
    own = people["counsellor"](SUBJECT_PREFS, {"id": subject})["data"]["subject"]
    assert [(p["version"], p["avoidMentioning"]) for p in own["preferenceHistory"]] == [
        (2, "転校のこと"),
        (1, "父親の逮捕のこと"),
    ]
    assert own["preference"]["recordedBy"] == "counsellor"
    assert now["version"] == 2


def test_under_a_notes_consent_another_org_reads_what_not_to_mention_in_force(case):
    network, people, subject = case
    give_consent(
        people, subject, organisationIds=[network["welfare"]], categories=["CONTACT", "NOTES"]
    )
    preferred(people, subject, avoidMentioning="父親の逮捕のこと")
    preferred(people, subject, exchangeOnly=True, avoidMentioning="転校のこと")
    seen = people["welfare"](SUBJECT_PREFS, {"id": subject})["data"]["subject"]
    assert seen["preference"] == {"avoidMentioning": "転校のこと", "recordedBy": None}
    assert [p["version"] for p in seen["preferenceHistory"]] == [2]


def test_sending_a_draft_is_ordered_with_a_concurrent_preference(case, monkeypatch):
    """SEND of a draft reads the preference without locking the subject, while
    setSubjectPreference locks the subject: a doNotRefer committed while the send is
    deciding must either block until it commits or make the send refuse. Otherwise the
    referral becomes SENT after (in commit order) the subject asked not to be referred."""
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    draft = create(people, subject, network["consult"], send=False)["data"]["createReferral"]
    assert draft["errors"] == []
    referral = draft["referral"]
    school = network["school"]
    setter = Actor(
        username="counsellor2", organisation_id=school, roles=frozenset({Role.COUNSELLOR})
    )
    done = threading.Event()
    errors: list[BaseException] = []

    def set_do_not_refer() -> None:
        try:
            preference_services.preference_set(
                actor=setter,
                subject_id=subject,
                terms=PreferenceTerms(given_by="GUARDIAN", do_not_refer=True),
            )
            done.set()
        except BaseException as exc:
            errors.append(exc)

    original = referral_services._basis_check
    seen_during_send: list[bool] = []

    def racing(action, row):
        thread = threading.Thread(target=set_do_not_refer)
        thread.start()
        thread.join(timeout=4)
        seen_during_send.append(done.is_set())
        racing.thread = thread
        return original(action, row)

    monkeypatch.setattr(referral_services, "_basis_check", racing)
    sent = people["counsellor"](
        MOVE, {"id": referral["id"], "action": "SEND", "version": referral["version"]}
    )
    racing.thread.join(timeout=30)
    assert not errors, errors
    state = session.read(
        lambda tx: tx.single(
            "MATCH (r:Referral {id: $id}) RETURN r.state AS state", id=referral["id"]
        )
    )["state"]
    pref = session.read(
        lambda tx: tx.single(
            "MATCH (:Subject {id: $id})-[:HAS_PREFERENCE]->(p {state:'ACTIVE'}) "
            "RETURN p.doNotRefer AS dnr",
            id=subject,
        )
    )
    assert pref is not None
    assert pref["dnr"] is True
    # The preference waited for the send's lock on the subject: the send went first (and
    # was allowed), the preference came after it.
    assert seen_during_send == [False]
    assert state == "SENT"
    assert sent["data"]["transitionReferral"]["errors"] == []
