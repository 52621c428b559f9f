"""The consent core against the findings of its line-by-line review (issue 22): each test
here failed before its fix. Time moves with graph/clock.py, the clock every statement asks.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from graph import audit_log, clock, session
from referral_hub.accounts.roles import Role
from referral_hub.subjects import maintenance
from tests import directory_fixtures
from tests.conftest import graph_counts, member, subject_audit_events
from tests.meetings.flows import cited_meeting
from tests.referrals.flows import CONSENT, READ, consent_input, create, give_consent, move

TOKYO = ZoneInfo("Asia/Tokyo")
WHY = (
    "支援会議(社会福祉法第106条の6)で共有が決定。保護者と連絡が取れず同意を得られないが、"
    "児童の欠席が続き生活状況の確認が急がれるため。"
)
READ_SUBJECT = """
query($id: ID!, $purpose: Purpose) { subject(id: $id, purpose: $purpose) { id name } }"""
READ_ATTENDANCE = "query($id: ID!) { subject(id: $id) { id birthYear } }"
UPDATE_ORG = """
mutation($id: ID!, $input: OrganisationUpdateInput!) {
  updateOrganisation(id: $id, input: $input) {
    organisation { kind areaCode pendingChange { kind areaCode requestedAt } }
    errors { field code }
  }
}"""
DECIDE = """
mutation($id: ID!, $approve: Boolean!) {
  decideOrganisationChange(id: $id, approve: $approve) {
    organisation { kind areaCode pendingChange { kind } } errors { field code }
  }
}"""
INBOX = "{ inbox(first: 50) { edges { node { id state } } } }"
REVIEW = """
mutation($id: ID!, $finding: ReviewFinding!, $note: String) {
  reviewStatutoryReferral(id: $id, finding: $finding, note: $note) {
    reviewState errors { field code }
  }
}"""
REGISTER = """
mutation($year: Int!) { registerSubject(input: {birthYear: $year, areaCode: "141313",
  name: "佐藤 花子"}) { subject { id } errors { code } } }"""
_AUDIT_ACTIONS = "MATCH (e:AuditEvent {targetId: $id}) RETURN collect(e.action) AS actions"


def _name(caller, subject, purpose="REFERRAL"):
    seen = caller(READ_SUBJECT, {"id": subject, "purpose": purpose})["data"]["subject"]
    return None if seen is None else seen["name"]


def _statutory(people, subject, service, **changes):
    basis = changes.pop("legalBasis", "STATUTORY_SWA_106_6")
    if basis == "STATUTORY_SWA_106_6" and "meetingId" not in changes:
        changes["meetingId"] = cited_meeting(people, subject)  # the statute's basis
    payload = create(
        people,
        subject,
        service,
        legalBasis=basis,
        justification=WHY,
        **changes,
    )["data"]["createReferral"]
    return payload


def _register(people, year):
    payload = people["counsellor"](REGISTER, {"year": year})["data"]["registerSubject"]
    assert payload["errors"] == []
    return payload["subject"]["id"]


def _municipal(username, name, area, role):
    """A member of a municipal office (coordinator or auditor) for `area`."""
    return member(username, directory_fixtures.build_auditor_org(name, area), role)


def _erase_now(subject, settings):
    """Erase the subject at once: its erasure due a second ago, no retention after close."""
    settings.HUB_ERASURE_RETENTION_DAYS = 0
    session.write(
        lambda tx: tx.run(
            "MATCH (s:Subject {id: $id}) SET s.erasureDueAt = datetime() - duration('PT1S')",
            id=subject,
        ).consume()
    )
    assert maintenance.erase_due_subjects() == 1


def _tokyo(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


# --- 1. kind and area are attested ---


def test_an_organisation_cannot_relabel_itself_into_a_consent(case):
    network, people, subject = case
    give_consent(
        people,
        subject,
        organisationKinds=["WELFARE_OFFICE"],
        areaCode=directory_fixtures.KAWASAKI,
    )
    npo_admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    asked = npo_admin(UPDATE_ORG, {"id": network["npo"], "input": {"kind": "WELFARE_OFFICE"}})
    organisation = asked["data"]["updateOrganisation"]["organisation"]
    # The kind did not change: it is a pending request, and the NPO still sees nothing.
    assert organisation["kind"] == "NPO"
    assert organisation["pendingChange"]["kind"] == "WELFARE_OFFICE"
    assert organisation["pendingChange"]["areaCode"] == directory_fixtures.NAKAHARA_KU
    assert _name(people["npo"], subject) is None

    # A coordinator elsewhere cannot decide it; the city's coordinator can.
    setagaya = _municipal("s-coord", "世田谷区", directory_fixtures.SETAGAYA, Role.COORDINATOR)
    refused = setagaya(DECIDE, {"id": network["npo"], "approve": True})
    assert refused["data"]["decideOrganisationChange"]["errors"] == [
        {"field": "id", "code": "NOT_FOUND"}
    ]
    assert _name(people["npo"], subject) is None
    kawasaki = _municipal("k-coord", "川崎市", directory_fixtures.KAWASAKI, Role.COORDINATOR)
    approved = kawasaki(DECIDE, {"id": network["npo"], "approve": True})
    assert approved["data"]["decideOrganisationChange"] == {
        "organisation": {
            "kind": "WELFARE_OFFICE",
            "areaCode": directory_fixtures.NAKAHARA_KU,
            "pendingChange": None,
        },
        "errors": [],
    }
    # Attested by the coordinator, it is now what the consent names.
    assert _name(people["npo"], subject) == "山田 太郎"
    actions = session.read(lambda tx: tx.single(_AUDIT_ACTIONS, id=network["npo"]))["actions"]
    assert {"ORGANISATION_CHANGE_REQUEST", "ORGANISATION_CHANGE_APPROVE"} <= set(actions)


def test_a_rejected_change_is_dropped_and_an_organisation_admin_cannot_decide(case):
    network, _, _ = case
    npo_admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    npo_admin(UPDATE_ORG, {"id": network["npo"], "input": {"areaCode": "141313"}})
    forbidden = npo_admin(DECIDE, {"id": network["npo"], "approve": True})
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    kawasaki = _municipal("k-coord", "川崎市", directory_fixtures.KAWASAKI, Role.COORDINATOR)
    rejected = kawasaki(DECIDE, {"id": network["npo"], "approve": False})
    assert rejected["data"]["decideOrganisationChange"]["organisation"] == {
        "kind": "NPO",
        "areaCode": directory_fixtures.NAKAHARA_KU,
        "pendingChange": None,
    }
    # Nothing is pending any more.
    again = kawasaki(DECIDE, {"id": network["npo"], "approve": True})
    assert again["data"]["decideOrganisationChange"]["errors"][0]["code"] == "NOT_FOUND"


# --- 2, 3, 5: statutory sight ---


def test_statutory_sight_is_the_shared_categories_for_referral_purposes_only(case):
    network, people, subject = case
    created = _statutory(people, subject, network["consult"], categories=["SCHOOL_ATTENDANCE"])
    assert created["errors"] == []
    welfare = people["welfare"]
    # SCHOOL_ATTENDANCE was shared; the name (CONTACT) was not.
    assert welfare(READ_ATTENDANCE, {"id": subject})["data"]["subject"]["birthYear"] == 2012
    assert _name(welfare, subject) is None
    both = _statutory(people, _register(people, 2012), network["consult"])
    assert both["errors"] == []
    other = both["referral"]["id"]
    other_subject = session.read(
        lambda tx: tx.single("MATCH (:Referral {id: $id})-[:FOR]->(s) RETURN s.id AS id", id=other)
    )["id"]
    assert _name(welfare, other_subject) == "佐藤 花子"
    assert _name(welfare, other_subject, "SERVICE_DELIVERY") == "佐藤 花子"
    assert _name(welfare, other_subject, "CASE_COORDINATION") is None
    assert _name(welfare, other_subject, "STATISTICS") is None


def test_a_statutory_draft_gives_no_sight_and_is_invisible_to_the_receiver(case):
    network, people, subject = case
    draft = _statutory(people, subject, network["consult"], send=False)["referral"]
    welfare = people["welfare"]
    assert _name(welfare, subject) is None
    assert welfare(READ, {"id": draft["id"]})["data"]["referral"] is None
    assert move(people["counsellor"], draft["id"], "SEND", 1)["errors"] == []
    assert _name(welfare, subject) == "山田 太郎"


def test_an_inappropriate_finding_ends_sight_and_blocks_a_new_statutory_referral(case):
    network, people, subject = case
    referral = _statutory(people, subject, network["consult"])["referral"]["id"]
    welfare = people["welfare"]
    assert _name(welfare, subject) == "山田 太郎"
    auditor = _municipal("auditor", "川崎市 監査室", directory_fixtures.KAWASAKI, Role.AUDITOR)
    finding = {"id": referral, "finding": "INAPPROPRIATE", "note": "要件を満たさない"}
    assert auditor(REVIEW, finding)["data"]["reviewStatutoryReferral"]["errors"] == []
    assert _name(welfare, subject) is None
    accepted = move(welfare, referral, "ACKNOWLEDGE", 1)
    assert accepted["errors"] == [{"field": "id", "code": "CONSENT_REQUIRED"}]

    assert move(people["counsellor"], referral, "CANCEL", 1)["errors"] == []
    again = _statutory(people, subject, network["consult"])
    assert again["errors"] == [
        {
            "field": "legalBasis",
            "code": "STATUTORY_BLOCKED",
            "message": again["errors"][0]["message"],
        }
    ]
    # The auditor's release: the finding changed to APPROPRIATE.
    release = {"id": referral, "finding": "APPROPRIATE", "note": "再確認の結果、適法"}
    assert auditor(REVIEW, release)["data"]["reviewStatutoryReferral"]["errors"] == []
    assert _statutory(people, subject, network["consult"])["errors"] == []


def test_statutory_sight_expires_after_the_set_period(case, settings):
    network, people, subject = case
    settings.HUB_STATUTORY_SIGHT_DAYS = 10
    sent = datetime.now(TOKYO)
    referral = _statutory(people, subject, network["consult"])["referral"]["id"]
    welfare = people["welfare"]
    with clock.frozen_at(sent + timedelta(days=9, hours=23)):
        assert _name(welfare, subject) == "山田 太郎"
    with clock.frozen_at(sent + timedelta(days=10, minutes=1)):
        assert _name(welfare, subject) is None
        late = move(welfare, referral, "ACKNOWLEDGE", 1)
        assert late["errors"] == [{"field": "id", "code": "CONSENT_REQUIRED"}]


def test_a_statute_must_fit_the_receiver_and_the_subjects_age(case):
    network, people, subject = case
    to_npo = _statutory(
        people, subject, network["study"], legalBasis="STATUTORY_CHILD_ABUSE_PREVENTION"
    )
    assert [(e["field"], e["code"]) for e in to_npo["errors"]] == [
        ("legalBasis", "STATUTE_NOT_APPLICABLE")
    ]
    adult = _register(people, 1980)
    for_adult = _statutory(people, adult, network["consult"], legalBasis="STATUTORY_APPI_27_1_III")
    assert [(e["field"], e["code"]) for e in for_adult["errors"]] == [
        ("legalBasis", "STATUTE_NOT_APPLICABLE")
    ]
    child = _statutory(
        people, subject, network["consult"], legalBasis="STATUTORY_CHILD_ABUSE_PREVENTION"
    )
    assert child["errors"] == []


# --- 6. never-sent drafts ---


def test_a_cancelled_draft_never_reaches_the_receiver(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    draft = create(people, subject, network["consult"], send=False)["data"]["createReferral"]
    referral = draft["referral"]["id"]
    assert move(people["counsellor"], referral, "CANCEL", 1)["errors"] == []
    welfare = people["welfare"]
    assert welfare(INBOX)["data"]["inbox"]["edges"] == []
    assert welfare(READ, {"id": referral})["data"]["referral"] is None
    refused = move(welfare, referral, "ACKNOWLEDGE", 2)
    assert refused["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


# --- 4. handoff notes and needs follow the subject's basis ---

NOTE = "母親と面談。父の暴力あり。"
TIMELINE = """
query($id: ID!) { referral(id: $id) { needTags timeline { action note } } }"""
INBOX_NOTES = "{ inbox(first: 50) { edges { node { lastEvent { action note } } } } }"
WITHDRAW = "mutation($id: ID!) { withdrawConsent(id: $id) { errors { code } } }"
_NOTE_PROPERTIES = """
MATCH (:Referral {id: $id})-[:HAS_EVENT]->(e:HandoffEvent {action: 'ACKNOWLEDGE'})
RETURN e.note AS clear, e.noteSealed AS sealed"""


def _notes(caller, referral):
    seen = caller(TIMELINE, {"id": referral})["data"]["referral"]
    notes = [event["note"] for event in seen["timeline"] if event["action"] == "ACKNOWLEDGE"]
    return seen["needTags"], notes


def test_handoff_notes_and_needs_are_sealed_and_follow_the_subjects_basis(case, settings):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    welfare, counsellor = people["welfare"], people["counsellor"]
    assert move(welfare, referral["id"], "ACKNOWLEDGE", 1, note=NOTE)["errors"] == []
    stored = session.read(lambda tx: tx.single(_NOTE_PROPERTIES, id=referral["id"]))
    assert stored["clear"] is None
    assert NOTE not in stored["sealed"]
    assert _notes(welfare, referral["id"]) == (["school_non_attendance"], [NOTE])
    inbox = welfare(INBOX_NOTES)["data"]["inbox"]["edges"]
    assert [edge["node"]["lastEvent"] for edge in inbox] == [
        {"action": "ACKNOWLEDGE", "note": NOTE}
    ]

    # Withdrawn: the receiver keeps the referral's facts but neither the note nor the needs.
    assert counsellor(WITHDRAW, {"id": consent})["data"]["withdrawConsent"]["errors"] == []
    assert _notes(welfare, referral["id"]) == (None, [None])
    assert _notes(counsellor, referral["id"]) == (["school_non_attendance"], [NOTE])
    ended = counsellor(
        "query($id: ID!) { referral(id: $id) { timeline { action reason note } } }",
        {"id": referral["id"]},
    )["data"]["referral"]["timeline"][-1]
    # Why it ended is a fact about the consent, readable by both sides.
    assert ended == {"action": "WITHDRAW", "reason": "CONSENT_WITHDRAWN", "note": None}

    # Erased: the key is gone, and with it the note, for everyone.
    _erase_now(subject, settings)
    assert _notes(counsellor, referral["id"]) == (None, [None])


# --- 7. deactivated organisations ---


def test_a_deactivated_organisation_loses_its_sight(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    welfare = people["welfare"]
    assert _name(welfare, subject) == "山田 太郎"
    admin = member("w-admin", network["welfare"], Role.ORG_ADMIN)
    deactivated = admin(
        "mutation($id: ID!) { deactivateOrganisation(id: $id) { errors { code } } }",
        {"id": network["welfare"]},
    )
    assert deactivated["data"]["deactivateOrganisation"]["errors"] == []
    assert _name(welfare, subject) is None


# --- 8. guardians and the age of majority ---


def test_guardian_consent_is_refused_for_an_adult(case):
    network, people, _ = case
    adult = _register(people, 1980)
    data = consent_input(adult, organisationIds=[network["welfare"]])
    refused = people["counsellor"](CONSENT, {"input": data})["data"]["recordConsent"]
    assert refused["errors"] == [{"code": "INVALID"}]


def test_a_guardians_consent_stops_covering_on_1_january_of_the_year_the_subject_turns_18(
    case,
):
    network, people, _ = case
    this_year = date.today().year
    subject = _register(people, this_year - 17)  # turns 18 next year
    give_consent(
        people,
        subject,
        organisationIds=[network["welfare"]],
        validUntil=date(this_year + 1, 3, 31).isoformat(),
    )
    welfare = people["welfare"]
    with clock.frozen_at(_tokyo(date(this_year, 12, 31), 23, 59)):
        assert _name(welfare, subject) == "佐藤 花子"
    with clock.frozen_at(_tokyo(date(this_year + 1, 1, 1))):
        assert _name(welfare, subject) is None


# --- 9. expiry is enforced by every transition ---


def test_after_the_consents_last_day_nothing_moves_forward(case):
    network, people, subject = case
    last_day = date.today() + timedelta(days=5)
    give_consent(
        people, subject, organisationIds=[network["welfare"]], validUntil=last_day.isoformat()
    )
    sent = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    draft_subject = _register(people, 2012)
    give_consent(
        people,
        draft_subject,
        organisationIds=[network["welfare"]],
        validUntil=last_day.isoformat(),
    )
    draft = create(people, draft_subject, network["consult"], send=False)["data"]["createReferral"][
        "referral"
    ]
    welfare, counsellor = people["welfare"], people["counsellor"]
    with clock.frozen_at(_tokyo(last_day, 23, 59)):
        assert _name(welfare, subject) == "山田 太郎"
    with clock.frozen_at(_tokyo(last_day + timedelta(days=1))):
        assert _name(welfare, subject) is None
        refused = move(welfare, sent["id"], "ACKNOWLEDGE", 1)
        assert refused["errors"] == [{"field": "id", "code": "CONSENT_REQUIRED"}]
        unsent = move(counsellor, draft["id"], "SEND", 1)
        assert unsent["errors"] == [{"field": "id", "code": "CONSENT_REQUIRED"}]
        # Closing is always possible.
        assert move(welfare, sent["id"], "DECLINE", 1, reason="NOT_ELIGIBLE")["errors"] == []
        assert move(counsellor, draft["id"], "CANCEL", 1)["errors"] == []


# --- 10. STATISTICS never returns identified data ---


def test_statistics_never_returns_identified_data_even_when_consented(case):
    network, people, subject = case
    give_consent(
        people,
        subject,
        organisationIds=[network["welfare"]],
        purposes=["REFERRAL", "STATISTICS"],
    )
    welfare = people["welfare"]
    assert _name(welfare, subject) == "山田 太郎"
    assert _name(welfare, subject, "STATISTICS") is None
    assert _name(people["counsellor"], subject, "STATISTICS") is None


# --- 11. the audit says what was read, under what ---

_KEYS = (
    "action",
    "outcome",
    "basis",
    "statutory",
    "consent",
    "categories",
    "fields",
    "organisation",
)
REFERRAL_READ = "query($id: ID!) { referral(id: $id) { id summary } }"


def _events(subject, organisation=None):
    rows = [{k: e[k] for k in _KEYS} for e in subject_audit_events(subject)]
    return [
        {k: v for k, v in row.items() if k != "organisation"}
        for row in rows
        if organisation is None or row["organisation"] == organisation
    ]


def _event(action, basis, consent=None, categories=None, fields=None, outcome="OK"):
    return {
        "action": action,
        "outcome": outcome,
        "basis": basis,
        "statutory": bool(basis and basis.startswith("STATUTORY_")),
        "consent": consent,
        "categories": categories,
        "fields": fields,
    }


def test_every_audit_event_names_its_basis_consent_categories_and_fields(case):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    welfare, npo = people["welfare"], people["npo"]
    assert _name(welfare, subject) == "山田 太郎"
    assert _name(npo, subject) is None
    assert welfare(INBOX)["data"]["inbox"]["edges"] != []
    assert welfare(REFERRAL_READ, {"id": referral["id"]})["data"]["referral"]["summary"]

    school = _events(subject, network["school"])
    assert school[:3] == [
        _event("SUBJECT_REGISTER", "OWN_RECORD", fields=["contact", "name"]),
        _event("CONSENT_RECORD", "OWN_RECORD", consent=consent),
        _event("REFERRAL_CREATE", "CONSENT", consent, ["CONTACT"]),
    ]
    assert _events(subject, network["welfare"]) == [
        _event("SUBJECT_READ", "CONSENT", consent, ["CONTACT"], ["name"]),
        _event(
            "REFERRAL_INBOX_READ", "CONSENT", consent, ["CONTACT"], ["initials", "lastEventNote"]
        ),
        _event(
            "REFERRAL_READ",
            "CONSENT",
            consent,
            ["CONTACT"],
            ["birthYear", "needTags", "notes", "preference", "summary"],
        ),
    ]
    assert _events(subject, network["npo"]) == [
        _event("SUBJECT_READ", None, None, ["CONTACT"], [], outcome="DENIED")
    ]
    assert [broken for _, _, broken in audit_log.verify_all() if broken] == []


def test_a_lapsed_statutory_read_is_not_marked_statutory_and_maintenance_claims_no_basis(
    case, settings
):
    network, people, subject = case
    settings.HUB_STATUTORY_SIGHT_DAYS = 10
    referral = _statutory(people, subject, network["consult"])["referral"]["id"]
    welfare = people["welfare"]
    welfare(REFERRAL_READ, {"id": referral})
    with clock.frozen_at(datetime.now(TOKYO) + timedelta(days=11)):
        welfare(REFERRAL_READ, {"id": referral})
    reads = [e for e in _events(subject, network["welfare"]) if e["action"] == "REFERRAL_READ"]
    shared = ["CONTACT"]
    assert reads == [
        _event(
            "REFERRAL_READ",
            "STATUTORY_SWA_106_6",
            None,
            shared,
            ["birthYear", "needTags", "notes", "preference", "summary"],
        ),
        _event("REFERRAL_READ", None, None, shared, []),
    ]

    other = _register(people, 2012)
    last_day = (date.today() + timedelta(days=1)).isoformat()
    give_consent(people, other, organisationIds=[network["welfare"]], validUntil=last_day)
    settings.HUB_ERASURE_RETENTION_DAYS = 0
    with clock.frozen_at(datetime.now(TOKYO) + timedelta(days=3)):
        assert maintenance.expire_consents() == 1
        assert maintenance.erase_due_subjects() == 1
    system = [e for e in _events(other) if e["action"] in ("CONSENT_EXPIRE", "SUBJECT_ERASE")]
    assert system == [_event("CONSENT_EXPIRE", None), _event("SUBJECT_ERASE", None)]
    assert [broken for _, _, broken in audit_log.verify_all() if broken] == []


# --- 12. every subject has a retention clock ---

_ERASED = "MATCH (s:Subject) WHERE s.id IN $ids AND s.erasedAt IS NOT NULL RETURN s.id AS id"


def _erased(*subjects):
    maintenance.erase_due_subjects()
    return {row["id"] for row in session.read(lambda tx: tx.rows(_ERASED, ids=list(subjects)))}


def test_a_subject_never_under_consent_is_erased_after_registration_and_last_close(case, settings):
    network, people, subject = case
    settings.HUB_ERASURE_RETENTION_DAYS = 30
    idle = _register(people, 2013)
    referral = _statutory(people, subject, network["consult"])["referral"]["id"]
    now = datetime.now(TOKYO)
    with clock.frozen_at(now + timedelta(days=29, hours=23)):
        assert _erased(idle, subject) == set()
    with clock.frozen_at(now + timedelta(days=30, minutes=1)):
        # The idle registration is gone; the statutory subject waits for its open referral.
        assert _erased(idle, subject) == {idle}
    welfare = people["welfare"]
    assert move(welfare, referral, "DECLINE", 1, reason="NOT_ELIGIBLE")["errors"] == []
    closed = datetime.now(TOKYO)
    with clock.frozen_at(closed + timedelta(days=29, hours=23)):
        assert _erased(subject) == set()
    with clock.frozen_at(closed + timedelta(days=30, minutes=1)):
        assert _erased(subject) == {subject}


def test_a_subject_registered_before_retention_clocks_gets_one_from_the_erasure_task(
    case, settings
):
    _, _, subject = case
    settings.HUB_ERASURE_RETENTION_DAYS = 30
    session.write(
        lambda tx: tx.run("MATCH (s:Subject {id: $id}) REMOVE s.erasureDueAt", id=subject).consume()
    )
    first_run = datetime.now(TOKYO) + timedelta(days=100)
    with clock.frozen_at(first_run):
        assert _erased(subject) == set()
    with clock.frozen_at(first_run + timedelta(days=29, hours=23)):
        assert _erased(subject) == set()
    with clock.frozen_at(first_run + timedelta(days=30, minutes=1)):
        assert _erased(subject) == {subject}


# --- 13. no silent drops -------------------------------------------------------------------


def test_an_unknown_organisation_in_a_consent_is_refused_and_nothing_is_kept(case):
    network, people, subject = case
    before = graph_counts()
    unknown = "00000000-0000-4000-8000-000000000000"
    data = consent_input(subject, organisationIds=[network["welfare"], unknown])
    refused = people["counsellor"](CONSENT, {"input": data})["data"]["recordConsent"]
    assert refused == {"consent": None, "errors": [{"code": "UNKNOWN_ORGANISATION"}]}
    assert graph_counts() == before
    assert _name(people["welfare"], subject) is None


def test_an_erased_subject_cannot_be_referred_again_not_even_by_statute(case, settings):
    """Issue 12, finding 15: the key is gone, so nothing about the subject is shared."""
    network, people, subject = case
    meeting = cited_meeting(people, subject)  # discussed before the erasure
    _erase_now(subject, settings)
    before = graph_counts(audit=False)
    refused = _statutory(people, subject, network["consult"], meetingId=meeting)
    assert refused["errors"] == [
        {"field": "subjectId", "code": "SUBJECT_ERASED", "message": "This subject was erased."}
    ]
    assert graph_counts(audit=False) == before
