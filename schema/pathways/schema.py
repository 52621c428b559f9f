"""routes: partnership chains to organisations that address a need."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.errors import PublicError, ValidationFailed
from referral_hub.pathways import services
from referral_hub.pathways.rules import MAX_HOPS
from schema.core.permissions import require_actor


class RouteOrganisation(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    area_code = graphene.String()


class RouteService(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    mode = graphene.String(required=True)


class Route(graphene.ObjectType):
    hops = graphene.Int(required=True, description="Partnerships between the two ends.")
    organisations = graphene.List(
        graphene.NonNull(RouteOrganisation),
        required=True,
        description="From the asking organisation to the one that addresses the need.",
    )
    services = graphene.List(
        graphene.NonNull(RouteService),
        required=True,
        description="The last organisation's active services for the need.",
    )


class PathwayQueries(graphene.ObjectType):
    routes = graphene.List(
        graphene.NonNull(Route),
        required=True,
        from_organisation=graphene.ID(required=True),
        need=graphene.String(required=True, description="A tag code, e.g. school_non_attendance."),
        max_hops=graphene.Int(default_value=3, description=f"1 to {MAX_HOPS}."),
        description="The shortest chain of partnerships to each organisation that addresses "
        "the need (at most 50, nearest first). One Cypher round trip.",
    )

    @staticmethod
    def resolve_routes(
        root: Any, info: graphene.ResolveInfo, from_organisation: str, need: str, max_hops: int
    ) -> list[Route]:
        require_actor(info)
        try:
            found = services.routes(
                from_organisation=from_organisation, need=need, max_hops=max_hops
            )
        except ValidationFailed as failed:
            error = failed.errors[0]
            raise PublicError(error.code, error.message, field=error.field) from None
        return [
            Route(
                hops=row["hops"],
                organisations=[RouteOrganisation(**o) for o in row["organisations"]],
                services=[RouteService(**s) for s in row["services"]],
            )
            for row in found
        ]
