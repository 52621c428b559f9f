"""The directory's enums, each value described (schema/core/described.py)."""

from referral_hub.directory.rules import (
    AreaKind,
    CapacityStatus,
    OrganisationKind,
    OrganisationSort,
    ServiceMode,
    ServiceSort,
    TagKind,
)
from schema.core.described import described_enum

OrganisationKindEnum = described_enum(
    OrganisationKind,
    "Kind of organisation.",
    {
        OrganisationKind.SCHOOL: "School (学校).",
        OrganisationKind.WELFARE_OFFICE: "Welfare office (福祉事務所).",
        OrganisationKind.PLACE: "Community place (居場所): children's cafeteria, library, salon.",
        OrganisationKind.NPO: "Non-profit organisation (NPO法人).",
        OrganisationKind.MUNICIPALITY: "Municipal government (市区町村).",
        OrganisationKind.SOCIAL_WELFARE_COUNCIL: "Social welfare council (社会福祉協議会).",
        OrganisationKind.HEALTH: "Health centre or clinic (保健所・医療機関).",
        OrganisationKind.COMPREHENSIVE_SUPPORT_CENTRE: "Regional comprehensive support centre "
        "(地域包括支援センター): the first door for older people and their carers.",
        OrganisationKind.CARE_MANAGEMENT_OFFICE: "Home care management office "
        "(居宅介護支援事業所): care managers who plan long-term care insurance services.",
    },
)
ServiceModeEnum = described_enum(
    ServiceMode,
    "How a service meets people.",
    {
        ServiceMode.EXCHANGE: "交流型 (exchange-type place): open to all, no label, anonymous.",
        ServiceMode.SUPPORT: "支援型 (support-type service): careful individual help, "
        "but labelled.",
    },
)
CapacityStatusEnum = described_enum(
    CapacityStatus,
    "Free places now.",
    {
        CapacityStatus.AVAILABLE: "Has room: a referral can be accepted now.",
        CapacityStatus.WAITLIST: "Full, but keeps a waiting list (acceptWaitlist on a referral).",
        CapacityStatus.FULL: "No room and no waiting list: referrals are refused (SERVICE_FULL).",
    },
)
TagKindEnum = described_enum(
    TagKind,
    "What a tag describes.",
    {
        TagKind.NEED: "A need a person has, e.g. school_non_attendance (不登校).",
        TagKind.INTEREST: "Something a person likes doing, which an exchange-type place offers.",
        TagKind.POPULATION: "Who a service is for, e.g. children or foreign residents.",
    },
)
AreaKindEnum = described_enum(
    AreaKind,
    "Level of a JIS X 0402 area.",
    {
        AreaKind.PREFECTURE: "Prefecture (都道府県).",
        AreaKind.DESIGNATED_CITY: "Government-designated city (政令指定都市), divided into wards.",
        AreaKind.CITY: "City (市).",
        AreaKind.SPECIAL_WARD: "Special ward of Tokyo (特別区), e.g. 世田谷区.",
        AreaKind.WARD: "Ward of a designated city (行政区).",
        AreaKind.TOWN: "Town (町).",
        AreaKind.VILLAGE: "Village (村).",
    },
)
ServiceSortEnum = described_enum(
    ServiceSort,
    "Orders a service list.",
    {
        ServiceSort.NAME: "By name, then id.",
        ServiceSort.DISTANCE: "Nearest first (needs near).",
        ServiceSort.RELEVANCE: "Best full-text match first (needs search).",
        ServiceSort.RECENTLY_UPDATED: "Most recently updated first.",
    },
)
OrganisationSortEnum = described_enum(
    OrganisationSort,
    "Orders an organisation list.",
    {
        OrganisationSort.NAME: "By name, then id.",
        OrganisationSort.RELEVANCE: "Best full-text match first (needs search).",
        OrganisationSort.RECENTLY_UPDATED: "Most recently updated first.",
    },
)
