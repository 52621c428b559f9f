import graphene

from schema.directory.enums import (
    CapacityStatusEnum,
    OrganisationKindEnum,
    ServiceModeEnum,
)


class NearInput(graphene.InputObjectType):
    """A circle on the map: a point (WGS 84) and a radius."""

    lat = graphene.Float(required=True, description="Latitude, -90 to 90.")
    lon = graphene.Float(required=True, description="Longitude, -180 to 180.")
    km = graphene.Float(required=True, description="Radius in km, more than 0 and at most 200.")


class ServiceFilterInput(graphene.InputObjectType):
    """Which services to list; every filter given must hold."""

    area_code = graphene.String(description="JIS code; includes the areas below it.")
    tags_any = graphene.List(graphene.NonNull(graphene.String), description="At least one.")
    tags_all = graphene.List(graphene.NonNull(graphene.String), description="Every one.")
    mode = ServiceModeEnum(description="Only 交流型 EXCHANGE or only 支援型 SUPPORT services.")
    accepts_referrals = graphene.Boolean(
        description="Only services that do (true) or do not (false) take referrals."
    )
    capacity_status = graphene.List(
        graphene.NonNull(CapacityStatusEnum),
        description="Only services with one of these capacity statuses.",
    )
    organisation_kind = graphene.List(
        graphene.NonNull(OrganisationKindEnum),
        description="Only services of organisations of these kinds.",
    )
    organisation_id = graphene.ID(description="Only this organisation's services.")
    age = graphene.Int(description="Only services whose age range includes this age.")
    search = graphene.String(description="Full-text search in names and descriptions.")
    near = NearInput(description="Only services with a location in this circle.")


class OrganisationFilterInput(graphene.InputObjectType):
    """Which organisations to list; every filter given must hold."""

    kind = graphene.List(
        graphene.NonNull(OrganisationKindEnum), description="Only organisations of these kinds."
    )
    area_code = graphene.String(description="JIS code; includes the areas below it.")
    search = graphene.String(description="Full-text search in names and descriptions.")
    partner_of = graphene.ID(description="Only partners of this organisation.")


class OrganisationFields:
    description = graphene.String(description="Up to 2000 characters.")
    area_code = graphene.String(description="JIS X 0402 municipality code, e.g. 131121.")
    website = graphene.String(description="Public web site (https://…).")
    email = graphene.String(description="Public contact e-mail address.")
    phone = graphene.String(description="Public telephone number.")


class OrganisationCreateInput(OrganisationFields, graphene.InputObjectType):
    """A new organisation of the directory."""

    name = graphene.String(required=True, description="Official name, up to 200 characters.")
    kind = OrganisationKindEnum(required=True, description="Kind of organisation.")


class OrganisationUpdateInput(OrganisationFields, graphene.InputObjectType):
    """The fields of an organisation to change; absent fields keep their value."""

    name = graphene.String(description="Official name, up to 200 characters.")
    kind = OrganisationKindEnum(
        description="Kind of organisation (a pending change a coordinator decides)."
    )


class LocationFields:
    address = graphene.String(description="Street address in Japanese, below the municipality.")
    postal_code = graphene.String(description="e.g. 154-0017")
    latitude = graphene.Float(description="WGS 84 latitude, -90 to 90 (with longitude).")
    longitude = graphene.Float(description="WGS 84 longitude, -180 to 180 (with latitude).")


class LocationCreateInput(LocationFields, graphene.InputObjectType):
    """A new place of your organisation."""

    organisation_id = graphene.ID(required=True, description="Who keeps this entry.")
    name = graphene.String(required=True, description="The place's name, e.g. 公民館 2F.")
    area_code = graphene.String(required=True, description="JIS X 0402 municipality code.")


class LocationUpdateInput(LocationFields, graphene.InputObjectType):
    """The fields of a location to change; absent fields keep their value."""

    name = graphene.String(description="The place's name.")
    area_code = graphene.String(description="JIS X 0402 municipality code.")


class ServiceFields:
    description = graphene.String(description="What it offers, up to 2000 characters.")
    age_min = graphene.Int(description="Youngest age served, 0 to 120.")
    age_max = graphene.Int(description="Oldest age served, 0 to 120, not below ageMin.")
    languages = graphene.List(graphene.NonNull(graphene.String), description="e.g. [ja, en].")
    schedule = graphene.String(description="Free text, e.g. 毎週水曜 17:00-19:00.")
    accepts_referrals = graphene.Boolean(description="Whether referrals may be sent to it.")
    response_target_hours = graphene.Int(description="Promised first response, in hours.")
    capacity_status = CapacityStatusEnum(description="Free places now.")
    check_in_days = graphene.List(
        graphene.NonNull(graphene.Int),
        description="Days after a connecting completion to check in (issue 20): 1 to 4 of "
        "them, each 1 to 365, ascending; null: the defaults, 30 and 90.",
    )
    tag_codes = graphene.List(
        graphene.NonNull(graphene.String), description="Tag codes it addresses (see tags)."
    )
    location_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="Your organisation's locations where it happens."
    )


class ServiceCreateInput(ServiceFields, graphene.InputObjectType):
    """A new service of your organisation."""

    organisation_id = graphene.ID(
        required=True, description="The organisation that offers it (yours)."
    )
    name = graphene.String(required=True, description="The service's name, up to 200 characters.")
    mode = ServiceModeEnum(required=True, description="交流型 EXCHANGE or 支援型 SUPPORT.")


class ServiceUpdateInput(ServiceFields, graphene.InputObjectType):
    """The fields of a service to change; absent fields keep their value."""

    name = graphene.String(description="The service's name, up to 200 characters.")
    mode = ServiceModeEnum(description="交流型 EXCHANGE or 支援型 SUPPORT.")


class OpportunityFields:
    description = graphene.String(description="More about the role, up to 2000 characters.")
    schedule = graphene.String(description="Free text, up to 200 characters.")
    age_min = graphene.Int(description="Youngest age it suits, 0 to 120.")
    age_max = graphene.Int(description="Oldest age it suits, 0 to 120, not below ageMin.")
    location_id = graphene.ID(description="One of your organisation's active locations.")


class OpportunityCreateInput(OpportunityFields, graphene.InputObjectType):
    """A new role your organisation offers."""

    organisation_id = graphene.ID(required=True, description="The publishing organisation (yours).")
    title = graphene.String(
        required=True, description="What the person would do, 1 to 120 characters."
    )
    area_code = graphene.String(required=True, description="JIS X 0402 municipality code.")
    service_id = graphene.ID(
        required=True,
        description="Your organisation's active service through which it is taken up.",
    )
    interest_tags = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="1 to 10 INTEREST tag codes (see tags(kind: INTEREST)).",
    )


class OpportunityUpdateInput(OpportunityFields, graphene.InputObjectType):
    """The fields of an opportunity to change; absent fields keep their value."""

    id = graphene.ID(required=True, description="The opportunity's UUID.")
    title = graphene.String(description="What the person would do, 1 to 120 characters.")
    area_code = graphene.String(description="JIS X 0402 municipality code.")
    service_id = graphene.ID(description="Your organisation's active service for it.")
    interest_tags = graphene.List(
        graphene.NonNull(graphene.String),
        description="1 to 10 INTEREST tag codes; replaces the set.",
    )


class OpportunityArchiveInput(graphene.InputObjectType):
    """The opportunity to archive."""

    id = graphene.ID(required=True, description="The opportunity's UUID.")
