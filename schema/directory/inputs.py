import graphene

from schema.directory.enums import (
    CapacityStatusEnum,
    OrganisationKindEnum,
    ServiceModeEnum,
)


class NearInput(graphene.InputObjectType):
    lat = graphene.Float(required=True, description="Latitude, -90 to 90.")
    lon = graphene.Float(required=True, description="Longitude, -180 to 180.")
    km = graphene.Float(required=True, description="Radius in km, more than 0 and at most 200.")


class ServiceFilterInput(graphene.InputObjectType):
    area_code = graphene.String(description="JIS code; includes the areas below it.")
    tags_any = graphene.List(graphene.NonNull(graphene.String), description="At least one.")
    tags_all = graphene.List(graphene.NonNull(graphene.String), description="Every one.")
    mode = ServiceModeEnum()
    accepts_referrals = graphene.Boolean()
    capacity_status = graphene.List(graphene.NonNull(CapacityStatusEnum))
    organisation_kind = graphene.List(graphene.NonNull(OrganisationKindEnum))
    organisation_id = graphene.ID()
    age = graphene.Int(description="Only services whose age range includes this age.")
    search = graphene.String(description="Full-text search in names and descriptions.")
    near = NearInput()


class OrganisationFilterInput(graphene.InputObjectType):
    kind = graphene.List(graphene.NonNull(OrganisationKindEnum))
    area_code = graphene.String(description="JIS code; includes the areas below it.")
    search = graphene.String(description="Full-text search in names and descriptions.")
    partner_of = graphene.ID(description="Only partners of this organisation.")


class OrganisationFields:
    description = graphene.String(description="Up to 2000 characters.")
    area_code = graphene.String(description="JIS X 0402 municipality code, e.g. 131121.")
    website = graphene.String()
    email = graphene.String()
    phone = graphene.String()


class OrganisationCreateInput(OrganisationFields, graphene.InputObjectType):
    name = graphene.String(required=True, description="Official name, up to 200 characters.")
    kind = OrganisationKindEnum(required=True)


class OrganisationUpdateInput(OrganisationFields, graphene.InputObjectType):
    name = graphene.String()
    kind = OrganisationKindEnum()


class LocationFields:
    address = graphene.String()
    postal_code = graphene.String(description="e.g. 154-0017")
    latitude = graphene.Float()
    longitude = graphene.Float()


class LocationCreateInput(LocationFields, graphene.InputObjectType):
    organisation_id = graphene.ID(required=True, description="Who keeps this entry.")
    name = graphene.String(required=True)
    area_code = graphene.String(required=True)


class LocationUpdateInput(LocationFields, graphene.InputObjectType):
    name = graphene.String()
    area_code = graphene.String()


class ServiceFields:
    description = graphene.String()
    age_min = graphene.Int()
    age_max = graphene.Int()
    languages = graphene.List(graphene.NonNull(graphene.String), description="e.g. [ja, en].")
    schedule = graphene.String(description="Free text, e.g. 毎週水曜 17:00-19:00.")
    accepts_referrals = graphene.Boolean()
    response_target_hours = graphene.Int(description="Promised first response, in hours.")
    capacity_status = CapacityStatusEnum()
    tag_codes = graphene.List(graphene.NonNull(graphene.String))
    location_ids = graphene.List(graphene.NonNull(graphene.ID))


class ServiceCreateInput(ServiceFields, graphene.InputObjectType):
    organisation_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    mode = ServiceModeEnum(required=True)


class ServiceUpdateInput(ServiceFields, graphene.InputObjectType):
    name = graphene.String()
    mode = ServiceModeEnum()
