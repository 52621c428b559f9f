"""createOrganisation, updateOrganisation, decideOrganisationChange, deactivateOrganisation."""

from typing import Any

import graphene

from referral_hub.directory import services
from schema.core.mutations import input_values
from schema.core.permissions import require_actor
from schema.directory.inputs import OrganisationCreateInput, OrganisationUpdateInput
from schema.directory.mutations.base import DirectoryMutation
from schema.directory.types import Organisation


class OrganisationCreate(DirectoryMutation):
    """Add an organisation to the directory."""

    class Arguments:
        input = OrganisationCreateInput(required=True, description="The new organisation.")

    organisation = graphene.Field(Organisation, description="The organisation added.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        return {
            "organisation": services.organisation_create(
                actor=require_actor(info), data=input_values(input)
            )
        }


class OrganisationUpdate(DirectoryMutation):
    """Change the given fields; absent fields keep their value, null clears an optional one.
    `kind` and `areaCode` become a pending change that a coordinator decides."""

    class Arguments:
        id = graphene.ID(required=True, description="The organisation's UUID (yours).")
        input = OrganisationUpdateInput(required=True, description="The fields to change.")

    organisation = graphene.Field(
        Organisation, description="The organisation changed (or with its pendingChange)."
    )

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str, input: dict) -> dict[str, Any]:
        return {
            "organisation": services.organisation_update(
                actor=require_actor(info), organisation_id=id, data=input_values(input)
            )
        }


class OrganisationChangeDecide(DirectoryMutation):
    """A coordinator approves (applies) or rejects an organisation's requested kind/area
    change; both areas must lie within the coordinator's own."""

    class Arguments:
        id = graphene.ID(required=True, description="The organisation's UUID.")
        approve = graphene.Boolean(
            required=True, description="true applies the change; false rejects it."
        )

    organisation = graphene.Field(Organisation, description="The organisation after the decision.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str, approve: bool) -> dict[str, Any]:
        return {
            "organisation": services.organisation_change_decide(
                actor=require_actor(info), organisation_id=id, approve=approve
            )
        }


class OrganisationDeactivate(DirectoryMutation):
    """Hide an organisation from lists and search; its history stays."""

    class Arguments:
        id = graphene.ID(required=True, description="The organisation's UUID (yours).")

    organisation = graphene.Field(Organisation, description="The organisation deactivated.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        return {
            "organisation": services.organisation_deactivate(
                actor=require_actor(info), organisation_id=id
            )
        }
