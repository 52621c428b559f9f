"""conveneSupportMeeting, inviteToSupportMeeting, acknowledgeConfidentiality,
addMeetingSubject, recordMeetingMinutes, recordMeetingDecision, closeSupportMeeting."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.meetings import services
from schema.core.permissions import require_actor
from schema.meetings.inputs import (
    AddMeetingSubjectInput,
    ConveneSupportMeetingInput,
    InviteToSupportMeetingInput,
    RecordMeetingDecisionInput,
    RecordMeetingMinutesInput,
    SupportMeetingIdInput,
)
from schema.meetings.mutations.base import MeetingMutation
from schema.meetings.types import SupportMeeting

_MEETING = graphene.Field(SupportMeeting, description="The meeting as the caller now sees it.")


class SupportMeetingConvene(MeetingMutation):
    """Convene a support meeting (COORDINATOR, for an area within its own)."""

    class Arguments:
        input = ConveneSupportMeetingInput(required=True, description="The meeting.")

    meeting = _MEETING

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        data = {key: value for key, value in input.items()}
        return {"meeting": services.meeting_convene(actor=require_actor(info), data=data)}


class SupportMeetingInvite(MeetingMutation):
    """Invite organisations and named members (the convener)."""

    class Arguments:
        input = InviteToSupportMeetingInput(required=True, description="Who is invited.")

    meeting = _MEETING

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        meeting = services.meeting_invite(
            actor=require_actor(info),
            meeting_id=input["meeting_id"],
            organisation_ids=input.get("organisation_ids"),
            members=[dict(m) for m in input.get("members") or []],
        )
        return {"meeting": meeting}


class ConfidentialityAcknowledge(MeetingMutation):
    """Acknowledge the statutory duty of confidentiality (社会福祉法 第106条の6 第6項) as a
    member of an invited organisation: until then nothing of the meeting's content shows."""

    class Arguments:
        input = SupportMeetingIdInput(required=True, description="The meeting.")

    meeting = _MEETING

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        actor = require_actor(info)
        return {
            "meeting": services.meeting_acknowledge(actor=actor, meeting_id=input["meeting_id"])
        }


class MeetingSubjectAdd(MeetingMutation):
    """Add a subject to discuss (the convener; the statute is the basis, no consent)."""

    class Arguments:
        input = AddMeetingSubjectInput(required=True, description="The subject.")

    meeting = _MEETING

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        meeting = services.meeting_add_subject(
            actor=require_actor(info),
            meeting_id=input["meeting_id"],
            subject_id=input["subject_id"],
        )
        return {"meeting": meeting}


class MeetingMinutesRecord(MeetingMutation):
    """Record minutes, sealed with each discussed subject's key (the convener)."""

    class Arguments:
        input = RecordMeetingMinutesInput(required=True, description="The minutes.")

    meeting = _MEETING

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        meeting = services.meeting_record_minutes(
            actor=require_actor(info), meeting_id=input["meeting_id"], text=input.get("text")
        )
        return {"meeting": meeting}


class MeetingDecisionRecord(MeetingMutation):
    """Record a decision about a discussed subject (the convener)."""

    class Arguments:
        input = RecordMeetingDecisionInput(required=True, description="The decision.")

    meeting = _MEETING

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        meeting = services.meeting_record_decision(
            actor=require_actor(info),
            meeting_id=input["meeting_id"],
            subject_id=input["subject_id"],
            text=input.get("text"),
        )
        return {"meeting": meeting}


class SupportMeetingClose(MeetingMutation):
    """Close the meeting (the convener): the sight window runs from now."""

    class Arguments:
        input = SupportMeetingIdInput(required=True, description="The meeting.")

    meeting = _MEETING

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        actor = require_actor(info)
        return {"meeting": services.meeting_close(actor=actor, meeting_id=input["meeting_id"])}
