from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.errors import ValidationFailed
from referral_hub.directory import services
from schema.core.errors import payload_errors
from schema.directory.enums import OrganisationKindEnum
from schema.directory.types import DirectoryError, Organisation


class OrganisationCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="Official name, up to 200 characters.")
    kind = OrganisationKindEnum(required=True)
    description = graphene.String(description="Up to 2000 characters.")
    area_code = graphene.String(description="JIS X 0402 municipality code, e.g. 131121.")
    website = graphene.String()
    email = graphene.String()
    phone = graphene.String()


class OrganisationCreate(graphene.Mutation):
    """Add an organisation to the directory. Invalid input returns errors and writes nothing."""

    class Arguments:
        input = OrganisationCreateInput(required=True)

    organisation = graphene.Field(Organisation)
    errors = graphene.List(graphene.NonNull(DirectoryError), required=True)

    @staticmethod
    def mutate(root: Any, info: graphene.ResolveInfo, input: dict[str, Any]) -> OrganisationCreate:
        data = {
            "name": input.get("name"),
            "kind": getattr(input.get("kind"), "value", input.get("kind")),
            "description": input.get("description"),
            "areaCode": input.get("area_code"),
            "website": input.get("website"),
            "email": input.get("email"),
            "phone": input.get("phone"),
        }
        try:
            organisation = services.organisation_create(data=data)
        except ValidationFailed as failed:
            return OrganisationCreate(
                organisation=None, errors=payload_errors(DirectoryError, failed.errors)
            )
        return OrganisationCreate(organisation=organisation, errors=[])
