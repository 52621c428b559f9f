"""Attack probes for issue 19's SubjectPreference (review wtatk19): each test states what
should hold; a failure is a finding."""

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


def test_another_org_does_not_read_lifted_what_not_to_mention_nor_unaudited(case):
    """A consented receiver (CONTACT only, no NOTES) reads the subject: it should not get
    the free text of what not to mention from versions the subject already replaced, and
    whatever it does get should be named in the SUBJECT_READ audit event's fields."""
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]], categories=["CONTACT"])
    preferred(people, subject, avoidMentioning="父親の逮捕のこと")
    preferred(people, subject, exchangeOnly=True)  # the subject no longer states it
    seen = people["welfare"](SUBJECT_PREFS, {"id": subject})
    history = seen["data"]["subject"]["preferenceHistory"]
    texts = [p["avoidMentioning"] for p in history if p["avoidMentioning"]]
    reads = [
        e for e in subject_audit_events(subject)
        if e["action"] == "SUBJECT_READ" and e.get("organisation_id") != network["school"]
    ]
    problems = []
    if texts:
        problems.append(f"other org reads replaced avoidMentioning: {texts}")
    if texts and not any("preference" in (e.get("fields") or ()) for e in reads):
        problems.append(f"and the audit does not name it: {reads}")
    if any(p["recordedBy"] for p in history):
        problems.append(f"other org learns counsellor usernames: {history}")
    assert not problems, problems


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
    setter = Actor(username="counsellor2", organisation_id=school,
                   roles=frozenset({Role.COUNSELLOR}))
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
        except BaseException as exc:  # noqa: BLE001
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
    sent = people["counsellor"](MOVE, {"id": referral["id"], "action": "SEND",
                                       "version": referral["version"]})
    racing.thread.join(timeout=30)
    assert not errors, errors
    state = session.read(lambda tx: tx.single(
        "MATCH (r:Referral {id: $id}) RETURN r.state AS state", id=referral["id"]))["state"]
    pref = session.read(lambda tx: tx.single(
        "MATCH (:Subject {id: $id})-[:HAS_PREFERENCE]->(p {state:'ACTIVE'}) "
        "RETURN p.doNotRefer AS dnr", id=subject))
    assert pref and pref["dnr"]
    assert not (seen_during_send == [True] and state == "SENT"), (
        "doNotRefer committed while SEND was deciding, and the referral was still SENT",
        sent,
    )
