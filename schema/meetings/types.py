"""Support meetings (支援会議) as the API shows them: content only to the convener and to
participants who acknowledged confidentiality, within the meeting's sight window."""

from __future__ import annotations

import graphene

from schema.core.errors import domain_error
from schema.meetings.enums import MeetingStandingEnum, MeetingStateEnum

SupportMeetingError = domain_error("SupportMeetingError", "support meetings")


class MeetingMember(graphene.ObjectType):
    """A named member or a person who acknowledged the duty of confidentiality."""

    username = graphene.String(required=True, description="The member's username.")
    named = graphene.Boolean(
        required=True,
        description="Invited by name (else came through their organisation's invitation).",
    )
    acknowledged_at = graphene.DateTime(
        description="When they acknowledged the confidentiality duty (null: not yet)."
    )


class MeetingParticipant(graphene.ObjectType):
    """An invited organisation and its members who were named or acknowledged."""

    id = graphene.ID(required=True, description="The organisation's UUID.")
    name = graphene.String(required=True, description="The organisation's name.")
    kind = graphene.String(required=True, description="Its kind (OrganisationKind).")
    members = graphene.List(
        graphene.NonNull(MeetingMember),
        required=True,
        description="Named or acknowledging members.",
    )


class MeetingRead(graphene.ObjectType):
    """One audited read of the meeting (SUPPORT_MEETING_READ): who, when, which subjects."""

    actor = graphene.String(required=True, description="The reader's username.")
    organisation_id = graphene.ID(description="The reader's organisation.")
    at = graphene.String(required=True, description="When (UTC, ISO 8601, as the audit log).")
    subjects = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="Subjects the read showed."
    )


class MeetingSubject(graphene.ObjectType):
    """A subject discussed (by pseudonymous id; the statute is the basis, not consent)."""

    id = graphene.ID(required=True, description="The subject's pseudonymous id.")
    birth_year = graphene.Int(description="Year of birth.")
    area_code = graphene.String(description="Where the subject lives (JIS X 0402).")
    erased = graphene.Boolean(required=True, description="The subject's key was destroyed.")
    added_at = graphene.DateTime(required=True, description="When it was added.")


class MeetingMinutes(graphene.ObjectType):
    """Minutes, stored once per discussed subject, sealed with each subject's key."""

    id = graphene.ID(required=True, description="The minutes record's UUID.")
    at = graphene.DateTime(required=True, description="When they were recorded.")
    recorded_by = graphene.String(required=True, description="Who recorded them.")
    text = graphene.String(required=True, description="The minutes.")
    subject_ids = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="Subjects they are sealed for."
    )


class MeetingDecision(graphene.ObjectType):
    """A decision about one subject; a statutory referral may cite the meeting for it."""

    id = graphene.ID(required=True, description="The decision's UUID.")
    at = graphene.DateTime(required=True, description="When it was recorded.")
    recorded_by = graphene.String(required=True, description="Who recorded it.")
    subject_id = graphene.ID(required=True, description="The subject it is about.")
    text = graphene.String(
        required=True, description="The decision (sealed with the subject's key)."
    )
    referral_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="Statutory referrals of this subject that cite the meeting.",
    )


class ConvenerOrganisation(graphene.ObjectType):
    """The organisation that convened the meeting (a municipality's)."""

    id = graphene.ID(required=True, description="The convening organisation's UUID.")
    name = graphene.String(required=True, description="Its name.")


class SupportMeeting(graphene.ObjectType):
    """A support meeting (支援会議, 社会福祉法 第106条の6). `subjects`, `minutes` and
    `decisions` are null unless the caller is its convener or a participant who
    acknowledged confidentiality, and only until `sightUntil`."""

    id = graphene.ID(required=True, description="The meeting's UUID.")
    title = graphene.String(required=True, description="What it is called.")
    state = MeetingStateEnum(required=True, description="CONVENED or CLOSED.")
    area_code = graphene.String(required=True, description="The area it is convened for.")
    convened_at = graphene.DateTime(required=True, description="When it was convened.")
    duration_minutes = graphene.Int(required=True, description="How long it was planned for.")
    closed_at = graphene.DateTime(description="When it was closed.")
    convened_by = graphene.String(required=True, description="The convening coordinator.")
    convener = graphene.Field(ConvenerOrganisation, required=True, description="Its organisation.")
    sight_until = graphene.DateTime(
        required=True,
        description="Participants see its subjects until then: its end plus "
        "HUB_MEETING_SIGHT_DAYS days.",
    )
    standing = MeetingStandingEnum(required=True, description="Who the caller is to it.")
    acknowledged = graphene.Boolean(
        required=True, description="The caller acknowledged the confidentiality duty."
    )
    participants = graphene.List(
        graphene.NonNull(MeetingParticipant),
        description="Invited organisations and their members (null for a participant who has "
        "not acknowledged).",
    )
    reads = graphene.List(
        graphene.NonNull(MeetingRead), description="Every audited read (auditors only)."
    )
    subjects = graphene.List(graphene.NonNull(MeetingSubject), description="Subjects discussed.")
    minutes = graphene.List(graphene.NonNull(MeetingMinutes), description="Minutes.")
    decisions = graphene.List(graphene.NonNull(MeetingDecision), description="Decisions.")

    @staticmethod
    def resolve_acknowledged(parent: dict, info: graphene.ResolveInfo) -> bool:
        return parent.get("my_acknowledged_at") is not None
