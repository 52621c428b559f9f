"""recommend: ranked services for a need, each with the parts of its score."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.pathways import recommend as recommending
from referral_hub.pathways.scoring import RECOMMEND_LIMIT_MAX, WEIGHTS
from schema.core.permissions import require_actor
from schema.directory.enums import CapacityStatusEnum, OrganisationKindEnum, ServiceModeEnum
from schema.directory.inputs import NearInput
from schema.directory.types import ReplyBandEnum, ShareBandEnum


class ScorePoints(graphene.ObjectType):
    class Meta:
        description = "Each part's weighted points; they add up to the score. Weights: " + (
            ", ".join(f"{part} {weight:g}" for part, weight in WEIGHTS.items())
        )

    tag_match = graphene.Float(
        required=True, description="For the needs and interests the service meets."
    )
    distance = graphene.Float(required=True, description="For nearness.")
    capacity = graphene.Float(required=True, description="For free places now.")
    partnership = graphene.Float(
        required=True, description="For a short chain of partnerships to the provider."
    )
    acceptance = graphene.Float(required=True, description="For the share of referrals it accepts.")
    completion = graphene.Float(
        required=True, description="For the share of accepted referrals it completes."
    )
    response = graphene.Float(required=True, description="For how soon it replies.")


class RecommendedOrganisation(graphene.ObjectType):
    """The organisation that offers a recommended service."""

    id = graphene.ID(required=True, description="The organisation's UUID.")
    name = graphene.String(required=True, description="Official name.")
    kind = graphene.Field(OrganisationKindEnum, required=True, description="Kind of organisation.")


class RecommendedService(graphene.ObjectType):
    """A recommended service: enough to name it and refer to it."""

    id = graphene.ID(required=True, description="The service's UUID.")
    name = graphene.String(required=True, description="The service's name.")
    mode = graphene.Field(
        ServiceModeEnum, required=True, description="交流型 (exchange) or 支援型 (support)."
    )
    accepts_referrals = graphene.Boolean(description="Whether referrals may be sent to it.")
    organisation = graphene.Field(
        RecommendedOrganisation, required=True, description="Who offers it."
    )


class Recommendation(graphene.ObjectType):
    """A service that can take the need, with the parts of its score."""

    rank = graphene.Int(required=True, description="1 for the best.")
    score = graphene.Float(required=True, description="0 to 1; the sum of `points`.")
    service = graphene.Field(RecommendedService, required=True, description="The service.")
    needs_met = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The needs asked for that it addresses.",
    )
    interests_met = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The interests asked for that it offers.",
    )
    distance_km = graphene.Float(description="From the point asked, else from the sender.")
    capacity_status = graphene.Field(CapacityStatusEnum, description="Free places now.")
    partnership_hops = graphene.Int(
        description="Partnerships between the sender and the provider; null when there is "
        "no chain of at most 4."
    )
    acceptance_band = graphene.Field(ShareBandEnum, description="Accepted / decided, 90 days.")
    completion_band = graphene.Field(ShareBandEnum, description="Completed / accepted, 90 days.")
    reply_band = graphene.Field(ReplyBandEnum, description="Median time to acknowledge.")
    points = graphene.Field(ScorePoints, required=True, description="The parts of the score.")


class RecommendedOpportunityRole(graphene.ObjectType):
    """A recommended opportunity: enough to name it and offer it."""

    id = graphene.ID(required=True, description="The opportunity's UUID (see opportunity).")
    title = graphene.String(required=True, description="What the person would do.")
    schedule = graphene.String(description="When, in the publisher's words.")
    age_min = graphene.Int(description="Youngest age it suits.")
    age_max = graphene.Int(description="Oldest age it suits.")
    area_code = graphene.String(required=True, description="JIS X 0402 municipality code.")


class RecommendedOpportunity(graphene.ObjectType):
    """A role that suits the interests asked (issue 19): offer it with an OFFER_ROLE
    referral to `service` naming `opportunity.id`."""

    rank = graphene.Int(required=True, description="1 for the best.")
    opportunity = graphene.Field(RecommendedOpportunityRole, required=True, description="The role.")
    organisation = graphene.Field(
        RecommendedOrganisation, required=True, description="Who offers it."
    )
    service = graphene.Field(
        RecommendedService,
        required=True,
        description="The service through which it is taken up (the referral's serviceId).",
    )
    interests_met = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The interests asked for that it suits; more come first.",
    )
    distance_km = graphene.Float(
        description="From the point asked, else from the sender; null without a location."
    )


class LeftOutByPreference(graphene.ObjectType):
    """Services a subject's own preference kept out of their recommendations."""

    preference = graphene.String(
        required=True,
        description="The preference: doNotRefer (every service) or exchangeOnly (the "
        "support-type ones).",
    )
    count = graphene.Int(required=True, description="How many services it left out.")


class Recommendations(graphene.ObjectType):
    """The services that can take a need, best first."""

    exchange_first = graphene.Boolean(
        required=True,
        description="A need asked for is stigma-sensitive, so any exchange-type places come first.",
    )
    stigma_sensitive_needs = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The needs asked for that are stigma-sensitive.",
    )
    declined_left_out = graphene.Int(
        required=True,
        description="With forSubject: how many services have declined the subject; none of "
        "them is recommended again.",
    )
    left_out_by_preference = graphene.List(
        graphene.NonNull(LeftOutByPreference),
        required=True,
        description="With forSubject: what the subject's own active preference left out, "
        "and how many (empty when it left nothing out).",
    )
    items = graphene.List(
        graphene.NonNull(Recommendation), required=True, description="The services, best first."
    )
    opportunities = graphene.List(
        graphene.NonNull(RecommendedOpportunity),
        required=True,
        description="With includeOpportunities: roles (opportunities) that suit the "
        "interestTags asked, most interests met first, then the nearest; at most `limit`. "
        "Empty otherwise.",
    )


def recommendations_from(found: dict[str, Any]) -> Recommendations:
    return Recommendations(
        exchange_first=found["exchange_first"],
        stigma_sensitive_needs=found["stigma_sensitive_needs"],
        declined_left_out=found["declined_left_out"],
        left_out_by_preference=[
            LeftOutByPreference(preference=x["preference"], count=x["count"])
            for x in found["left_out_by_preference"]
        ],
        items=[_item(item) for item in found["recommendations"]],
        opportunities=[_opportunity(item) for item in found.get("opportunities", ())],
    )


def _opportunity(item: dict[str, Any]) -> RecommendedOpportunity:
    service = item["service"]
    return RecommendedOpportunity(
        rank=item["rank"],
        opportunity=RecommendedOpportunityRole(**item["opportunity"]),
        organisation=RecommendedOrganisation(**item["organisation"]),
        service=RecommendedService(
            id=service["id"],
            name=service["name"],
            mode=service["mode"],
            accepts_referrals=service.get("acceptsReferrals"),
            organisation=RecommendedOrganisation(**item["organisation"]),
        ),
        interests_met=item["interests_met"],
        distance_km=item["distance_km"],
    )


def _item(item: dict[str, Any]) -> Recommendation:
    service = item["service"]
    return Recommendation(
        rank=item["rank"],
        score=item["score"],
        service=RecommendedService(
            id=service["id"],
            name=service["name"],
            mode=service["mode"],
            accepts_referrals=service.get("acceptsReferrals"),
            organisation=RecommendedOrganisation(**item["organisation"]),
        ),
        needs_met=item["needs_met"],
        interests_met=item["interests_met"],
        distance_km=item["distance_km"],
        capacity_status=service.get("capacityStatus"),
        partnership_hops=item["partnership_hops"],
        acceptance_band=service.get("statsAcceptanceBand"),
        completion_band=service.get("statsCompletionBand"),
        reply_band=service.get("statsReplyBand"),
        points=ScorePoints(**item["points"]),
    )


class RecommendQueries(graphene.ObjectType):
    recommend = graphene.Field(
        graphene.NonNull(Recommendations),
        from_organisation=graphene.ID(required=True, description="The referring organisation."),
        need_tags=graphene.List(
            graphene.NonNull(graphene.String),
            default_value=[],
            description="NEED tag codes the service should address.",
        ),
        interest_tags=graphene.List(
            graphene.NonNull(graphene.String),
            default_value=[],
            description="INTEREST tag codes the person likes (they raise the score).",
        ),
        area=graphene.String(description="An area code; give this or `near`."),
        near=NearInput(description="A point and radius; give this or `area`."),
        for_subject=graphene.ID(
            description="A subject fromOrganisation registered: leaves out the services that "
            "declined it, organisations with an open referral for it and services outside its "
            "age. Audited. Counsellors and caseworkers of fromOrganisation only."
        ),
        limit=graphene.Int(default_value=10, description=f"1 to {RECOMMEND_LIMIT_MAX}."),
        include_opportunities=graphene.Boolean(
            default_value=False,
            description="Also return opportunities (roles a person can take up) that suit "
            "interestTags, in the same round trip.",
        ),
        description="Services that can take the need, best first, with the parts of each "
        "score. One Cypher round trip.",
    )

    @staticmethod
    def resolve_recommend(
        root: Any,
        info: graphene.ResolveInfo,
        from_organisation: str,
        need_tags: list[str],
        interest_tags: list[str],
        limit: int,
        area: str | None = None,
        near: Any = None,
        for_subject: str | None = None,
        include_opportunities: bool = False,
    ) -> Recommendations:
        found = recommending.recommend(
            actor=require_actor(info),
            from_organisation=from_organisation,
            need_tags=need_tags,
            interest_tags=interest_tags,
            area=area,
            near=None if near is None else dict(near),
            for_subject=for_subject,
            limit=limit,
            include_opportunities=bool(include_opportunities),
        )
        return recommendations_from(found)
