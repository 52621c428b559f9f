"""A support meeting's decision becomes a statutory referral that cites the meeting."""

from datetime import UTC, datetime, timedelta

from graph import clock, session
from tests.conftest import graph_counts
from tests.meetings.flows import (
    ADD_SUBJECT,
    CLOSE,
    DECISION,
    INVITE,
    READ,
    WHY,
    convene,
    meeting_with_subject,
    payload,
    step,
)
from tests.referrals.flows import REGISTER, create

FOREIGN = "00000000-0000-4000-8000-000000000000"


def statutory(people, subject, network, meeting, **changes):
    return create(
        people,
        subject,
        network["consult"],
        legalBasis="STATUTORY_SWA_106_6",
        justification=WHY,
        meetingId=meeting,
        **changes,
    )["data"]["createReferral"]


def _errors(result):
    return [(e["field"], e["code"]) for e in result["errors"]]


def test_a_meetings_statutory_referral_audits_as_statutory_with_the_meeting_id(meeting_case):
    network, people, subject, coordinator = meeting_case
    meeting = meeting_with_subject(network, people, subject, coordinator)
    step(
        coordinator,
        DECISION,
        "recordMeetingDecision",
        meetingId=meeting,
        subjectId=subject,
        text="福祉事務所の子ども家庭相談につなぐ。",
    )
    created = statutory(people, subject, network, meeting)
    assert created["errors"] == []
    referral = created["referral"]["id"]

    cites = session.read(
        lambda tx: tx.single(
            "MATCH (r:Referral {id: $id})-[:CITES]->(m:SupportMeeting) RETURN m.id AS m",
            id=referral,
        )
    )
    assert cites == {"m": meeting}
    events = session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent) WHERE e.action IN ['REFERRAL_CREATE', 'REFERRAL_CITES_MEETING']"
            " RETURN e.action AS action, e.targetType AS type, e.targetId AS target,"
            " e.legalBasis AS basis, e.statutory AS statutory, e.subjects AS subjects"
            " ORDER BY e.action"
        )
    )
    assert events == [
        {
            "action": "REFERRAL_CITES_MEETING",
            "type": "SupportMeeting",
            "target": meeting,
            "basis": "STATUTORY_SWA_106_6",
            "statutory": True,
            "subjects": [subject],
        },
        {
            "action": "REFERRAL_CREATE",
            "type": "Referral",
            "target": referral,
            "basis": "STATUTORY_SWA_106_6",
            "statutory": True,
            "subjects": [subject],
        },
    ]
    decisions = payload(coordinator(READ, {"id": meeting}), "supportMeeting")["decisions"]
    assert decisions[0]["referralIds"] == [referral]


def test_a_meeting_is_required_for_the_statute_and_refused_for_any_other_basis(meeting_case):
    network, people, subject, coordinator = meeting_case
    meeting = meeting_with_subject(network, people, subject, coordinator)
    before = graph_counts()
    assert _errors(statutory(people, subject, network, None)) == [("meetingId", "REQUIRED")]
    assert _errors(statutory(people, subject, network, "not-a-uuid")) == [("meetingId", "INVALID")]
    other = create(
        people,
        subject,
        network["consult"],
        legalBasis="STATUTORY_APPI_27_1_III",
        justification=WHY,
        meetingId=meeting,
    )["data"]["createReferral"]
    assert _errors(other) == [("meetingId", "INVALID")]
    assert _errors(statutory(people, subject, network, FOREIGN)) == [
        ("meetingId", "MEETING_NOT_CITABLE")
    ]
    assert graph_counts() == before


def test_a_meeting_cites_only_when_the_sender_took_part_acknowledged_and_discussed(meeting_case):
    network, people, subject, coordinator = meeting_case
    counsellor = people["counsellor"]
    # Not invited.
    alone = convene(coordinator)["meeting"]["id"]
    step(coordinator, ADD_SUBJECT, "addMeetingSubject", meetingId=alone, subjectId=subject)
    assert _errors(statutory(people, subject, network, alone)) == [
        ("meetingId", "MEETING_NOT_CITABLE")
    ]
    # Invited but nobody of the school acknowledged.
    step(
        coordinator,
        INVITE,
        "inviteToSupportMeeting",
        meetingId=alone,
        organisationIds=[network["school"]],
    )
    assert _errors(statutory(people, subject, network, alone)) == [
        ("meetingId", "MEETING_NOT_CITABLE")
    ]
    # Acknowledged, but another subject was discussed, not this one.
    meeting = meeting_with_subject(network, people, subject, coordinator)
    second = counsellor(REGISTER)["data"]["registerSubject"]["subject"]["id"]
    assert _errors(statutory(people, second, network, meeting)) == [
        ("meetingId", "MEETING_NOT_CITABLE")
    ]
    assert statutory(people, subject, network, meeting)["errors"] == []


def test_a_meeting_cites_within_its_sight_window_and_not_a_second_after(meeting_case, settings):
    network, people, subject, coordinator = meeting_case
    settings.HUB_MEETING_SIGHT_DAYS = 14
    start = datetime.now(UTC) - timedelta(days=20)
    with clock.frozen_at(start):
        meeting = meeting_with_subject(network, people, subject, coordinator)
        step(coordinator, CLOSE, "closeSupportMeeting", meetingId=meeting)
    with clock.frozen_at(start + timedelta(days=14, seconds=1)):
        late = statutory(people, subject, network, meeting)
    assert _errors(late) == [("meetingId", "MEETING_NOT_CITABLE")]
    with clock.frozen_at(start + timedelta(days=14)):
        in_time = statutory(people, subject, network, meeting)
    assert in_time["errors"] == []
