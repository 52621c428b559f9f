import graphene

from referral_hub.directory.rules import (
    AreaKind,
    CapacityStatus,
    OrganisationKind,
    OrganisationSort,
    ServiceMode,
    ServiceSort,
    TagKind,
)

_KIND_DESCRIPTIONS = {
    OrganisationKind.SCHOOL: "School (学校).",
    OrganisationKind.WELFARE_OFFICE: "Welfare office (福祉事務所).",
    OrganisationKind.PLACE: "Community place (居場所): children's cafeteria, library, salon.",
    OrganisationKind.NPO: "Non-profit organisation (NPO法人).",
    OrganisationKind.MUNICIPALITY: "Municipal government (市区町村).",
    OrganisationKind.SOCIAL_WELFARE_COUNCIL: "Social welfare council (社会福祉協議会).",
    OrganisationKind.HEALTH: "Health centre or clinic (保健所・医療機関).",
}

OrganisationKindEnum = graphene.Enum.from_enum(
    OrganisationKind,
    description=lambda value: _KIND_DESCRIPTIONS.get(value) if value else "Kind of organisation.",
)
ServiceModeEnum = graphene.Enum.from_enum(
    ServiceMode,
    description=lambda value: (
        {
            ServiceMode.EXCHANGE: "交流型: open to all, no label, anonymous.",
            ServiceMode.SUPPORT: "支援型: careful individual help, but labelled.",
        }.get(value)
        if value
        else "How a service meets people."
    ),
)
CapacityStatusEnum = graphene.Enum.from_enum(CapacityStatus, description="Free places now.")
TagKindEnum = graphene.Enum.from_enum(TagKind, description="What a tag describes.")
AreaKindEnum = graphene.Enum.from_enum(AreaKind, description="Level of a JIS X 0402 area.")
ServiceSortEnum = graphene.Enum.from_enum(
    ServiceSort,
    description=lambda value: (
        {
            ServiceSort.NAME: "By name, then id.",
            ServiceSort.DISTANCE: "Nearest first (needs near).",
            ServiceSort.RELEVANCE: "Best full-text match first (needs search).",
            ServiceSort.RECENTLY_UPDATED: "Most recently updated first.",
        }.get(value)
        if value
        else "Orders a service list."
    ),
)
OrganisationSortEnum = graphene.Enum.from_enum(OrganisationSort, description="Orders a list.")
