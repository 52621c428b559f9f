"""createLocation, updateLocation, deactivateLocation."""

from typing import Any

import graphene

from referral_hub.directory import services
from schema.core.mutations import input_values
from schema.core.permissions import require_actor
from schema.directory.inputs import LocationCreateInput, LocationUpdateInput
from schema.directory.mutations.base import DirectoryMutation
from schema.directory.types import Location


class LocationCreate(DirectoryMutation):
    class Arguments:
        input = LocationCreateInput(required=True)

    location = graphene.Field(Location)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        return {
            "location": services.location_create(
                actor=require_actor(info), data=input_values(input)
            )
        }


class LocationUpdate(DirectoryMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = LocationUpdateInput(required=True)

    location = graphene.Field(Location)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str, input: dict) -> dict[str, Any]:
        return {
            "location": services.location_update(
                actor=require_actor(info), location_id=id, data=input_values(input)
            )
        }


class LocationDeactivate(DirectoryMutation):
    class Arguments:
        id = graphene.ID(required=True)

    location = graphene.Field(Location)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        return {"location": services.location_deactivate(actor=require_actor(info), location_id=id)}
