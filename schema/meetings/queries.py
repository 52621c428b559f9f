"""supportMeeting(id) and supportMeetings."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.meetings import services
from schema.core.permissions import require_actor
from schema.meetings.types import SupportMeeting


class MeetingQueries(graphene.ObjectType):
    support_meeting = graphene.Field(
        SupportMeeting,
        id=graphene.ID(required=True, description="The meeting's UUID."),
        description="One support meeting as the caller may see it (null: not found for them). "
        "One statement; the read is audited (SUPPORT_MEETING_READ).",
    )
    support_meetings = graphene.List(
        graphene.NonNull(SupportMeeting),
        required=True,
        description="The caller's meetings, newest first: convened (coordinator), invited to "
        "(participant), or in its area (auditor, with participants and reads). Never content.",
    )

    @staticmethod
    def resolve_support_meeting(
        root: Any, info: graphene.ResolveInfo, id: str
    ) -> dict[str, Any] | None:
        return services.meeting_read(actor=require_actor(info), meeting_id=id)

    @staticmethod
    def resolve_support_meetings(root: Any, info: graphene.ResolveInfo) -> list[dict[str, Any]]:
        return services.meeting_list(actor=require_actor(info))
