"""createReferral, transitionReferral and referral(id)."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.referrals import handoff, services
from referral_hub.referrals.rules import Urgency
from schema.core.errors import Error, ErrorCodeEnum
from schema.core.mutations import DomainMutation, camel_input
from schema.core.permissions import require_actor
from schema.subjects.schema import DataCategoryEnum

UrgencyEnum = graphene.Enum.from_enum(Urgency, description="How soon a reply is needed.")
StateEnum = graphene.Enum.from_enum(
    handoff.State, name="ReferralState", description="Where the handoff stands."
)
ActionEnum = graphene.Enum.from_enum(
    handoff.Action, name="HandoffAction", description="A step of the handoff."
)
DeclineReasonEnum = graphene.Enum.from_enum(handoff.DeclineReason)
OutcomeEnum = graphene.Enum.from_enum(handoff.Outcome, name="ReferralOutcome")


class ReferralError(graphene.ObjectType):
    class Meta:
        interfaces = (Error,)

    code = graphene.Field(ErrorCodeEnum, required=True)


class Party(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True)


class ServiceRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    mode = graphene.String(required=True)


class HandoffEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    at = graphene.DateTime(required=True)
    action = graphene.String(required=True)
    side = graphene.String(required=True)
    from_state = graphene.String()
    to_state = graphene.String(required=True)
    version = graphene.Int(required=True)
    actor = graphene.String()
    organisation_id = graphene.ID()
    reason = graphene.String()
    outcome = graphene.String()
    note = graphene.String()
    suggested_service_id = graphene.ID()


def _event(row: dict[str, Any]) -> HandoffEvent:
    return HandoffEvent(
        id=row["id"],
        at=row["at"],
        action=row["action"],
        side=row["side"],
        from_state=row.get("fromState"),
        to_state=row["toState"],
        version=row["version"],
        actor=row.get("actor"),
        organisation_id=row.get("organisationId"),
        reason=row.get("reason"),
        outcome=row.get("outcome"),
        note=row.get("note"),
        suggested_service_id=row.get("suggestedServiceId"),
    )


class Referral(graphene.ObjectType):
    id = graphene.ID(required=True)
    state = graphene.Field(StateEnum, required=True)
    version = graphene.Int(required=True, description="Name it when moving the referral.")
    urgency = graphene.Field(UrgencyEnum, required=True)
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    need_tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    summary = graphene.String(
        description="Decrypted for the sender, and for the receiver while the consent holds."
    )
    waitlisted = graphene.Boolean(required=True)
    reason = graphene.String()
    outcome = graphene.String()
    deadline = graphene.DateTime()
    subject_id = graphene.ID(required=True)
    subject_birth_year = graphene.Int(required=True)
    consent_id = graphene.ID()
    consent_state = graphene.String()
    sender = graphene.Field(Party, required=True)
    receiver = graphene.Field(Party, required=True)
    service = graphene.Field(ServiceRef, required=True)
    follows = graphene.ID(description="The declined referral this one follows.")
    followed_by = graphene.ID(description="The follow-on draft after a decline.")
    timeline = graphene.List(graphene.NonNull(HandoffEvent), required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)


def _referral(row: dict[str, Any]) -> Referral:
    return Referral(
        id=row["id"],
        state=row["state"],
        version=row["version"],
        urgency=row["urgency"],
        categories=row["categories"],
        need_tags=row["needTags"],
        summary=row["summary"],
        waitlisted=bool(row.get("waitlisted")),
        reason=row.get("reason"),
        outcome=row.get("outcome"),
        deadline=row.get("deadline"),
        subject_id=row["subjectId"],
        subject_birth_year=row["subjectBirthYear"],
        consent_id=row.get("consentId"),
        consent_state=row.get("consentState"),
        sender=Party(**row["from"]),
        receiver=Party(**row["to"]),
        service=ServiceRef(**row["service"]),
        follows=row.get("follows"),
        followed_by=row.get("followedBy"),
        timeline=[_event(e) for e in row["events"]],
        created_at=row["createdAt"],
        updated_at=row["updatedAt"],
    )


class ReferralInput(graphene.InputObjectType):
    subject_id = graphene.ID(required=True)
    service_id = graphene.ID(required=True)
    need_tags = graphene.List(graphene.NonNull(graphene.String))
    urgency = UrgencyEnum(default_value="ROUTINE")
    summary = graphene.String(description="Encrypted with the subject's key.")
    categories = graphene.List(
        graphene.NonNull(DataCategoryEnum), description="Data shared; the consent must cover each."
    )
    accept_waitlist = graphene.Boolean(default_value=False)
    send = graphene.Boolean(default_value=True, description="false keeps it as a DRAFT.")


class ReferralMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = ReferralError
    errors = graphene.List(graphene.NonNull(ReferralError), required=True)
    referral = graphene.Field(Referral)


class ReferralCreate(ReferralMutation):
    class Arguments:
        input = ReferralInput(required=True)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        data = camel_input(input)
        data["categories"] = [getattr(c, "value", c) for c in data.get("categories") or []] or None
        return {
            "referral": _referral(services.referral_create(actor=require_actor(info), data=data))
        }


class ReferralTransition(ReferralMutation):
    """Move a referral one step (see the handoff table). `version` is the one you saw:
    if someone moved it since, the answer is CONFLICT and nothing changes."""

    class Arguments:
        id = graphene.ID(required=True)
        action = ActionEnum(required=True)
        version = graphene.Int(required=True)
        reason = DeclineReasonEnum()
        outcome = OutcomeEnum()
        note = graphene.String()
        suggested_service_id = graphene.ID(description="With DECLINE: another service.")

    @classmethod
    def perform(
        cls, info: graphene.ResolveInfo, id: str, action: Any, version: int, **extra: Any
    ) -> dict[str, Any]:
        def member(enum: Any, value: Any) -> Any:
            return None if value is None else enum(getattr(value, "value", value))

        row = services.referral_transition(
            actor=require_actor(info),
            referral_id=id,
            action=handoff.Action(getattr(action, "value", action)),
            version_seen=version,
            reason=member(handoff.DeclineReason, extra.get("reason")),
            outcome=member(handoff.Outcome, extra.get("outcome")),
            note=extra.get("note"),
            suggested_service_id=extra.get("suggested_service_id"),
        )
        return {"referral": _referral(row)}


class ReferralQueries(graphene.ObjectType):
    referral = graphene.Field(
        Referral,
        id=graphene.ID(required=True),
        description="For its sender and receiver; the read is audited.",
    )

    @staticmethod
    def resolve_referral(root: Any, info: graphene.ResolveInfo, id: str) -> Referral | None:
        from referral_hub.core.errors import ValidationFailed

        try:
            return _referral(services.referral_read(actor=require_actor(info), referral_id=id))
        except ValidationFailed:
            return None


class ReferralMutations(graphene.ObjectType):
    create_referral = ReferralCreate.Field()
    transition_referral = ReferralTransition.Field()
