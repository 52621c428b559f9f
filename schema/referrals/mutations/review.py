"""reviewStatutoryReferral: an auditor's finding."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.validation import enum_value
from referral_hub.referrals import lists
from schema.core.errors import errors_field
from schema.core.mutations import DomainMutation
from schema.core.permissions import require_actor
from schema.referrals.enums import ReviewFindingEnum
from schema.referrals.types import ReferralError


class ReviewStatutoryReferral(DomainMutation):
    """An auditor's finding on a statutory referral; INAPPROPRIATE needs a note."""

    class Arguments:
        id = graphene.ID(required=True, description="The referral's UUID.")
        finding = ReviewFindingEnum(required=True, description="The auditor's finding.")
        note = graphene.String(description="Why (needed with INAPPROPRIATE).")

    error_type = ReferralError
    errors = errors_field(ReferralError)
    id = graphene.ID(description="The referral reviewed.")
    review_state = graphene.String(description="Its review state after the finding.")

    @classmethod
    def perform(
        cls, info: graphene.ResolveInfo, id: str, finding: Any, note: str | None = None
    ) -> dict[str, Any]:
        return lists.review_record(
            actor=require_actor(info),
            referral_id=id,
            finding=lists.ReviewFinding(enum_value(finding)),
            note=note,
        )
