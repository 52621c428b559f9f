import graphene

from referral_hub.directory.rules import OrganisationKind

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
