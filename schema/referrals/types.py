"""Referral object types. Each resolves the rows the referral services return as they are:
the statements project snake_case keys named as these fields are."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.errors import PublicError
from referral_hub.pathways import recommend as recommending
from referral_hub.pathways.scoring import RECOMMEND_LIMIT_MAX, RECOMMEND_TAGS_MAX
from referral_hub.referrals import handoff
from referral_hub.referrals.check_ins import NOTIFIES_SENDER
from schema.core.errors import domain_error
from schema.core.node import Node
from schema.core.pagination import CountedConnection
from schema.core.permissions import require_actor
from schema.directory.enums import OrganisationKindEnum
from schema.directory.types import ServiceRef
from schema.pathways.recommend import Recommendation, recommendations_from
from schema.referrals.check_in_types import CheckIn
from schema.referrals.enums import (
    LegalBasisEnum,
    ReferralPurposeEnum,
    StateEnum,
    TimelineActionEnum,
    UrgencyEnum,
)
from schema.subjects.types import SubjectPreference

ReferralError = domain_error("ReferralError", "referrals")


class Party(graphene.ObjectType):
    """An organisation at one end of a referral."""

    id = graphene.ID(required=True, description="The organisation's UUID.")
    name = graphene.String(required=True, description="Official name.")
    kind = graphene.Field(OrganisationKindEnum, required=True, description="Kind of organisation.")
    area_code = graphene.String(description="On a single referral's page.")


class HandoffEvent(graphene.ObjectType):
    """One entry of a referral's timeline: a step, its side and who took it."""

    id = graphene.ID(required=True, description="The event's UUID.")
    at = graphene.DateTime(required=True, description="When it happened.")
    action = graphene.Field(TimelineActionEnum, required=True, description="What happened.")
    side = graphene.String(
        required=True, description="SENDER, RECEIVER or SYSTEM (reminders, consent withdrawal)."
    )
    from_state = graphene.String(description="The state before (null for CREATE).")
    to_state = graphene.String(required=True, description="The state after.")
    version = graphene.Int(required=True, description="The referral's version after the step.")
    actor = graphene.String(description="The username that took the step (null for SYSTEM).")
    organisation_id = graphene.ID(description="The organisation the actor acted for.")
    reason = graphene.String(description="A DECLINE's reason.")
    outcome = graphene.String(description="A COMPLETE's outcome.")
    note = graphene.String(
        description="Sealed with the subject's key: null where the reader has no basis now."
    )
    suggested_service_id = graphene.ID(
        description="With DECLINE: the service the receiver suggested instead."
    )


class OpportunityRef(graphene.ObjectType):
    """The role an OFFER_ROLE referral offers: enough to name and link it."""

    id = graphene.ID(required=True, description="The opportunity's UUID (see opportunity).")
    title = graphene.String(required=True, description="What the person would do.")


class Referral(graphene.ObjectType):
    """A handoff of a person (the subject) from one organisation to another's service, under
    consent or a statute."""

    class Meta:
        interfaces = (Node,)

    id = graphene.ID(required=True, description="UUID made by the application.")
    state = graphene.Field(StateEnum, required=True, description="Where the handoff stands.")
    version = graphene.Int(required=True, description="Name it when moving the referral.")
    urgency = graphene.Field(UrgencyEnum, required=True, description="How soon a reply is needed.")
    categories = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The data categories shared (DataCategory values).",
    )
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
    subject_preference = graphene.Field(
        SubjectPreference,
        description="The subject's own active preference (how to contact them, what not to "
        "mention), where the reader has a basis to see the subject now: so it respects it.",
    )
    waitlisted = graphene.Boolean(
        required=True, description="Accepted onto the service's waiting list."
    )
    reason = graphene.String(description="Why it was declined (a DeclineReason value).")
    outcome = graphene.String(description="How it ended (a ReferralOutcome value).")
    deadline = graphene.DateTime(description="When the receiver should have acknowledged it.")
    subject_id = graphene.ID(required=True, description="The subject's pseudonymous id.")
    subject_birth_year = graphene.Int(description="Null where the reader has no basis now.")
    legal_basis = graphene.Field(
        LegalBasisEnum, required=True, description="What sharing rests on."
    )
    review_state = graphene.String(description="Statutory referrals: PENDING until reviewed.")
    consent_id = graphene.ID(description="The consent it rests on (with a CONSENT basis).")
    consent_state = graphene.String(
        description="That consent's state: ACTIVE, SUPERSEDED, WITHDRAWN or EXPIRED."
    )
    sender = graphene.Field(Party, required=True, description="The sending organisation.")
    receiver = graphene.Field(Party, required=True, description="The receiving organisation.")
    service = graphene.Field(ServiceRef, required=True, description="The service it is to.")
    purpose = graphene.Field(
        ReferralPurposeEnum, required=True, description="Support, or a role offered."
    )
    opportunity = graphene.Field(
        OpportunityRef, description="With OFFER_ROLE: the role offered (even once archived)."
    )
    follows = graphene.ID(description="The declined referral this one follows.")
    followed_by = graphene.ID(description="The follow-on draft after a decline.")
    timeline = graphene.List(
        graphene.NonNull(HandoffEvent), required=True, description="Every step, oldest first."
    )
    created_at = graphene.DateTime(required=True, description="When it was created.")
    updated_at = graphene.DateTime(required=True, description="When it last moved.")
    check_ins = graphene.List(
        graphene.NonNull(CheckIn),
        required=True,
        description="After a connecting completion: its check-ins (30 and 90 days, or the "
        "service's checkInDays), oldest first; empty otherwise.",
    )
    next_best = graphene.List(
        graphene.NonNull(Recommendation),
        required=True,
        limit=graphene.Int(default_value=3, description="1 to 50."),
        description="No wrong door: once DECLINED, or once a check-in found the person "
        "STOPPED, the best services in the sender's area for the same needs that have not "
        "declined this subject (see `recommend`). Empty otherwise and for the receiver.",
    )

    @staticmethod
    def resolve_next_best(
        root: dict[str, Any], info: graphene.ResolveInfo, limit: int
    ) -> list[Any]:
        actor = require_actor(info)
        sender = root["sender"]
        if not _needs_next_place(root) or not actor.acts_for(sender["id"]):
            return []
        if not root["need_tags"] or sender.get("area_code") is None:
            return []
        # After a STOPPED check-in the place they stopped going to is not the next best.
        left = root["service"]["id"] if root["state"] == handoff.State.COMPLETED.value else None
        try:
            found = recommending.recommend(
                actor=actor,
                from_organisation=sender["id"],
                need_tags=root["need_tags"][:RECOMMEND_TAGS_MAX],
                area=sender["area_code"],
                for_subject=root["subject_id"],
                limit=limit if left is None else min(limit + 1, RECOMMEND_LIMIT_MAX),
            )
        except PublicError:
            # A suggestion must not take the referral's page down with it (a bad `limit`,
            # an area since retired): the page shows the referral without one.
            return []
        items = recommendations_from(found).items
        return [item for item in items if item.service.id != left][:limit]


def _needs_next_place(root: dict[str, Any]) -> bool:
    """Declined, or a connection a check-in found broken (check_ins.NOTIFIES_SENDER)."""
    return root["state"] == handoff.State.DECLINED.value or any(
        item.get("answer") in NOTIFIES_SENDER for item in root.get("check_ins") or []
    )


class ReferralListItem(graphene.ObjectType):
    """A row of an inbox or outbox: enough to triage without opening the referral."""

    id = graphene.ID(required=True, description="The referral's UUID (see referral).")
    state = graphene.Field(StateEnum, required=True, description="Where the handoff stands.")
    version = graphene.Int(required=True, description="Name it when moving the referral.")
    urgency = graphene.Field(UrgencyEnum, required=True, description="How soon a reply is needed.")
    deadline = graphene.DateTime(description="When the receiver should have acknowledged it.")
    overdue = graphene.Boolean(required=True, description="SENT or RECEIVED past its deadline.")
    waitlisted = graphene.Boolean(
        required=True, description="Accepted onto the service's waiting list."
    )
    legal_basis = graphene.Field(
        LegalBasisEnum, required=True, description="What sharing rests on."
    )
    purpose = graphene.Field(
        ReferralPurposeEnum, required=True, description="Support, or a role offered."
    )
    subject_id = graphene.ID(required=True, description="The subject's pseudonymous id.")
    subject_initials = graphene.String(
        description="Null where the reader has no basis to see the name now, or it is erased."
    )
    sender = graphene.Field(Party, required=True, description="The sending organisation.")
    receiver = graphene.Field(Party, required=True, description="The receiving organisation.")
    service = graphene.Field(ServiceRef, required=True, description="The service it is to.")
    last_event = graphene.Field(HandoffEvent, description="The latest step of its timeline.")
    created_at = graphene.DateTime(required=True, description="When it was created.")
    updated_at = graphene.DateTime(required=True, description="When it last moved.")


class ReferralListItemConnection(CountedConnection):
    """A page of an inbox or outbox."""

    class Meta:
        node = ReferralListItem


class StatutoryReview(graphene.ObjectType):
    """A referral made on a statutory basis, for an auditor to review."""

    id = graphene.ID(required=True, description="The referral's UUID.")
    state = graphene.Field(StateEnum, required=True, description="Where the handoff stands.")
    legal_basis = graphene.Field(LegalBasisEnum, required=True, description="The statute cited.")
    justification = graphene.String(description="Null if the subject's key was erased.")
    subject_id = graphene.ID(required=True, description="The subject's pseudonymous id.")
    sender = graphene.Field(Party, required=True, description="The sending organisation.")
    receiver = graphene.Field(Party, required=True, description="The receiving organisation.")
    service = graphene.Field(ServiceRef, required=True, description="The service it is to.")
    review_state = graphene.String(
        required=True, description="PENDING, APPROPRIATE or INAPPROPRIATE."
    )
    reviewed_at = graphene.DateTime(description="When the auditor reviewed it.")
    reviewed_by = graphene.String(description="The reviewing auditor's username.")
    review_note = graphene.String(description="The auditor's note (needed with INAPPROPRIATE).")
    created_at = graphene.DateTime(required=True, description="When the referral was created.")


class StatutoryReviewConnection(CountedConnection):
    """A page of the statutory review queue."""

    class Meta:
        node = StatutoryReview
