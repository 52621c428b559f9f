"""createService, updateService, deactivateService, setServiceTags, updateServiceCapacity."""

from typing import Any

import graphene

from referral_hub.directory import services
from schema.core.mutations import input_values
from schema.core.permissions import require_actor
from schema.directory.enums import CapacityStatusEnum
from schema.directory.inputs import ServiceCreateInput, ServiceUpdateInput
from schema.directory.mutations.base import DirectoryMutation
from schema.directory.types import Service


class ServiceCreate(DirectoryMutation):
    """Add a service of your organisation."""

    class Arguments:
        input = ServiceCreateInput(required=True, description="The new service.")

    service = graphene.Field(Service, description="The service added.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        return {
            "service": services.service_create(actor=require_actor(info), data=input_values(input))
        }


class ServiceUpdate(DirectoryMutation):
    """Change the given fields of your organisation's service; absent fields keep their
    value. tagCodes and locationIds, when given, replace the whole set."""

    class Arguments:
        id = graphene.ID(required=True, description="The service's UUID.")
        input = ServiceUpdateInput(required=True, description="The fields to change.")

    service = graphene.Field(Service, description="The service changed.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str, input: dict) -> dict[str, Any]:
        return {
            "service": services.service_update(
                actor=require_actor(info), service_id=id, data=input_values(input)
            )
        }


class ServiceDeactivate(DirectoryMutation):
    """Hide a service of your organisation from search; its referrals stay."""

    class Arguments:
        id = graphene.ID(required=True, description="The service's UUID.")

    service = graphene.Field(Service, description="The service deactivated.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        return {"service": services.service_deactivate(actor=require_actor(info), service_id=id)}


class ServiceTagsSet(DirectoryMutation):
    """Replace the tags a service addresses."""

    class Arguments:
        service_id = graphene.ID(required=True, description="The service's UUID.")
        tag_codes = graphene.List(
            graphene.NonNull(graphene.String),
            required=True,
            description="Every tag code it addresses (see tags).",
        )

    service = graphene.Field(Service, description="The service with its tags.")

    @classmethod
    def perform(
        cls, info: graphene.ResolveInfo, service_id: str, tag_codes: list[str]
    ) -> dict[str, Any]:
        return {
            "service": services.service_set_tags(
                actor=require_actor(info), service_id=service_id, tag_codes=tag_codes
            )
        }


class ServiceCapacityUpdate(DirectoryMutation):
    """Say whether a service has room now; the time of the update is kept."""

    class Arguments:
        service_id = graphene.ID(required=True, description="The service's UUID.")
        status = CapacityStatusEnum(required=True, description="Free places now.")

    service = graphene.Field(Service, description="The service with its capacity.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, service_id: str, status: Any) -> dict[str, Any]:
        return {
            "service": services.service_update_capacity(
                actor=require_actor(info), service_id=service_id, status=status
            )
        }
