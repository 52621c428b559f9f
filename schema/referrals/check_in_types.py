"""A referral's check-ins (issue 20) as its readers see them: Referral.checkIns."""

from __future__ import annotations

import graphene

from referral_hub.referrals.check_ins import Answer, CheckInState
from schema.core.described import described_enum

CheckInAnswerEnum = described_enum(
    Answer,
    "What a check-in found.",
    {
        Answer.STILL_ATTENDING: "The person still goes (つながっている).",
        Answer.STOPPED: "The person stopped going; the sender is told and offered the next "
        "best place.",
        Answer.MOVED_ON: "The person no longer needs the place (moved, went on elsewhere).",
        Answer.COULD_NOT_REACH: "The service could not reach the person.",
    },
    name="CheckInAnswer",
)
CheckInStateEnum = described_enum(
    CheckInState,
    "Whether a check-in has been answered.",
    {
        CheckInState.DUE: "Scheduled; unanswered.",
        CheckInState.ANSWERED: "Answered by the receiving organisation.",
    },
)


class CheckIn(graphene.ObjectType):
    """A follow-up of a connection: is the person still attending, so many days on?"""

    id = graphene.ID(required=True, description="The check-in's UUID.")
    index = graphene.Int(required=True, description="Its place among the referral's, from 0.")
    days = graphene.Int(required=True, description="Days after completion it is for.")
    state = graphene.Field(CheckInStateEnum, required=True, description="DUE or ANSWERED.")
    answer = graphene.Field(CheckInAnswerEnum, description="The answer, once recorded.")
    due_at = graphene.DateTime(
        required=True, description="9:00 Japanese time on its due working day (the reminder)."
    )
    escalate_at = graphene.DateTime(
        required=True, description="When an unanswered check-in escalates (working days)."
    )
    answered_at = graphene.DateTime(description="When it was answered.")
    answered_by = graphene.String(description="The username that answered it.")
    reminded_at = graphene.DateTime(description="When its reminder went out.")
    escalated_at = graphene.DateTime(description="When its escalation went out.")
    note = graphene.String(
        description="Sealed with the subject's key: null where the reader has no basis now."
    )
