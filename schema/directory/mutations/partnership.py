"""addPartnership, removePartnership: PARTNERS_WITH between two organisations (undirected)."""

from typing import Any

import graphene

from referral_hub.directory import selectors, services
from schema.core.permissions import require_actor
from schema.directory.mutations.base import DirectoryMutation
from schema.directory.types import Organisation


class PartnershipAdd(DirectoryMutation):
    """Record (or update) a partnership; `since` defaults to today."""

    class Arguments:
        organisation_id = graphene.ID(required=True, description="Your organisation's UUID.")
        partner_id = graphene.ID(required=True, description="The partner organisation's UUID.")
        since = graphene.Date(description="The day the partnership began (default today).")
        shares_data = graphene.Boolean(
            default_value=False,
            description="The partners agreed to share personal data under consent.",
        )

    organisation = graphene.Field(Organisation, description="Your organisation with its partners.")

    @classmethod
    def perform(
        cls,
        info: graphene.ResolveInfo,
        organisation_id: str,
        partner_id: str,
        since: Any = None,
        shares_data: bool = False,
    ) -> dict[str, Any]:
        services.partnership_add(
            actor=require_actor(info),
            organisation_id=organisation_id,
            partner_id=partner_id,
            since=since.isoformat() if since else None,
            shares_data=shares_data,
        )
        return {"organisation": selectors.organisation(organisation_id)}


class PartnershipRemove(DirectoryMutation):
    """End a partnership of your organisation."""

    class Arguments:
        organisation_id = graphene.ID(required=True, description="Your organisation's UUID.")
        partner_id = graphene.ID(required=True, description="The partner organisation's UUID.")

    removed = graphene.Boolean(description="True when there was a partnership to end.")

    @classmethod
    def perform(
        cls, info: graphene.ResolveInfo, organisation_id: str, partner_id: str
    ) -> dict[str, Any]:
        return {
            "removed": services.partnership_remove(
                actor=require_actor(info), organisation_id=organisation_id, partner_id=partner_id
            )
        }
