"""Referral object types. Each resolves the rows the referral services return as they are:
the statements project snake_case keys named as these fields are."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.errors import PublicError
from referral_hub.pathways import recommend as recommending
from referral_hub.pathways.scoring import RECOMMEND_TAGS_MAX
from referral_hub.referrals import handoff
from schema.core.errors import domain_error
from schema.core.permissions import require_actor
from schema.pathways.recommend import Recommendation, recommendations_from
from schema.referrals.enums import (
    LegalBasisEnum,
    StateEnum,
    TimelineActionEnum,
    UrgencyEnum,
)

ReferralError = domain_error("ReferralError", "referrals")


class Party(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    area_code = graphene.String(description="On a single referral's page.")


class ServiceRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    mode = graphene.String(required=True)


class HandoffEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    at = graphene.DateTime(required=True)
    action = graphene.Field(TimelineActionEnum, required=True)
    side = graphene.String(required=True)
    from_state = graphene.String()
    to_state = graphene.String(required=True)
    version = graphene.Int(required=True)
    actor = graphene.String()
    organisation_id = graphene.ID()
    reason = graphene.String()
    outcome = graphene.String()
    note = graphene.String(
        description="Sealed with the subject's key: null where the reader has no basis now."
    )
    suggested_service_id = graphene.ID()


class Referral(graphene.ObjectType):
    id = graphene.ID(required=True)
    state = graphene.Field(StateEnum, required=True)
    version = graphene.Int(required=True, description="Name it when moving the referral.")
    urgency = graphene.Field(UrgencyEnum, required=True)
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    need_tags = graphene.List(
        graphene.NonNull(graphene.String),
        description="The needs (要配慮個人情報): null where the reader has no basis now.",
    )
    consent_gap = graphene.List(
        graphene.NonNull(graphene.String),
        description="A DRAFT under consent that cannot be sent yet: RECEIVER (no consent "
        "covers the receiving organisation) or the categories none covers; null otherwise.",
    )
    summary = graphene.String(
        description="Decrypted for the sender, and for the receiver while the consent holds."
    )
    waitlisted = graphene.Boolean(required=True)
    reason = graphene.String()
    outcome = graphene.String()
    deadline = graphene.DateTime()
    subject_id = graphene.ID(required=True)
    subject_birth_year = graphene.Int(description="Null where the reader has no basis now.")
    legal_basis = graphene.Field(LegalBasisEnum, required=True)
    review_state = graphene.String(description="Statutory referrals: PENDING until reviewed.")
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
    next_best = graphene.List(
        graphene.NonNull(Recommendation),
        required=True,
        limit=graphene.Int(default_value=3, description="1 to 50."),
        description="No wrong door: once DECLINED, the best services in the sender's area "
        "for the same needs that have not declined this subject (see `recommend`). Empty "
        "before a decline and for the receiver.",
    )

    @staticmethod
    def resolve_next_best(
        root: dict[str, Any], info: graphene.ResolveInfo, limit: int
    ) -> list[Any]:
        actor = require_actor(info)
        sender = root["sender"]
        if root["state"] != handoff.State.DECLINED.value or not actor.acts_for(sender["id"]):
            return []
        if not root["need_tags"] or sender.get("area_code") is None:
            return []
        try:
            found = recommending.recommend(
                actor=actor,
                from_organisation=sender["id"],
                need_tags=root["need_tags"][:RECOMMEND_TAGS_MAX],
                area=sender["area_code"],
                for_subject=root["subject_id"],
                limit=limit,
            )
        except PublicError:
            # A suggestion must not take the referral's page down with it (a bad `limit`,
            # an area since retired): the page shows the referral without one.
            return []
        return recommendations_from(found).items


class ReferralListItem(graphene.ObjectType):
    """A row of an inbox or outbox: enough to triage without opening the referral."""

    id = graphene.ID(required=True)
    state = graphene.Field(StateEnum, required=True)
    version = graphene.Int(required=True)
    urgency = graphene.Field(UrgencyEnum, required=True)
    deadline = graphene.DateTime()
    overdue = graphene.Boolean(required=True, description="SENT or RECEIVED past its deadline.")
    waitlisted = graphene.Boolean(required=True)
    legal_basis = graphene.Field(LegalBasisEnum, required=True)
    subject_id = graphene.ID(required=True)
    subject_initials = graphene.String(
        description="Null where the reader has no basis to see the name now, or it is erased."
    )
    sender = graphene.Field(Party, required=True)
    receiver = graphene.Field(Party, required=True)
    service = graphene.Field(ServiceRef, required=True)
    last_event = graphene.Field(HandoffEvent)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)


class ReferralListItemConnection(graphene.relay.Connection):
    class Meta:
        node = ReferralListItem


class StatutoryReview(graphene.ObjectType):
    """A referral made on a statutory basis, for an auditor to review."""

    id = graphene.ID(required=True)
    state = graphene.Field(StateEnum, required=True)
    legal_basis = graphene.Field(LegalBasisEnum, required=True)
    justification = graphene.String(description="Null if the subject's key was erased.")
    subject_id = graphene.ID(required=True)
    sender = graphene.Field(Party, required=True)
    receiver = graphene.Field(Party, required=True)
    service = graphene.Field(ServiceRef, required=True)
    review_state = graphene.String(required=True)
    reviewed_at = graphene.DateTime()
    reviewed_by = graphene.String()
    review_note = graphene.String()
    created_at = graphene.DateTime(required=True)


class StatutoryReviewConnection(graphene.relay.Connection):
    class Meta:
        node = StatutoryReview
