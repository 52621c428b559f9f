"""Directory object types. Nested neighbours are summaries, so every list is one statement."""

import graphene

from referral_hub.referrals.responsiveness import ReplyBand, ShareBand
from referral_hub.referrals.responsiveness import summary as responsiveness_summary
from schema.core.errors import domain_error
from schema.directory.enums import (
    AreaKindEnum,
    CapacityStatusEnum,
    OrganisationKindEnum,
    ServiceModeEnum,
    TagKindEnum,
)


class Area(graphene.ObjectType):
    """A prefecture, city, ward, town or village by its JIS X 0402 code."""

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    name_kana = graphene.String()
    name_en = graphene.String()
    kind = graphene.Field(AreaKindEnum, required=True)
    prefecture_code = graphene.String(required=True, description="Two digits, e.g. 13.")


class AreaWithParent(Area):
    parent_code = graphene.String()


class Tag(graphene.ObjectType):
    code = graphene.String(required=True)
    kind = graphene.Field(TagKindEnum, required=True)
    label_ja = graphene.String(required=True)
    label_en = graphene.String(required=True)
    stigma_sensitive = graphene.Boolean(
        required=True,
        description="A need for which an open, exchange-type place should be offered first.",
    )
    description = graphene.String()


class OrganisationSummary(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.Field(OrganisationKindEnum, required=True)
    area_code = graphene.String()


class Partnership(graphene.ObjectType):
    organisation = graphene.Field(OrganisationSummary, required=True)
    since = graphene.Date()
    shares_data = graphene.Boolean(required=True)


class ServiceSummary(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    mode = graphene.Field(ServiceModeEnum, required=True)
    accepts_referrals = graphene.Boolean(required=True)
    capacity_status = graphene.Field(CapacityStatusEnum, required=True)
    tags = graphene.List(graphene.NonNull(Tag), required=True)


class LocationBase(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    address = graphene.String()
    postal_code = graphene.String()
    area_code = graphene.String(required=True)
    latitude = graphene.Float()
    longitude = graphene.Float()
    active = graphene.Boolean(required=True)
    area = graphene.Field(Area)


class Location(LocationBase):
    """Where a service happens; a service may be offered at several locations."""

    organisation = graphene.Field(OrganisationSummary, description="Who keeps this entry.")


class OrganisationChange(graphene.ObjectType):
    """A change of kind or area the organisation asked for; a coordinator decides it."""

    kind = graphene.Field(OrganisationKindEnum, required=True)
    area_code = graphene.String()
    requested_at = graphene.DateTime(required=True)


class Organisation(graphene.ObjectType):
    """A school, welfare office, community place, NPO or other member of the network."""

    id = graphene.ID(required=True, description="UUID made by the application.")
    name = graphene.String(required=True)
    kind = graphene.Field(OrganisationKindEnum, required=True)
    description = graphene.String()
    area_code = graphene.String(description="JIS X 0402 municipality code (six digits).")
    area = graphene.Field(Area)
    website = graphene.String()
    email = graphene.String()
    phone = graphene.String()
    active = graphene.Boolean(required=True)
    pending_change = graphene.Field(
        OrganisationChange,
        description="Kind and area are attested: updateOrganisation only requests a change "
        "to them, and it takes effect when a coordinator approves it "
        "(decideOrganisationChange).",
    )
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    services = graphene.List(graphene.NonNull(ServiceSummary), required=True)
    locations = graphene.List(
        graphene.NonNull(LocationBase),
        required=True,
        description="Where it works (active locations, by name).",
    )
    partners = graphene.List(graphene.NonNull(Partnership), required=True)


class Service(graphene.ObjectType):
    """Something an organisation offers: a meal, a study group, a consultation."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String()
    mode = graphene.Field(ServiceModeEnum, required=True)
    age_min = graphene.Int()
    age_max = graphene.Int()
    languages = graphene.List(graphene.NonNull(graphene.String), required=True)
    schedule = graphene.String()
    accepts_referrals = graphene.Boolean(required=True)
    response_target_hours = graphene.Int(required=True)
    responsiveness = graphene.Field(
        lambda: Responsiveness,
        description="How the service has answered referrals over the last 90 days, in bands "
        "(computed nightly); null bands under 10 referrals.",
    )
    capacity_status = graphene.Field(CapacityStatusEnum, required=True)
    capacity_updated_at = graphene.DateTime()
    active = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    organisation = graphene.Field(OrganisationSummary, required=True)
    locations = graphene.List(graphene.NonNull(LocationBase), required=True)
    tags = graphene.List(graphene.NonNull(Tag), required=True)
    distance_km = graphene.Float(description="Distance to the nearest location (with near).")

    @staticmethod
    def resolve_languages(root: dict, info: graphene.ResolveInfo) -> list[str]:
        return root.get("languages") or []


ReplyBandEnum = graphene.Enum.from_enum(ReplyBand, name="ReplyBand")
ShareBandEnum = graphene.Enum.from_enum(
    ShareBand,
    name="ShareBand",
    description="MOST: 75% or more; MORE_THAN_HALF: 50% to 75%; SOME: 25% to 50%; FEW: less.",
)


class Responsiveness(graphene.ObjectType):
    """Bands over the last 90 days, each over at least 10 referrals (decided or accepted
    ones for the shares); never counts or exact rates, which could be differenced."""

    reply_band = graphene.Field(
        ReplyBandEnum, description="The median time to acknowledge a referral."
    )
    acceptance_band = graphene.Field(ShareBandEnum, description="Accepted of those decided.")
    completion_band = graphene.Field(ShareBandEnum, description="Completed of those accepted.")
    summary = graphene.String(
        description='e.g. "usually replies within 3 days, most referrals accepted"'
    )
    computed_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_summary(root: dict, info: graphene.ResolveInfo) -> str | None:
        return responsiveness_summary(root)


class OrganisationConnection(graphene.relay.Connection):
    class Meta:
        node = Organisation


class ServiceConnection(graphene.relay.Connection):
    class Meta:
        node = Service


DirectoryError = domain_error("DirectoryError", "the directory")
