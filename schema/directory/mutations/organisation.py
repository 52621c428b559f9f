"""createOrganisation, updateOrganisation, deactivateOrganisation."""

from typing import Any

import graphene

from referral_hub.directory import services
from schema.core.mutations import camel_input
from schema.core.permissions import require_actor
from schema.directory.inputs import OrganisationCreateInput, OrganisationUpdateInput
from schema.directory.mutations.base import DirectoryMutation
from schema.directory.types import Organisation


class OrganisationCreate(DirectoryMutation):
    """Add an organisation to the directory."""

    class Arguments:
        input = OrganisationCreateInput(required=True)

    organisation = graphene.Field(Organisation)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        return {
            "organisation": services.organisation_create(
                actor=require_actor(info), data=camel_input(input)
            )
        }


class OrganisationUpdate(DirectoryMutation):
    """Change the given fields; absent fields keep their value, null clears an optional one."""

    class Arguments:
        id = graphene.ID(required=True)
        input = OrganisationUpdateInput(required=True)

    organisation = graphene.Field(Organisation)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str, input: dict) -> dict[str, Any]:
        return {
            "organisation": services.organisation_update(
                actor=require_actor(info), organisation_id=id, data=camel_input(input)
            )
        }


class OrganisationDeactivate(DirectoryMutation):
    """Hide an organisation from lists and search; its history stays."""

    class Arguments:
        id = graphene.ID(required=True)

    organisation = graphene.Field(Organisation)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        return {
            "organisation": services.organisation_deactivate(
                actor=require_actor(info), organisation_id=id
            )
        }
