"""Inbox and outbox: one round trip a page, initials only under a basis, audited per subject."""

from graph import audit_log, session
from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from tests.conftest import member, subject_audit_events
from tests.referrals.flows import REGISTER, create, give_consent, move

INBOX = """
query($state: ReferralState, $urgency: Urgency, $overdue: Boolean, $first: Int, $after: String) {
  inbox(state: $state, urgency: $urgency, overdue: $overdue, first: $first, after: $after) {
    edges { node {
      id state version urgency overdue deadline subjectId subjectInitials legalBasis
      sender { name } receiver { name } service { name }
      lastEvent { action toState at }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""
OUTBOX = """
query($state: ReferralState) {
  outbox(state: $state) { edges { node { id state subjectInitials receiver { name } } } }
}"""

_EVENTS = """
MATCH (e:AuditEvent {action: $action})
RETURN properties(e) AS event, [(e)-[:MENTIONS]->(m) | m.subject] AS mentions
ORDER BY e.at
"""


def audit_events(action):
    return session.read(lambda tx: tx.rows(_EVENTS, action=action))


def nodes(body, box="inbox"):
    return [edge["node"] for edge in body["data"][box]["edges"]]


def many_referrals(network, people, count):
    subjects = []
    for _ in range(count):
        subject = people["counsellor"](REGISTER)["data"]["registerSubject"]["subject"]["id"]
        give_consent(people, subject, organisationIds=[network["welfare"]])
        created = create(people, subject, network["consult"])["data"]["createReferral"]
        assert created["errors"] == []
        subjects.append(subject)
    return subjects


def test_a_page_of_fifty_is_one_round_trip_with_initials_sender_last_event_and_audit(case):
    network, people, first_subject = case
    subjects = [first_subject, *many_referrals(network, people, 49)]
    give_consent(people, first_subject, organisationIds=[network["welfare"]])
    create(people, first_subject, network["consult"])

    with count_round_trips() as trips:
        body = people["welfare"](INBOX, {"first": 50})
    assert trips.count == 1, trips.statements

    page = nodes(body)
    assert len(page) == 50
    assert body["data"]["inbox"]["pageInfo"]["hasNextPage"] is False
    assert {item["subjectInitials"] for item in page} == {"山.太."}
    assert {item["sender"]["name"] for item in page} == {"川崎市立桜中学校"}
    assert {item["lastEvent"]["action"] for item in page} == {"CREATE"}
    assert {item["legalBasis"] for item in page} == {"CONSENT"}
    # ONE audit event names the 50 subjects read (no chain per subject to queue on), each
    # with its basis and consent; each subject's history finds it; the chains verify.
    [read] = audit_events("REFERRAL_INBOX_READ")
    event = read["event"]
    assert event["subjects"] == sorted(subjects) == sorted(read["mentions"])
    assert event["subjectBases"] == ["CONSENT"] * 50
    assert (event["legalBasis"], event["statutory"], event["targetType"]) == (
        "CONSENT",
        False,
        "Subject",
    )
    assert "" not in event["subjectConsents"]
    assert len(set(event["subjectConsents"])) == 50
    assert event["chain"].startswith("writer:")
    assert event["hashVersion"] == 3
    assert event["fields"] == ["initials", "lastEventNote"]
    assert event["categories"] == ["CONTACT"]
    history = subject_audit_events(subjects[7])
    assert [e["id"] for e in history if e["action"] == "REFERRAL_INBOX_READ"] == [event["id"]]
    assert all(broken is None for _, _, broken in audit_log.verify_all())


def test_pages_follow_the_cursor_newest_first(case):
    network, people, _ = case
    many_referrals(network, people, 4)
    seen = []
    after = None
    while True:
        body = people["welfare"](INBOX, {"first": 2, "after": after})
        seen += [item["id"] for item in nodes(body)]
        info = body["data"]["inbox"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert len(seen) == len(set(seen)) == 4


def test_filters_and_drafts_stay_in_the_outbox(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"], network["npo"]])
    sent = create(people, subject, network["consult"], urgency="URGENT")["data"]["createReferral"]
    draft = create(people, subject, network["study"], send=False, acceptWaitlist=True)
    assert draft["data"]["createReferral"]["errors"] == []
    move(people["welfare"], sent["referral"]["id"], "ACKNOWLEDGE", 1)

    welfare = people["welfare"]
    assert [n["id"] for n in nodes(welfare(INBOX, {"state": "RECEIVED"}))] == [
        sent["referral"]["id"]
    ]
    assert nodes(welfare(INBOX, {"state": "SENT"})) == []
    assert len(nodes(welfare(INBOX, {"urgency": "URGENT"}))) == 1
    assert nodes(welfare(INBOX, {"urgency": "ROUTINE"})) == []
    assert nodes(welfare(INBOX, {"overdue": True})) == []
    assert len(nodes(welfare(INBOX, {"overdue": False}))) == 1
    # The NPO's inbox has no draft in it; the sender's outbox has both.
    assert nodes(people["npo"](INBOX, {})) == []
    outbox = nodes(people["counsellor"](OUTBOX, {}), "outbox")
    assert sorted(n["state"] for n in outbox) == ["DRAFT", "RECEIVED"]
    assert {n["subjectInitials"] for n in outbox} == {"山.太."}


def test_overdue_when_the_deadline_has_passed(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    session.write(
        lambda tx: tx.run(
            "MATCH (r:Referral {id: $id}) SET r.deadline = datetime() - duration('PT1H')",
            id=referral["id"],
        ).consume()
    )
    overdue = nodes(people["welfare"](INBOX, {"overdue": True}))
    assert [(n["id"], n["overdue"]) for n in overdue] == [(referral["id"], True)]


def test_no_initials_and_no_audit_once_consent_is_withdrawn(case):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    create(people, subject, network["consult"])
    withdrawn = people["counsellor"](
        "mutation($id: ID!) { withdrawConsent(id: $id) { errors { code } } }", {"id": consent}
    )
    assert withdrawn["data"]["withdrawConsent"]["errors"] == []

    page = nodes(people["welfare"](INBOX, {}))
    assert [(n["state"], n["subjectInitials"]) for n in page] == [("WITHDRAWN", None)]
    assert audit_events("REFERRAL_INBOX_READ") == []
    # The sender registered the subject: its outbox still shows the initials.
    assert nodes(people["counsellor"](OUTBOX, {}), "outbox")[0]["subjectInitials"] == "山.太."


def test_a_consent_without_contact_shows_no_initials(case):
    network, people, subject = case
    give_consent(
        people, subject, organisationIds=[network["welfare"]], categories=["SCHOOL_ATTENDANCE"]
    )
    created = create(people, subject, network["consult"], categories=["SCHOOL_ATTENDANCE"])
    assert created["data"]["createReferral"]["errors"] == []
    assert nodes(people["welfare"](INBOX, {}))[0]["subjectInitials"] is None


def test_the_inbox_needs_a_caseworker(case):
    network, _, _ = case
    admin = member("org-admin", network["welfare"], Role.ORG_ADMIN)
    body = admin(INBOX, {})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
