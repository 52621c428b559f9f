"""Support meetings through the API: who sees what, the sight window, bad input."""

from datetime import UTC, datetime, timedelta

import pytest

from graph import clock, session
from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from tests.conftest import graph_counts, member
from tests.meetings.flows import (
    ACKNOWLEDGE,
    ADD_SUBJECT,
    CLOSE,
    DECISION,
    INVITE,
    LIST,
    MINUTES,
    READ,
    convene,
    coordinator_of,
    meeting_with_subject,
    payload,
    step,
)

FOREIGN = "00000000-0000-4000-8000-000000000000"
MINUTES_TEXT = "欠席が3か月続く。家庭訪問を福祉事務所と学校で行う。"


def _errors(result):
    return [(e["field"], e["code"]) for e in result["errors"]]


def test_a_participant_who_has_not_acknowledged_sees_nothing_of_the_content(meeting_case):
    network, people, subject, coordinator = meeting_case
    meeting = meeting_with_subject(network, people, subject, coordinator)
    step(coordinator, MINUTES, "recordMeetingMinutes", meetingId=meeting, text=MINUTES_TEXT)
    step(
        coordinator,
        INVITE,
        "inviteToSupportMeeting",
        meetingId=meeting,
        organisationIds=[network["welfare"]],
    )
    welfare = people["welfare"]

    seen = payload(welfare(READ, {"id": meeting}), "supportMeeting")
    assert (seen["standing"], seen["acknowledged"]) == ("PENDING", False)
    for hidden in ("participants", "subjects", "minutes", "decisions", "reads"):
        assert seen[hidden] is None, hidden
    listed = payload(welfare(LIST), "supportMeetings")
    assert [(m["id"], m["subjects"], m["participants"]) for m in listed] == [(meeting, None, None)]
    # The read is audited, naming no subject: none was shown.
    events = session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent {action: 'SUPPORT_MEETING_READ', actorUser: 'caseworker'})"
            " RETURN e.subjects AS subjects, e.statutory AS statutory"
        )
    )
    assert events == [{"subjects": None, "statutory": True}]

    after = step(welfare, ACKNOWLEDGE, "acknowledgeConfidentiality", meetingId=meeting)
    assert after["errors"] == []
    assert after["meeting"]["standing"] == "ACKNOWLEDGED"
    assert [s["id"] for s in after["meeting"]["subjects"]] == [subject]
    assert [m["text"] for m in after["meeting"]["minutes"]] == [MINUTES_TEXT]


def test_the_convener_runs_the_meeting_and_content_is_sealed_with_each_subjects_key(meeting_case):
    network, people, subject, coordinator = meeting_case
    meeting = meeting_with_subject(network, people, subject, coordinator)
    recorded = step(
        coordinator, MINUTES, "recordMeetingMinutes", meetingId=meeting, text=MINUTES_TEXT
    )
    assert recorded["meeting"]["minutes"][0]["subjectIds"] == [subject]
    decided = step(
        coordinator,
        DECISION,
        "recordMeetingDecision",
        meetingId=meeting,
        subjectId=subject,
        text="福祉事務所の子ども家庭相談につなぐ。",
    )
    assert [(d["subjectId"], d["text"]) for d in decided["meeting"]["decisions"]] == [
        (subject, "福祉事務所の子ども家庭相談につなぐ。")
    ]
    stored = session.read(
        lambda tx: tx.single("MATCH (x:MeetingMinutes) RETURN x.sealed AS sealed")
    )
    assert MINUTES_TEXT not in stored["sealed"]
    participants = decided["meeting"]["participants"]
    school = next(p for p in participants if p["id"] == network["school"])
    assert [(m["username"], m["acknowledgedAt"] is not None) for m in school["members"]] == [
        ("counsellor", True)
    ]
    closed = step(coordinator, CLOSE, "closeSupportMeeting", meetingId=meeting)
    assert closed["meeting"]["state"] == "CLOSED"
    again = step(coordinator, MINUTES, "recordMeetingMinutes", meetingId=meeting, text="追記")
    assert _errors(again) == [("meetingId", "MEETING_CLOSED")]


def test_only_a_coordinator_convenes_and_only_for_its_own_area(meeting_case):
    network, people, subject, coordinator = meeting_case
    refused = people["counsellor"](
        'mutation { conveneSupportMeeting(input: {title: "会議", areaCode: "141305"})'
        " { errors { code } } }"
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    outside = convene(coordinator, areaCode="131121")
    assert _errors(outside) == [("areaCode", "FORBIDDEN_IN_MEETING")]
    # Another municipality's coordinator does not find the meeting at all.
    meeting = meeting_with_subject(network, people, subject, coordinator)
    _, other = coordinator_of("131121", "世田谷区 福祉課", "other-coordinator")
    tried = step(other, CLOSE, "closeSupportMeeting", meetingId=meeting)
    assert _errors(tried) == [("meetingId", "NOT_FOUND")]
    assert payload(other(READ, {"id": meeting}), "supportMeeting") is None
    # A counsellor may call no convener's mutation at all.
    forbidden = people["counsellor"](CLOSE, {"input": {"meetingId": meeting}})
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_participant_may_not_do_what_only_the_convener_may(meeting_case):
    network, people, subject, coordinator = meeting_case
    meeting = meeting_with_subject(network, people, subject, coordinator)
    school_coordinator = member("school-coordinator", network["school"], Role.COORDINATOR)
    tried = step(school_coordinator, CLOSE, "closeSupportMeeting", meetingId=meeting)
    assert _errors(tried) == [("meetingId", "FORBIDDEN_IN_MEETING")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"title": "  "}, [("title", "REQUIRED")]),
        ({"title": "会" * 201}, [("title", "TOO_LONG")]),
        ({"durationMinutes": 14}, [("durationMinutes", "OUT_OF_RANGE")]),
        ({"durationMinutes": 481}, [("durationMinutes", "OUT_OF_RANGE")]),
        ({"durationMinutes": None}, []),
        ({"areaCode": "999999"}, [("areaCode", "UNKNOWN_AREA")]),
    ],
)
def test_convening_refuses_bad_input_and_writes_nothing(meeting_case, data, expected):
    *_, coordinator = meeting_case
    before = graph_counts()
    result = convene(coordinator, **data)
    if expected:
        assert _errors(result) == expected
        assert graph_counts() == before
    else:
        assert result["meeting"]["durationMinutes"] == 120


def test_foreign_ids_explicit_nulls_and_control_characters_are_refused(meeting_case):
    network, people, subject, coordinator = meeting_case
    meeting = meeting_with_subject(network, people, subject, coordinator)
    before = graph_counts()
    cases = [
        (
            ADD_SUBJECT,
            "addMeetingSubject",
            {"meetingId": FOREIGN, "subjectId": subject},
            [("meetingId", "NOT_FOUND")],
        ),
        (
            ADD_SUBJECT,
            "addMeetingSubject",
            {"meetingId": meeting, "subjectId": FOREIGN},
            [("subjectId", "NOT_FOUND")],
        ),
        (
            ADD_SUBJECT,
            "addMeetingSubject",
            {"meetingId": "x", "subjectId": subject},
            [("meetingId", "INVALID")],
        ),
        (
            INVITE,
            "inviteToSupportMeeting",
            {"meetingId": meeting, "organisationIds": [FOREIGN]},
            [("organisationIds", "UNKNOWN_ORGANISATION")],
        ),
        (
            INVITE,
            "inviteToSupportMeeting",
            {"meetingId": meeting, "organisationIds": None, "members": None},
            [("organisationIds", "REQUIRED")],
        ),
        (
            INVITE,
            "inviteToSupportMeeting",
            {
                "meetingId": meeting,
                "members": [{"organisationId": network["npo"], "username": "counsellor"}],
            },
            [("members", "NOT_FOUND")],
        ),
        (
            MINUTES,
            "recordMeetingMinutes",
            {"meetingId": meeting, "text": " "},
            [("text", "REQUIRED")],
        ),
        (
            MINUTES,
            "recordMeetingMinutes",
            {"meetingId": meeting, "text": "あ" * 8001},
            [("text", "TOO_LONG")],
        ),
        (
            DECISION,
            "recordMeetingDecision",
            {"meetingId": meeting, "subjectId": FOREIGN, "text": "つなぐ"},
            [("subjectId", "NOT_FOUND")],
        ),
    ]
    for document, name, data, expected in cases:
        assert _errors(step(coordinator, document, name, **data)) == expected, data
    assert graph_counts() == before
    # Explicit null where the schema requires a value: refused before any resolver runs,
    # naming the field; nothing written.
    for document, data, field in (
        (MINUTES, {"meetingId": meeting, "text": None}, "text"),
        (ADD_SUBJECT, {"meetingId": None, "subjectId": subject}, "meetingId"),
    ):
        body = coordinator(document, {"input": data}, expect_status=400)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    refused = coordinator(
        "mutation($input: ConveneSupportMeetingInput!) { conveneSupportMeeting(input: $input)"
        " { errors { field } } }",
        {"input": {"title": None, "areaCode": "141305"}},
        expect_status=400,
    )
    assert refused["errors"][0]["extensions"]["field"] == "title"
    # Control characters never reach the service: refused at the door, naming the field.
    for document, data, field in (
        (MINUTES, {"meetingId": meeting, "text": "議事\x00録"}, "text"),
        (
            DECISION,
            {"meetingId": meeting, "subjectId": subject, "text": "つなぐ\x1b"},
            "text",
        ),
    ):
        body = coordinator(document, {"input": data}, expect_status=400)
        assert body["errors"][0]["extensions"] == {"code": "INVALID_CHARACTERS", "field": field}
    assert graph_counts() == before


def test_the_sight_window_closes_after_n_days_not_before(meeting_case, settings):
    network, people, subject, coordinator = meeting_case
    settings.HUB_MEETING_SIGHT_DAYS = 14
    start = datetime(2026, 4, 6, 10, 0, tzinfo=UTC)
    with clock.frozen_at(start):
        meeting = meeting_with_subject(network, people, subject, coordinator)
    # Not closed: it ends when convened plus its duration (120 minutes).
    end = start + timedelta(minutes=120)
    counsellor = people["counsellor"]
    for moment, sees in (
        (end + timedelta(days=14), True),
        (end + timedelta(days=14, seconds=1), False),
        (end + timedelta(days=15), False),
    ):
        with clock.frozen_at(moment):
            seen = payload(counsellor(READ, {"id": meeting}), "supportMeeting")
        assert (seen["subjects"] is not None) is sees, moment
    # Closing earlier moves the end to the moment it was closed.
    with clock.frozen_at(start + timedelta(minutes=30)):
        step(coordinator, CLOSE, "closeSupportMeeting", meetingId=meeting)
    closed_end = start + timedelta(minutes=30)
    for days, sees in ((13, True), (14, True), (15, False)):
        with clock.frozen_at(closed_end + timedelta(days=days)):
            seen = payload(counsellor(READ, {"id": meeting}), "supportMeeting")
        assert (seen["subjects"] is not None) is sees, days


def test_auditors_see_every_meeting_of_their_area_its_participants_and_reads(meeting_case):
    network, people, subject, coordinator = meeting_case
    meeting = meeting_with_subject(network, people, subject, coordinator)
    payload(people["counsellor"](READ, {"id": meeting}), "supportMeeting")
    auditor_org = coordinator_of(name="川崎市 監査室", username="unused")[0]
    auditor = member("k-auditor", auditor_org, Role.AUDITOR)
    seen = payload(auditor(LIST), "supportMeetings")
    assert [m["id"] for m in seen] == [meeting]
    audited = seen[0]
    assert audited["subjects"] is None
    assert audited["minutes"] is None
    assert {p["id"] for p in audited["participants"]} >= {network["school"]}
    assert ("counsellor", [subject]) in [(r["actor"], r["subjects"]) for r in audited["reads"]]
    setagaya, _ = coordinator_of("131121", "世田谷区 監査室", "unused2")
    other = member("s-auditor", setagaya, Role.AUDITOR)
    assert payload(other(LIST), "supportMeetings") == []
    assert payload(other(READ, {"id": meeting}), "supportMeeting") is None


def test_reading_a_meeting_costs_the_same_round_trips_whatever_it_holds(meeting_case):
    network, people, subject, coordinator = meeting_case
    meeting = meeting_with_subject(network, people, subject, coordinator)
    counsellor = people["counsellor"]
    with count_round_trips() as small:
        payload(counsellor(READ, {"id": meeting}), "supportMeeting")
    for i in range(5):
        step(coordinator, MINUTES, "recordMeetingMinutes", meetingId=meeting, text=f"議事 {i}")
    with count_round_trips() as large:
        seen = payload(counsellor(READ, {"id": meeting}), "supportMeeting")
    assert len(seen["minutes"]) == 5
    # The read, its audit event and the event's subject mentions: never one per minute.
    assert len(large.statements) == len(small.statements) == 3
