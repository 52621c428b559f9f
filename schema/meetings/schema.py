"""The meetings domain's part of the root schema: support meetings (支援会議)."""

import graphene

from schema.meetings.mutations.meeting import (
    ConfidentialityAcknowledge,
    MeetingDecisionRecord,
    MeetingMinutesRecord,
    MeetingSubjectAdd,
    SupportMeetingClose,
    SupportMeetingConvene,
    SupportMeetingInvite,
)
from schema.meetings.queries import MeetingQueries


class MeetingMutations(graphene.ObjectType):
    convene_support_meeting = SupportMeetingConvene.Field()
    invite_to_support_meeting = SupportMeetingInvite.Field()
    acknowledge_confidentiality = ConfidentialityAcknowledge.Field()
    add_meeting_subject = MeetingSubjectAdd.Field()
    record_meeting_minutes = MeetingMinutesRecord.Field()
    record_meeting_decision = MeetingDecisionRecord.Field()
    close_support_meeting = SupportMeetingClose.Field()


__all__ = ("MeetingMutations", "MeetingQueries")
