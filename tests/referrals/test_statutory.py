"""A statutory basis instead of consent: justified in writing, marked in the audit log,
visible to the receiver only while the referral is open, and queued for auditors."""

from graph import audit_log, session
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import graph_counts, member
from tests.meetings.flows import cited_meeting
from tests.referrals.flows import create, move

WHY = (
    "支援会議(社会福祉法第106条の6)で共有が決定。保護者と連絡が取れず同意を得られないが、"
    "児童の欠席が続き生活状況の確認が急がれるため。"
)
READ_SUBJECT = "query($id: ID!) { subject(id: $id) { id name erased } }"
QUEUE = """
query($reviewed: Boolean) {
  statutoryReviewQueue(reviewed: $reviewed) {
    edges { node { id legalBasis justification reviewState reviewNote
                   sender { name } receiver { name } } }
  }
}"""
REVIEW = """
mutation($id: ID!, $finding: ReviewFinding!, $note: String) {
  reviewStatutoryReferral(id: $id, finding: $finding, note: $note) {
    id reviewState errors { field code message }
  }
}"""
_EVENTS = """
MATCH (e:AuditEvent) WHERE e.targetId IN [$referral, $subject]
RETURN e.action AS action, e.legalBasis AS basis, e.statutory AS statutory ORDER BY e.at
"""


def statutory(people, subject, network, **changes):
    """A referral under 社会福祉法 第106条の6, citing the support meeting that decided it."""
    return create(
        people,
        subject,
        network["consult"],
        legalBasis="STATUTORY_SWA_106_6",
        justification=WHY,
        meetingId=changes.pop("meetingId", None) or cited_meeting(people, subject),
        **changes,
    )["data"]["createReferral"]


def test_a_statutory_basis_needs_a_written_justification_and_writes_nothing_without(case):
    network, people, subject = case
    before = graph_counts()
    for justification, code in ((None, "REQUIRED"), ("急ぎのため", "TOO_SHORT")):
        refused = create(
            people,
            subject,
            network["consult"],
            legalBasis="STATUTORY_APPI_27_1_III",
            justification=justification,
        )["data"]["createReferral"]
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [("justification", code)]
    consent_with_text = create(people, subject, network["consult"], justification=WHY)
    assert consent_with_text["data"]["createReferral"]["errors"][0]["code"] == "INVALID"
    # 社会福祉法 第106条の6 rests on a support meeting (issue 20): without one it is refused,
    # however well justified.
    no_meeting = create(
        people, subject, network["consult"], legalBasis="STATUTORY_SWA_106_6", justification=WHY
    )["data"]["createReferral"]
    assert [(e["field"], e["code"]) for e in no_meeting["errors"]] == [("meetingId", "REQUIRED")]
    assert graph_counts() == before


def test_statutory_referral_without_consent_is_marked_in_every_audit_event(case):
    network, people, subject = case
    created = statutory(people, subject, network)
    assert created["errors"] == []
    referral = created["referral"]["id"]

    welfare = people["welfare"]
    # Without any consent the receiver sees the subject under the statute while it is open.
    assert welfare(READ_SUBJECT, {"id": subject})["data"]["subject"]["name"] == "山田 太郎"
    step = move(welfare, referral, "ACKNOWLEDGE", 1)
    assert step["errors"] == []
    events = session.read(lambda tx: tx.rows(_EVENTS, referral=referral, subject=subject))
    by_action = {e["action"]: e for e in events}
    for action in ("REFERRAL_CREATE", "REFERRAL_READ", "SUBJECT_READ", "REFERRAL_ACKNOWLEDGE"):
        assert (by_action[action]["basis"], by_action[action]["statutory"]) == (
            "STATUTORY_SWA_106_6",
            True,
        ), action
    # Closing the referral ends the receiver's sight of the subject.
    declined = move(welfare, referral, "DECLINE", 2, reason="NOT_ELIGIBLE")
    assert declined["errors"] == []
    assert welfare(READ_SUBJECT, {"id": subject})["data"]["subject"] is None
    assert all(broken is None for _, _, broken in audit_log.verify_all())


def test_auditors_review_statutory_referrals_in_their_area(case):
    network, people, subject = case
    referral = statutory(people, subject, network)["referral"]["id"]
    kawasaki = directory_fixtures.build_auditor_org("川崎市 監査室", "141305")
    setagaya = directory_fixtures.build_auditor_org("世田谷区 監査室", "131121")
    auditor = member("k-auditor", kawasaki, Role.AUDITOR)

    queue = auditor(QUEUE, {"reviewed": False})["data"]["statutoryReviewQueue"]["edges"]
    assert [(q["node"]["id"], q["node"]["justification"]) for q in queue] == [(referral, WHY)]
    # Reading the justification is itself a statutory read of the subject, and audited.
    read = session.read(
        lambda tx: tx.single(
            "MATCH (e:AuditEvent {action: 'STATUTORY_REVIEW_READ'}) RETURN e.subjects AS s,"
            " e.subjectBases AS bases, e.statutory AS statutory, e.legalBasis AS basis"
        )
    )
    assert read == {
        "s": [subject],
        "bases": ["STATUTORY_SWA_106_6"],
        "statutory": True,
        "basis": "STATUTORY_SWA_106_6",
    }

    # The sending school is in 川崎市, not in 世田谷区: the other auditor sees nothing of it.
    other = member("s-auditor", setagaya, Role.AUDITOR)
    assert other(QUEUE, {})["data"]["statutoryReviewQueue"]["edges"] == []
    refused = other(REVIEW, {"id": referral, "finding": "APPROPRIATE"})
    assert refused["data"]["reviewStatutoryReferral"]["errors"][0]["code"] == "NOT_FOUND"

    no_note = auditor(REVIEW, {"id": referral, "finding": "INAPPROPRIATE"})
    assert no_note["data"]["reviewStatutoryReferral"]["errors"][0]["field"] == "note"
    done = auditor(REVIEW, {"id": referral, "finding": "APPROPRIATE", "note": "会議録を確認"})
    assert done["data"]["reviewStatutoryReferral"] == {
        "id": referral,
        "reviewState": "APPROPRIATE",
        "errors": [],
    }
    assert auditor(QUEUE, {"reviewed": False})["data"]["statutoryReviewQueue"]["edges"] == []
    reviewed = auditor(QUEUE, {"reviewed": True})["data"]["statutoryReviewQueue"]["edges"]
    assert reviewed[0]["node"]["reviewNote"] == "会議録を確認"

    counsellor = people["counsellor"]
    forbidden = counsellor(QUEUE, {})
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
