"""GraphQL documents and steps shared by the support meeting tests."""

from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import member

KAWASAKI = "141305"
MEETING_FIELDS = """
  id title state areaCode standing acknowledged sightUntil closedAt durationMinutes
  convener { name }
  participants { id name members { username named acknowledgedAt } }
  subjects { id birthYear } minutes { id text subjectIds }
  decisions { id subjectId text referralIds }
  reads { actor organisationId subjects }
"""
CONVENE = (
    "mutation($input: ConveneSupportMeetingInput!) { conveneSupportMeeting(input: $input) {"
    " meeting {" + MEETING_FIELDS + "} errors { field code message } } }"
)
INVITE = (
    "mutation($input: InviteToSupportMeetingInput!) { inviteToSupportMeeting(input: $input) {"
    " meeting {" + MEETING_FIELDS + "} errors { field code message } } }"
)
ACKNOWLEDGE = (
    "mutation($input: SupportMeetingIdInput!) { acknowledgeConfidentiality(input: $input) {"
    " meeting {" + MEETING_FIELDS + "} errors { field code message } } }"
)
ADD_SUBJECT = (
    "mutation($input: AddMeetingSubjectInput!) { addMeetingSubject(input: $input) {"
    " meeting {" + MEETING_FIELDS + "} errors { field code message } } }"
)
MINUTES = (
    "mutation($input: RecordMeetingMinutesInput!) { recordMeetingMinutes(input: $input) {"
    " meeting {" + MEETING_FIELDS + "} errors { field code message } } }"
)
DECISION = (
    "mutation($input: RecordMeetingDecisionInput!) { recordMeetingDecision(input: $input) {"
    " meeting {" + MEETING_FIELDS + "} errors { field code message } } }"
)
CLOSE = (
    "mutation($input: SupportMeetingIdInput!) { closeSupportMeeting(input: $input) {"
    " meeting {" + MEETING_FIELDS + "} errors { field code message } } }"
)
READ = "query($id: ID!) { supportMeeting(id: $id) {" + MEETING_FIELDS + "} }"
LIST = "query { supportMeetings {" + MEETING_FIELDS + "} }"

WHY = (
    "支援会議(社会福祉法第106条の6)で共有が決定。保護者と連絡が取れず同意を得られないが、"
    "児童の欠席が続き生活状況の確認が急がれるため。"
)


def payload(body, name):
    assert "errors" not in body, body
    return body["data"][name]


def coordinator_of(area=KAWASAKI, name="川崎市 地域福祉課", username="coordinator"):
    office = directory_fixtures.build_auditor_org(name, area)
    return office, member(username, office, Role.COORDINATOR)


def convene(coordinator, **changes):
    data = {"title": "桜中学校区 支援会議", "areaCode": KAWASAKI, **changes}
    return payload(coordinator(CONVENE, {"input": data}), "conveneSupportMeeting")


def step(caller, document, name, **data):
    return payload(caller(document, {"input": data}), name)


def meeting_with_subject(network, people, subject, coordinator):
    """A meeting the school was invited to and its counsellor acknowledged, discussing
    the subject."""
    meeting = convene(coordinator)["meeting"]["id"]
    invited = step(
        coordinator,
        INVITE,
        "inviteToSupportMeeting",
        meetingId=meeting,
        organisationIds=[network["school"]],
    )
    assert invited["errors"] == []
    acknowledged = step(
        people["counsellor"], ACKNOWLEDGE, "acknowledgeConfidentiality", meetingId=meeting
    )
    assert acknowledged["errors"] == []
    added = step(
        coordinator, ADD_SUBJECT, "addMeetingSubject", meetingId=meeting, subjectId=subject
    )
    assert added["errors"] == []
    return meeting


def cited_meeting(people, subject):
    """A meeting that may justify a STATUTORY_SWA_106_6 referral of `subject` by the
    counsellor's organisation: convened by a Kawasaki coordinator, the organisation invited
    and one of its members acknowledged, the subject discussed (issue 20: the statute's
    referral cites the meeting that decided it)."""
    import uuid

    organisation = people["counsellor"].headers["HTTP_X_ORGANISATION_ID"]
    tag = uuid.uuid4().hex[:8]
    _, coordinator = coordinator_of(name=f"川崎市 地域福祉課 {tag}", username=f"coord-{tag}")
    meeting = convene(coordinator)["meeting"]["id"]
    step(
        coordinator,
        INVITE,
        "inviteToSupportMeeting",
        meetingId=meeting,
        organisationIds=[organisation],
    )
    present = member(f"ack-{tag}", organisation, Role.COUNSELLOR)
    assert (
        step(present, ACKNOWLEDGE, "acknowledgeConfidentiality", meetingId=meeting)["errors"] == []
    )
    added = step(
        coordinator, ADD_SUBJECT, "addMeetingSubject", meetingId=meeting, subjectId=subject
    )
    assert added["errors"] == []
    return meeting
