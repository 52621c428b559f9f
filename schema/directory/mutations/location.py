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
    """Add a place of your organisation."""

    class Arguments:
        input = LocationCreateInput(required=True, description="The new location.")

    location = graphene.Field(Location, description="The location added.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        return {
            "location": services.location_create(
                actor=require_actor(info), data=input_values(input)
            )
        }


class LocationUpdate(DirectoryMutation):
    """Change the given fields of your organisation's location; absent fields keep their value."""

    class Arguments:
        id = graphene.ID(required=True, description="The location's UUID.")
        input = LocationUpdateInput(required=True, description="The fields to change.")

    location = graphene.Field(Location, description="The location changed.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str, input: dict) -> dict[str, Any]:
        return {
            "location": services.location_update(
                actor=require_actor(info), location_id=id, data=input_values(input)
            )
        }


class LocationDeactivate(DirectoryMutation):
    """Hide a location of your organisation; services there keep their other places."""

    class Arguments:
        id = graphene.ID(required=True, description="The location's UUID.")

    location = graphene.Field(Location, description="The location deactivated.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        return {"location": services.location_deactivate(actor=require_actor(info), location_id=id)}
