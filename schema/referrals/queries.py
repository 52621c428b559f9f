"""referral(id), referralAsFhir, inbox, outbox and the statutory review queue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import graphene

from referral_hub.core.errors import ValidationFailed
from referral_hub.core.validation import enum_value
from referral_hub.referrals import lists, services
from schema.core.node import NodeKind, one_by_one
from schema.core.pagination import connection_from, counted, page_request
from schema.core.permissions import require_actor
from schema.referrals.enums import StateEnum, UrgencyEnum
from schema.referrals.types import (
    Referral,
    ReferralListItemConnection,
    StatutoryReviewConnection,
)


def _box_field(description: str) -> graphene.Field:
    return graphene.Field(
        graphene.NonNull(ReferralListItemConnection),
        state=StateEnum(description="Only referrals in this state."),
        urgency=UrgencyEnum(description="Only referrals of this urgency."),
        overdue=graphene.Boolean(description="Only those past (true) or within (false) deadline."),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description=description,
    )


def _box(info: graphene.ResolveInfo, box: lists.Box, **arguments: Any) -> Any:
    request = page_request(arguments.get("first"), arguments.get("after"), sort="CREATED")
    actor = require_actor(info)
    filters = {
        "state": enum_value(arguments.get("state")),
        "urgency": enum_value(arguments.get("urgency")),
        "overdue": arguments.get("overdue"),
    }
    page = lists.referral_box(actor=actor, box=box, page=request, **filters)
    return counted(
        connection_from(ReferralListItemConnection, page, request=request, sort="CREATED"),
        lambda: lists.referral_box_count(actor=actor, box=box, **filters),
    )


class ReferralQueries(graphene.ObjectType):
    referral = graphene.Field(
        Referral,
        id=graphene.ID(required=True, description="The referral's UUID."),
        description="For its sender and receiver; the read is audited.",
    )
    referral_as_fhir = graphene.JSONString(
        id=graphene.ID(required=True, description="The referral's UUID."),
        description="The referral as an HL7 FHIR R4 Bundle (ServiceRequest, Task, Consent), "
        "validated before it is sent; null if there is no such referral for you. Audited.",
    )
    inbox = _box_field(
        "Referrals to your organisation's services, newest first; drafts are the sender's. "
        "One round trip per page, subject initials only where you may see them, audited."
    )
    outbox = _box_field("Referrals your organisation sent (and its drafts), newest first.")
    statutory_review_queue = graphene.Field(
        graphene.NonNull(StatutoryReviewConnection),
        reviewed=graphene.Boolean(description="false: still PENDING; true: reviewed."),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description="Referrals made on a statutory basis in your areas, with justifications.",
    )

    @staticmethod
    def resolve_referral_as_fhir(root: Any, info: graphene.ResolveInfo, id: str) -> Any:
        try:
            return services.referral_as_fhir(actor=require_actor(info), referral_id=id)
        except ValidationFailed:
            return None

    @staticmethod
    def resolve_inbox(root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        return _box(info, lists.Box.INBOX, **arguments)

    @staticmethod
    def resolve_outbox(root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        return _box(info, lists.Box.OUTBOX, **arguments)

    @staticmethod
    def resolve_statutory_review_queue(
        root: Any, info: graphene.ResolveInfo, **arguments: Any
    ) -> Any:
        request = page_request(arguments.get("first"), arguments.get("after"), sort="CREATED")
        actor, reviewed = require_actor(info), arguments.get("reviewed")
        page = lists.review_queue(actor=actor, page=request, reviewed=reviewed)
        return counted(
            connection_from(StatutoryReviewConnection, page, request=request, sort="CREATED"),
            lambda: lists.review_queue_count(actor=actor, reviewed=reviewed),
        )

    @staticmethod
    def resolve_referral(
        root: Any, info: graphene.ResolveInfo, id: str
    ) -> Mapping[str, Any] | None:
        try:
            return services.referral_read(actor=require_actor(info), referral_id=id)
        except ValidationFailed:
            return None


# A referral as node(id) reads it: through referral(id)'s own resolver, one audited read each.
NODE_KINDS = (
    NodeKind(
        "Referral",
        "referral",
        one_by_one(lambda info, key: ReferralQueries.resolve_referral(None, info, key)),
    ),
)
