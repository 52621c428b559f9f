"""The meetings domain's input objects."""

import graphene


class ConveneSupportMeetingInput(graphene.InputObjectType):
    """A support meeting convened now by a coordinator for an area within its own."""

    title = graphene.String(required=True, description="What it is called (at most 200).")
    area_code = graphene.String(required=True, description="JIS X 0402 code of its area.")
    duration_minutes = graphene.Int(
        default_value=120, description="Planned length, 15 to 480 minutes."
    )


class NamedMemberInput(graphene.InputObjectType):
    """A member invited by name, with the organisation they take part for."""

    organisation_id = graphene.ID(required=True, description="Their organisation.")
    username = graphene.String(required=True, description="Their username.")


class InviteToSupportMeetingInput(graphene.InputObjectType):
    """Organisations and named members invited to a meeting (at least one; at most 50)."""

    meeting_id = graphene.ID(required=True, description="The meeting.")
    organisation_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="Organisations invited."
    )
    members = graphene.List(graphene.NonNull(NamedMemberInput), description="Members named.")


class SupportMeetingIdInput(graphene.InputObjectType):
    """The meeting an action is about."""

    meeting_id = graphene.ID(required=True, description="The meeting.")


class AddMeetingSubjectInput(graphene.InputObjectType):
    """A subject to discuss: the statute is the basis, no consent is needed."""

    meeting_id = graphene.ID(required=True, description="The meeting.")
    subject_id = graphene.ID(
        required=True, description="A subject living in the meeting's area (no consent needed)."
    )


class RecordMeetingMinutesInput(graphene.InputObjectType):
    """Minutes, sealed with each discussed subject's key."""

    meeting_id = graphene.ID(required=True, description="The meeting.")
    text = graphene.String(required=True, description="The minutes, at most 8000 characters.")


class RecordMeetingDecisionInput(graphene.InputObjectType):
    """A decision about one discussed subject, sealed with its key."""

    meeting_id = graphene.ID(required=True, description="The meeting.")
    subject_id = graphene.ID(required=True, description="A subject discussed there.")
    text = graphene.String(required=True, description="The decision, at most 8000 characters.")
