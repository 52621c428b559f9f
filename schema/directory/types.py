"""Directory object types. Nested neighbours are summaries, so every list is one statement."""

import graphene

from referral_hub.referrals.check_ins import days_for
from referral_hub.referrals.responsiveness import ReplyBand, ShareBand
from referral_hub.referrals.responsiveness import summary as responsiveness_summary
from schema.core.described import described_enum
from schema.core.errors import domain_error
from schema.core.node import Node
from schema.directory.enums import (
    AreaKindEnum,
    CapacityStatusEnum,
    OrganisationKindEnum,
    ServiceModeEnum,
    TagKindEnum,
)


class Area(graphene.ObjectType):
    """A prefecture, city, ward, town or village by its JIS X 0402 code."""

    code = graphene.String(
        required=True, description="JIS X 0402 code: two digits for a prefecture, six below."
    )
    name = graphene.String(required=True, description="Official name in Japanese, e.g. 狛江市.")
    name_kana = graphene.String(description="The name in katakana, e.g. コマエシ.")
    name_en = graphene.String(description="The name in rōmaji, e.g. Komae-shi.")
    kind = graphene.Field(AreaKindEnum, required=True, description="Its level.")
    prefecture_code = graphene.String(required=True, description="Two digits, e.g. 13.")


class AreaWithParent(Area):
    """An area with the code of the area it lies in."""

    parent_code = graphene.String(description="The area it lies in; null for a prefecture.")


class Tag(graphene.ObjectType):
    """A term of the hub's taxonomy: a need, an interest or a population."""

    code = graphene.String(required=True, description="Stable code, e.g. school_non_attendance.")
    kind = graphene.Field(TagKindEnum, required=True, description="What the tag describes.")
    label_ja = graphene.String(required=True, description="Label in Japanese, e.g. 不登校.")
    label_en = graphene.String(required=True, description="Label in English.")
    stigma_sensitive = graphene.Boolean(
        required=True,
        description="A need for which an open, exchange-type place should be offered first.",
    )
    description = graphene.String(description="What the term covers, in Japanese.")


class OrganisationSummary(graphene.ObjectType):
    """An organisation as a neighbour of another record: enough to name and link it."""

    id = graphene.ID(required=True, description="The organisation's UUID (see organisation).")
    name = graphene.String(required=True, description="Official name.")
    kind = graphene.Field(OrganisationKindEnum, required=True, description="Kind of organisation.")
    area_code = graphene.String(description="JIS X 0402 municipality code.")


class Partnership(graphene.ObjectType):
    """An agreement between two organisations to refer to each other (連携)."""

    organisation = graphene.Field(
        OrganisationSummary, required=True, description="The partner organisation."
    )
    since = graphene.Date(description="The day the partnership began.")
    shares_data = graphene.Boolean(
        required=True, description="The partners agreed to share personal data under consent."
    )


class ServiceSummary(graphene.ObjectType):
    """A service as listed under its organisation."""

    id = graphene.ID(required=True, description="The service's UUID (see service).")
    name = graphene.String(required=True, description="The service's name.")
    mode = graphene.Field(
        ServiceModeEnum, required=True, description="交流型 (exchange) or 支援型 (support)."
    )
    accepts_referrals = graphene.Boolean(
        required=True, description="Whether referrals may be sent to it."
    )
    capacity_status = graphene.Field(
        CapacityStatusEnum, required=True, description="Free places now."
    )
    tags = graphene.List(
        graphene.NonNull(Tag),
        required=True,
        description="The needs, interests and people it serves.",
    )


class ServiceRef(graphene.ObjectType):
    """A service as the end of a referral or a route: enough to name and link it (one type
    for both since issue 21; routes called it RouteService)."""

    id = graphene.ID(required=True, description="The service's UUID (see service).")
    name = graphene.String(required=True, description="The service's name.")
    mode = graphene.Field(
        ServiceModeEnum, required=True, description="交流型 (exchange) or 支援型 (support)."
    )


class LocationBase(graphene.ObjectType):
    """A place where services happen, as listed under an organisation or a service."""

    id = graphene.ID(required=True, description="The location's UUID (see location).")
    name = graphene.String(required=True, description="The place's name, e.g. 公民館 2F.")
    address = graphene.String(description="Street address in Japanese, below the municipality.")
    postal_code = graphene.String(description="Japanese postal code, e.g. 154-0017.")
    area_code = graphene.String(required=True, description="JIS X 0402 municipality code.")
    latitude = graphene.Float(description="WGS 84 latitude; null when not located.")
    longitude = graphene.Float(description="WGS 84 longitude; null when not located.")
    active = graphene.Boolean(required=True, description="False once deactivated.")
    area = graphene.Field(Area, description="The municipality of areaCode.")


class Location(LocationBase):
    """Where a service happens; a service may be offered at several locations."""

    class Meta:
        interfaces = (Node,)

    organisation = graphene.Field(OrganisationSummary, description="Who keeps this entry.")


class OrganisationChange(graphene.ObjectType):
    """A change of kind or area the organisation asked for; a coordinator decides it."""

    kind = graphene.Field(OrganisationKindEnum, required=True, description="The kind asked for.")
    area_code = graphene.String(description="The area asked for.")
    requested_at = graphene.DateTime(required=True, description="When the change was asked for.")


class Organisation(graphene.ObjectType):
    """A school, welfare office, community place, NPO or other member of the network."""

    class Meta:
        interfaces = (Node,)

    id = graphene.ID(required=True, description="UUID made by the application.")
    name = graphene.String(required=True, description="Official name.")
    kind = graphene.Field(OrganisationKindEnum, required=True, description="Kind of organisation.")
    description = graphene.String(description="What it does, up to 2000 characters.")
    area_code = graphene.String(description="JIS X 0402 municipality code (six digits).")
    area = graphene.Field(Area, description="The municipality of areaCode.")
    website = graphene.String(description="Public web site.")
    email = graphene.String(description="Public contact e-mail address.")
    phone = graphene.String(description="Public telephone number.")
    active = graphene.Boolean(
        required=True, description="False once deactivated: hidden from lists and search."
    )
    pending_change = graphene.Field(
        OrganisationChange,
        description="Kind and area are attested: updateOrganisation only requests a change "
        "to them, and it takes effect when a coordinator approves it "
        "(decideOrganisationChange).",
    )
    created_at = graphene.DateTime(required=True, description="When it joined the directory.")
    updated_at = graphene.DateTime(required=True, description="When its entry last changed.")
    services = graphene.List(
        graphene.NonNull(ServiceSummary), required=True, description="Its active services."
    )
    locations = graphene.List(
        graphene.NonNull(LocationBase),
        required=True,
        description="Where it works (active locations, by name).",
    )
    partners = graphene.List(
        graphene.NonNull(Partnership), required=True, description="Its partnerships."
    )


class Service(graphene.ObjectType):
    """Something an organisation offers: a meal, a study group, a consultation."""

    class Meta:
        interfaces = (Node,)

    id = graphene.ID(required=True, description="UUID made by the application.")
    name = graphene.String(required=True, description="The service's name.")
    description = graphene.String(description="What it offers, in the provider's words.")
    mode = graphene.Field(
        ServiceModeEnum, required=True, description="交流型 (exchange) or 支援型 (support)."
    )
    age_min = graphene.Int(description="Youngest age served; null: no lower limit.")
    age_max = graphene.Int(description="Oldest age served; null: no upper limit.")
    languages = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Languages spoken, as codes, e.g. [ja, en].",
    )
    schedule = graphene.String(description="Free text, e.g. 毎週水曜 17:00-19:00.")
    accepts_referrals = graphene.Boolean(
        required=True, description="Whether referrals may be sent to it."
    )
    response_target_hours = graphene.Int(
        required=True, description="Promised first response, in hours (the referral deadline)."
    )
    check_in_days = graphene.List(
        graphene.NonNull(graphene.Int),
        required=True,
        description="Days after a connecting completion its check-ins fall (issue 20).",
    )
    responsiveness = graphene.Field(
        lambda: Responsiveness,
        description="How the service has answered referrals over the last 90 days, in bands "
        "(computed nightly); null bands under 10 referrals.",
    )
    capacity_status = graphene.Field(
        CapacityStatusEnum, required=True, description="Free places now."
    )
    capacity_updated_at = graphene.DateTime(description="When capacityStatus was last said.")
    active = graphene.Boolean(
        required=True, description="False once deactivated: hidden from search."
    )
    created_at = graphene.DateTime(required=True, description="When it was added.")
    updated_at = graphene.DateTime(required=True, description="When its entry last changed.")
    organisation = graphene.Field(
        OrganisationSummary, required=True, description="The organisation that offers it."
    )
    locations = graphene.List(
        graphene.NonNull(LocationBase), required=True, description="Where it happens."
    )
    tags = graphene.List(
        graphene.NonNull(Tag),
        required=True,
        description="The needs, interests and people it serves.",
    )
    distance_km = graphene.Float(description="Distance to the nearest location (with near).")

    @staticmethod
    def resolve_check_in_days(root: dict, info: graphene.ResolveInfo) -> list[int]:
        return list(days_for(root.get("check_in_days")))

    @staticmethod
    def resolve_languages(root: dict, info: graphene.ResolveInfo) -> list[str]:
        return root.get("languages") or []


ReplyBandEnum = described_enum(
    ReplyBand,
    "How soon a service usually acknowledges a referral (the median, in bands).",
    {
        ReplyBand.WITHIN_A_DAY: "Within 24 hours.",
        ReplyBand.WITHIN_3_DAYS: "Within 3 days.",
        ReplyBand.WITHIN_A_WEEK: "Within 7 days.",
        ReplyBand.SLOWER: "Slower than a week.",
    },
    name="ReplyBand",
)
ShareBandEnum = described_enum(
    ShareBand,
    "A share in bands, never an exact rate (which could be differenced).",
    {
        ShareBand.MOST: "75% or more.",
        ShareBand.MORE_THAN_HALF: "50% to under 75%.",
        ShareBand.SOME: "25% to under 50%.",
        ShareBand.FEW: "Under 25%.",
    },
    name="ShareBand",
)


class Responsiveness(graphene.ObjectType):
    """Bands over the last 90 days, each over at least 10 referrals (decided or accepted
    ones for the shares); never counts or exact rates, which could be differenced."""

    reply_band = graphene.Field(
        ReplyBandEnum, description="The median time to acknowledge a referral."
    )
    acceptance_band = graphene.Field(ShareBandEnum, description="Accepted of those decided.")
    completion_band = graphene.Field(ShareBandEnum, description="Completed of those accepted.")
    still_connected_band = graphene.Field(
        ShareBandEnum,
        description="Still connected at 90 days (issue 20): of the connected referrals whose "
        "90-day check-in was answered, those still attending; null under 5 answered.",
    )
    summary = graphene.String(
        description='In words, e.g. "usually replies within 3 days, most referrals accepted".'
    )
    computed_at = graphene.DateTime(required=True, description="When the bands were computed.")

    @staticmethod
    def resolve_summary(root: dict, info: graphene.ResolveInfo) -> str | None:
        return responsiveness_summary(root)


class OrganisationConnection(graphene.relay.Connection):
    """A page of organisations."""

    class Meta:
        node = Organisation


class ServiceConnection(graphene.relay.Connection):
    """A page of services."""

    class Meta:
        node = Service


DirectoryError = domain_error("DirectoryError", "the directory")


class Opportunity(graphene.ObjectType):
    """A role a place or NPO offers a person — help at a children's cafeteria, read to
    children, teach shogi — found by what the person likes (issue 19). Public directory
    data: it names no person."""

    class Meta:
        interfaces = (Node,)

    id = graphene.ID(required=True, description="UUID made by the application.")
    title = graphene.String(required=True, description="What the person would do.")
    description = graphene.String(description="More about the role, up to 2000 characters.")
    schedule = graphene.String(description="Free text, e.g. 毎週土曜 10:00-12:00.")
    age_min = graphene.Int(description="Youngest age it suits; null: no lower limit.")
    age_max = graphene.Int(description="Oldest age it suits; null: no upper limit.")
    area_code = graphene.String(required=True, description="JIS X 0402 municipality code.")
    active = graphene.Boolean(
        required=True, description="False once archived: out of lists and recommendations."
    )
    created_at = graphene.DateTime(required=True, description="When it was published.")
    updated_at = graphene.DateTime(required=True, description="When it last changed.")
    organisation = graphene.Field(
        OrganisationSummary, required=True, description="The organisation that offers it."
    )
    service = graphene.Field(
        ServiceRef,
        required=True,
        description="The organisation's own service through which the role is taken up: "
        "an OFFER_ROLE referral goes to it.",
    )
    location = graphene.Field(LocationBase, description="Where it happens, if at one place.")
    interest_tags = graphene.List(
        graphene.NonNull(Tag), required=True, description="The interests it suits (1 to 10)."
    )
    distance_km = graphene.Float(description="Distance to its location (with near).")


class OpportunityConnection(graphene.relay.Connection):
    """A page of opportunities."""

    class Meta:
        node = Opportunity
