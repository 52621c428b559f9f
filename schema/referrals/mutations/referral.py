"""createReferral and transitionReferral."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.validation import enum_value
from referral_hub.referrals import handoff, services
from referral_hub.referrals.requests import NewReferral
from schema.core.permissions import require_actor
from schema.referrals.enums import ActionEnum, DeclineReasonEnum, OutcomeEnum
from schema.referrals.inputs import ReferralInput
from schema.referrals.mutations.base import ReferralMutation


class ReferralCreate(ReferralMutation):
    """Create a referral of a subject your organisation registered: sent at once, or kept as a
    DRAFT."""

    class Arguments:
        input = ReferralInput(required=True, description="The new referral.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        request = NewReferral(**{key: enum_value(value) for key, value in input.items()})
        return {"referral": services.referral_create(actor=require_actor(info), request=request)}


class ReferralTransition(ReferralMutation):
    """Move a referral one step (see the handoff table). `version` is the one you saw:
    if someone moved it since, the answer is CONFLICT and nothing changes."""

    class Arguments:
        id = graphene.ID(required=True, description="The referral's UUID.")
        action = ActionEnum(required=True, description="The step to take.")
        version = graphene.Int(required=True, description="The version you saw (Referral.version).")
        reason = DeclineReasonEnum(description="With DECLINE: why.")
        outcome = OutcomeEnum(description="With COMPLETE: how it ended.")
        note = graphene.String(
            description="A note for the other side, sealed with the subject's key."
        )
        suggested_service_id = graphene.ID(description="With DECLINE: another service.")

    @classmethod
    def perform(
        cls, info: graphene.ResolveInfo, id: str, action: Any, version: int, **extra: Any
    ) -> dict[str, Any]:
        def member(enum: Any, value: Any) -> Any:
            return None if value is None else enum(enum_value(value))

        row = services.referral_transition(
            actor=require_actor(info),
            referral_id=id,
            action=handoff.Action(enum_value(action)),
            version_seen=version,
            reason=member(handoff.DeclineReason, extra.get("reason")),
            outcome=member(handoff.Outcome, extra.get("outcome")),
            note=extra.get("note"),
            suggested_service_id=extra.get("suggested_service_id"),
        )
        return {"referral": row}
