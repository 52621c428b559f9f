"""What auditors ask of the log (issue 15): a subject's disclosure record (APPI art. 29 /
33) read from the events that mention the subject in one statement, the verification of
an area's chains, and the explorer's filters by actor, basis and statute."""

from __future__ import annotations

import uuid

import pytest

from graph import session
from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import member, subject_audit_events
from tests.meetings.flows import cited_meeting
from tests.referrals.flows import build_case, consent_input, create, give_consent, move
from tests.referrals.test_consent_amend import AMEND
from tests.referrals.test_statutory import WHY

RECORD = """
query($s: ID!) {
  disclosureRecord(subjectId: $s) {
    subjectId areaCode registeredById registeredByName
    events {
      id seq at action outcome targetType targetId actorUser actorRole
      actorOrganisationId actorOrganisationName actorOrganisationKind
      recipientId recipientName legalBasis statutory consentId consentVersion
      categories fields hash
    }
    consents {
      id version supersedes state givenBy purposes categories validFrom validUntil
      recordedAt supersededAt withdrawnAt organisations { id name }
    }
  }
}"""
VERIFY = "{ verifyAuditLog { chains events intact broken { chain seq eventId code reason } } }"
EVENTS = """
query($f: AuditFilterInput) {
  auditEvents(filter: $f, first: 100) { edges { node { action actorUser legalBasis statutory } } }
}"""
WITHDRAW = "mutation($id: ID!) { withdrawConsent(id: $id) { errors { code } } }"
READ = "query($id: ID!) { referral(id: $id) { id summary } }"
_BY_ORGANISATION = """
MATCH (e:AuditEvent {actorOrganisation: $organisation})
RETURN properties(e) AS e ORDER BY e.at
"""


@pytest.fixture
def history(graph_db, db, redis_db):
    """A pupil's whole story: a consent, its amendment, a referral sent to 世田谷区's welfare
    office (outside 川崎市) and read there, acknowledged, a statutory referral, a withdrawal."""
    network, people, subject = build_case()
    first = give_consent(people, subject, organisationIds=[network["welfare"], network["npo"]])
    data = consent_input(None, organisationIds=[network["welfare"]], evidenceSha256="b" * 64)
    del data["subjectId"]
    amended = people["counsellor"](AMEND, {"id": first, "input": data})["data"]["amendConsent"]
    assert amended["errors"] == []
    second = amended["consent"]["id"]
    sent = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    assert people["welfare"](READ, {"id": sent["id"]})["data"]["referral"]["id"] == sent["id"]
    assert move(people["welfare"], sent["id"], "ACKNOWLEDGE", sent["version"])["errors"] == []
    statutory = create(
        people,
        subject,
        network["study"],
        legalBasis="STATUTORY_SWA_106_6",
        justification=WHY,
        meetingId=cited_meeting(people, subject),
        acceptWaitlist=True,
    )["data"]["createReferral"]
    assert statutory["errors"] == []
    withdrawn = people["counsellor"](WITHDRAW, {"id": second})["data"]["withdrawConsent"]
    assert withdrawn["errors"] == []
    auditor_org = directory_fixtures.build_auditor_org("川崎市 監査室", directory_fixtures.KAWASAKI)
    auditor = member("k-auditor", auditor_org, Role.AUDITOR)
    return network, subject, auditor, auditor_org, (first, second), sent["id"]


def by_organisation(organisation: str) -> list[dict]:
    """The events an organisation's members wrote, oldest first."""
    rows = session.read(lambda tx: tx.rows(_BY_ORGANISATION, organisation=organisation))
    return [row["e"] for row in rows]


def test_the_record_is_the_subjects_audit_history_event_for_event(history):
    network, subject, auditor, auditor_org, (first, second), _sent = history
    with count_round_trips() as trips:
        record = auditor(RECORD, {"s": subject})["data"]["disclosureRecord"]
    assert trips.count == 1  # the record, its organisations and its own audit event
    logged = subject_audit_events(subject)
    assert len(record["events"]) == len(logged) >= 8
    for shown, stored in zip(record["events"], logged, strict=True):
        assert shown["id"] == stored["id"]
        assert shown["seq"] == stored["seq"]
        assert shown["at"] == stored["at"]
        assert shown["hash"] == stored["hash"]
        for key in ("action", "outcome", "targetType", "targetId", "actorUser", "actorRole"):
            assert shown[key] == stored.get(key), key
        assert shown["actorOrganisationId"] == stored.get("actorOrganisation")
        assert shown["legalBasis"] == stored["basis"]
        assert shown["statutory"] == stored["statutory"]
        assert shown["consentId"] == stored["consent"]
        assert shown["categories"] == stored.get("categories")
        assert shown["fields"] == stored.get("fields")
    assert [e["at"] for e in record["events"]] == sorted(e["at"] for e in logged)
    assert (record["subjectId"], record["areaCode"]) == (subject, "141313")
    assert (record["registeredById"], record["registeredByName"]) == (
        network["school"],
        "川崎市立桜中学校",
    )

    by_action = {}
    for event in record["events"]:
        by_action.setdefault(event["action"], []).append(event)
    # The welfare office's read: who (named), under which consent version, which fields.
    reads = [e for e in by_action["REFERRAL_READ"] if e["actorUser"] == "caseworker"]
    assert len(reads) == 2  # the read, and the acknowledgement's read-back
    read = reads[0]
    assert (read["actorOrganisationId"], read["actorOrganisationName"]) == (
        network["welfare"],
        "世田谷区福祉事務所",
    )
    assert read["actorOrganisationKind"] == "WELFARE_OFFICE"
    assert (read["legalBasis"], read["consentId"], read["consentVersion"]) == (
        "CONSENT",
        second,
        2,
    )
    assert read["recipientName"] == "世田谷区福祉事務所"  # the referral's receiver
    # The provision itself: the sender, the receiver, the categories, the consent version.
    created = by_action["REFERRAL_CREATE"]
    assert [(e["recipientName"], e["legalBasis"], e["consentVersion"]) for e in created] == [
        ("世田谷区福祉事務所", "CONSENT", 2),
        ("NPO法人まなびの森", "STATUTORY_SWA_106_6", None),
    ]
    assert [e["statutory"] for e in created] == [False, True]
    assert created[0]["categories"] == ["CONTACT"]
    assert [e["consentId"] for e in by_action["CONSENT_RECORD"]] == [first]
    assert [e["consentId"] for e in by_action["CONSENT_AMEND"]] == [second]
    assert [e["consentId"] for e in by_action["CONSENT_WITHDRAW"]] == [second]

    assert [(c["id"], c["version"], c["supersedes"], c["state"]) for c in record["consents"]] == [
        (first, 1, None, "SUPERSEDED"),
        (second, 2, first, "WITHDRAWN"),
    ]
    assert [o["name"] for o in record["consents"][0]["organisations"]] == [
        "NPO法人まなびの森",
        "世田谷区福祉事務所",
    ]
    assert [o["id"] for o in record["consents"][1]["organisations"]] == [network["welfare"]]
    assert record["consents"][0]["supersededAt"] is not None
    assert record["consents"][1]["withdrawnAt"] is not None
    assert record["consents"][1]["categories"] == ["CONTACT", "SCHOOL_ATTENDANCE"]

    # Reading the record is audited without mentioning the subject: producing the record
    # does not change it.
    mine = by_organisation(auditor_org)
    assert [(e["action"], e["targetId"], e["outcome"]) for e in mine][-1:] == [
        ("DISCLOSURE_RECORD_READ", subject, "OK")
    ]
    assert mine[-1]["areaCode"] == directory_fixtures.KAWASAKI
    assert "subjects" not in mine[-1]
    assert mine[-1]["chain"].startswith("writer:")
    again = auditor(RECORD, {"s": subject})["data"]["disclosureRecord"]
    assert again["events"] == record["events"]
    assert subject_audit_events(subject) == logged


def test_a_subject_of_another_area_and_an_unknown_one_read_the_same(history):
    _network, subject, _auditor, _org, _consents, _sent = history
    tokyo = directory_fixtures.build_auditor_org("世田谷区 監査担当", directory_fixtures.SETAGAYA)
    outsider = member("s-auditor", tokyo, Role.AUDITOR)
    answers = [
        outsider(RECORD, {"s": key}, expect_status=None) for key in (subject, str(uuid.uuid4()))
    ]
    for body in answers:
        assert body["data"] is None
        error = body["errors"][0]
        assert error["extensions"]["code"] == "NOT_FOUND"
        assert error["extensions"]["field"] == "subjectId"
        assert error["message"] == "No subject with this id in your area."
    denied = [(e["action"], e["targetId"], e["outcome"]) for e in by_organisation(tokyo)]
    assert [d[0::2] for d in denied] == [("DISCLOSURE_RECORD_READ", "DENIED")] * 2
    # What is not an id at all is refused before the graph is asked: nothing written.
    for text in ("not-a-uuid", "", "=HYPERLINK(1)\r\n", "x" * 60_000):
        body = outsider(RECORD, {"s": text}, expect_status=None)
        assert body["errors"][0]["extensions"]["code"] == "INVALID", text[:20]
        assert body["errors"][0]["extensions"]["field"] == "subjectId"
    assert len(by_organisation(tokyo)) == 2
    # An id in capitals is the same id.
    kawasaki = member("k2-auditor", _org, Role.AUDITOR)
    upper = kawasaki(RECORD, {"s": subject.upper()})["data"]["disclosureRecord"]
    assert upper["subjectId"] == subject
    # A prefecture's auditor covers the city's wards.
    kanagawa = directory_fixtures.build_auditor_org("神奈川県 監査", "140007")
    prefecture = member("pref-auditor", kanagawa, Role.AUDITOR)
    assert prefecture(RECORD, {"s": subject})["data"]["disclosureRecord"]["subjectId"] == subject


def test_the_explorer_refuses_a_username_that_cannot_be_one(history):
    _network, _subject, auditor, auditor_org, *_ = history
    before = len(by_organisation(auditor_org))
    for user in ("", "x" * 151, "a\tb", "a\nb"):
        body = auditor(EVENTS, {"f": {"actorUser": user}}, expect_status=None)
        assert body["errors"][0]["extensions"]["code"] == "INVALID", repr(user)
        assert body["errors"][0]["extensions"]["field"] == "actorUser"
    assert len(by_organisation(auditor_org)) == before  # refused before the read: no event
    assert auditor(EVENTS, {"f": {"actorUser": "x" * 150}})["data"]["auditEvents"]["edges"] == []


def test_verification_covers_the_areas_chains_and_names_the_first_broken_link(history):
    _network, subject, auditor, auditor_org, _consents, _sent = history
    clean = auditor(VERIFY)["data"]["verifyAuditLog"]
    assert clean["intact"] is True
    assert clean["broken"] == []
    assert clean["events"] >= len(subject_audit_events(subject))
    assert [e["action"] for e in by_organisation(auditor_org)][-1] == "AUDIT_VERIFY"

    # An edit to the welfare office's read (written in 世田谷区, about a 川崎 subject: its
    # writer chain holds 川崎's events too, so 川崎's auditor checks it whole).
    read = next(e for e in subject_audit_events(subject) if e["action"] == "REFERRAL_READ")
    session.write(
        lambda tx: tx.run("MATCH (e:AuditEvent {id: $id}) SET e.fields = []", id=read["id"])
    )
    found = auditor(VERIFY)["data"]["verifyAuditLog"]
    assert found["intact"] is False
    assert found["broken"] == [
        {
            "chain": read["chain"],
            "seq": read["seq"],
            "eventId": read["id"],
            "code": "EDITED",
            "reason": "content does not match its hash (edited after it was written)",
        }
    ]


def test_a_writer_chain_whose_events_were_all_deleted_is_still_checked(history):
    _network, subject, auditor, *_ = history
    key = subject_audit_events(subject)[0]["chain"]
    session.write(lambda tx: tx.run("MATCH (e:AuditEvent {chain: $c}) DETACH DELETE e", c=key))
    found = auditor(VERIFY)["data"]["verifyAuditLog"]
    assert [(b["chain"], b["seq"], b["eventId"], b["code"]) for b in found["broken"]] == [
        (key, 1, None, "HEAD")
    ]


def test_a_writer_chain_whose_head_was_deleted_is_broken(history):
    _network, subject, auditor, *_ = history
    key = subject_audit_events(subject)[0]["chain"]
    session.write(lambda tx: tx.run("MATCH (c:AuditChain {key: $c}) DELETE c", c=key))
    found = auditor(VERIFY)["data"]["verifyAuditLog"]
    assert [(b["chain"], b["seq"], b["code"]) for b in found["broken"]] == [(key, 1, "HEAD")]


def test_another_areas_broken_chain_is_not_this_auditors(history, gql):
    network, _subject, auditor, *_ = history
    welfare_chain = f"org:{network['welfare']}"  # 世田谷区: outside 川崎市
    session.write(
        lambda tx: tx.run(
            "MERGE (c:AuditChain {key: $c}) SET c.seq = 99, c.head = 'x'", c=welfare_chain
        )
    )
    assert auditor(VERIFY)["data"]["verifyAuditLog"]["intact"] is True
    broken = gql(VERIFY)["data"]["verifyAuditLog"]["broken"]
    assert [b["chain"] for b in broken] == [welfare_chain]


def test_the_explorer_filters_by_actor_basis_and_statute(history):
    _network, _subject, auditor, *_ = history

    def shown(**criteria):
        edges = auditor(EVENTS, {"f": criteria})["data"]["auditEvents"]["edges"]
        return [edge["node"] for edge in edges]

    counsellor = shown(actorUser="counsellor")
    assert counsellor
    assert {e["actorUser"] for e in counsellor} == {"counsellor"}
    consented = shown(legalBasis="CONSENT")
    assert consented
    assert {e["legalBasis"] for e in consented} == {"CONSENT"}
    statute = shown(statutoryOnly=True)
    assert statute
    assert {(e["legalBasis"], e["statutory"]) for e in statute} == {("STATUTORY_SWA_106_6", True)}
    assert shown(statutoryOnly=False) == shown()[1:]  # the first look is in the log now
    assert shown(legalBasis="STATUTORY_SWA_106_6") == statute
    assert shown(actorUser="nobody") == []
    refused = auditor(EVENTS, {"f": {"legalBasis": "MAYBE"}}, expect_status=None)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_every_demo_subjects_record_matches_its_audit_history(graph_db, db, redis_db):
    from referral_hub.referrals import demo_history

    directory_fixtures.build()
    assert demo_history.seed(area=directory_fixtures.KAWASAKI_KU, referrals=12, seed=3)
    auditor_org = directory_fixtures.build_auditor_org("川崎市 監査室", directory_fixtures.KAWASAKI)
    auditor = member("k-auditor", auditor_org, Role.AUDITOR)
    subjects = session.read(lambda tx: tx.rows("MATCH (s:Subject) RETURN s.id AS id ORDER BY s.id"))
    assert len(subjects) >= 2
    fields = ("id", "seq", "at", "action", "outcome", "actorUser", "legalBasis", "hash")
    for row in subjects:
        record = auditor(RECORD, {"s": row["id"]})["data"]["disclosureRecord"]
        logged = [{**e, "legalBasis": e["basis"]} for e in subject_audit_events(row["id"])]
        assert [tuple(e[k] for k in fields) for e in record["events"]] == [
            tuple(e.get(k) for k in fields) for e in logged
        ]
        assert any(e["action"] == "REFERRAL_CREATE" for e in record["events"])
        assert record["consents"]


def test_verification_while_a_writer_appends_is_no_false_alarm(history):
    """A writer extending a chain between the head's read and the events' read used to
    look like deleted events (found by an outside attack: 6 of 6 runs said 'altered')."""
    import threading

    from graph import audit_log
    from referral_hub.accounts.actor import SYSTEM
    from referral_hub.core.audit import audit_record

    _network, subject, auditor, *_ = history
    stop = threading.Event()
    appended = []

    def write() -> None:
        while not stop.is_set():
            record = audit_record(SYSTEM, "PROBE", "Subject", subject, subjects=[subject])
            appended.append(audit_log.record_and_return(record)["seq"])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        runs = [auditor(VERIFY)["data"]["verifyAuditLog"] for _ in range(20)]
    finally:
        stop.set()
        writer.join()
    assert len(appended) > 5  # the writer was busy throughout
    assert [run["broken"] for run in runs] == [[]] * 20
