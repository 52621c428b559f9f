import graphene

from schema.core.errors import Error, ErrorCodeEnum
from schema.directory.enums import OrganisationKindEnum


class Organisation(graphene.ObjectType):
    """A school, welfare office, community place, NPO or other member of the network."""

    id = graphene.ID(required=True, description="UUID made by the application.")
    name = graphene.String(required=True)
    kind = graphene.Field(OrganisationKindEnum, required=True)
    description = graphene.String()
    area_code = graphene.String(description="JIS X 0402 municipality code (six digits).")
    website = graphene.String()
    email = graphene.String()
    phone = graphene.String()
    active = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)


class OrganisationConnection(graphene.relay.Connection):
    class Meta:
        node = Organisation


class DirectoryError(graphene.ObjectType):
    class Meta:
        interfaces = (Error,)

    code = graphene.Field(ErrorCodeEnum, required=True)
