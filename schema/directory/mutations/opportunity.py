"""createOpportunity, updateOpportunity, archiveOpportunity (issue 19)."""

from typing import Any

import graphene

from referral_hub.directory import opportunity_services
from schema.core.mutations import input_values
from schema.core.permissions import require_actor
from schema.directory.inputs import (
    OpportunityArchiveInput,
    OpportunityCreateInput,
    OpportunityUpdateInput,
)
from schema.directory.mutations.base import DirectoryMutation
from schema.directory.types import Opportunity


class OpportunityCreate(DirectoryMutation):
    """Publish a role your organisation offers a person, taken up through one of its
    services."""

    class Arguments:
        input = OpportunityCreateInput(required=True, description="The new opportunity.")

    opportunity = graphene.Field(Opportunity, description="The opportunity published.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        created = opportunity_services.opportunity_create(
            actor=require_actor(info), data=input_values(input)
        )
        return {"opportunity": created}


class OpportunityUpdate(DirectoryMutation):
    """Change the given fields of your organisation's opportunity; absent fields keep their
    value, interestTags replaces the set, locationId null removes the location."""

    class Arguments:
        input = OpportunityUpdateInput(required=True, description="The id and fields to change.")

    opportunity = graphene.Field(Opportunity, description="The opportunity changed.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        data = input_values(input)
        opportunity_id = data.pop("id")
        changed = opportunity_services.opportunity_update(
            actor=require_actor(info), opportunity_id=opportunity_id, data=data
        )
        return {"opportunity": changed}


class OpportunityArchive(DirectoryMutation):
    """Take your organisation's opportunity out of lists and recommendations; referrals
    that offered it keep it."""

    class Arguments:
        input = OpportunityArchiveInput(required=True, description="The opportunity.")

    opportunity = graphene.Field(Opportunity, description="The opportunity archived.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        archived = opportunity_services.opportunity_archive(
            actor=require_actor(info), opportunity_id=input["id"]
        )
        return {"opportunity": archived}
