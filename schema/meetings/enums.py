"""The meetings domain's enums, each value described (schema/core/described.py)."""

from referral_hub.meetings.rules import Standing, State
from schema.core.described import described_enum

MeetingStateEnum = described_enum(
    State,
    "Where a support meeting is.",
    {
        State.CONVENED: "Convened: subjects, minutes and decisions may be added.",
        State.CLOSED: "Closed: nothing more is added; participants see it until its sight ends.",
    },
    name="SupportMeetingState",
)
MeetingStandingEnum = described_enum(
    Standing,
    "Who the caller is to a support meeting.",
    {
        Standing.CONVENER: "A coordinator of the convening organisation.",
        Standing.ACKNOWLEDGED: "A participant who acknowledged the duty of confidentiality.",
        Standing.PENDING: "A member of an invited organisation who has not acknowledged yet: "
        "sees nothing of the meeting's subjects, minutes or decisions.",
        Standing.AUDITOR: "An auditor of the meeting's area: participants and reads, no content.",
        Standing.OUTSIDER: "Anyone else (never returned: the meeting is not found for them).",
    },
    name="SupportMeetingStanding",
)
