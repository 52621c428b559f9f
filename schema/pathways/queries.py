"""routes (partnership chains to a need), coverage (どこも / どこか for an area and its
sub-areas), flows (perturbed aggregates) and the network map."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.validation import enum_value
from referral_hub.pathways import services
from referral_hub.pathways.rules import MAX_HOPS
from schema.core.permissions import require_actor
from schema.directory.types import ServiceRef
from schema.pathways.types import (
    AreaRef,
    ConcernCell,
    ConcernGap,
    Coverage,
    FlowCell,
    FlowGroupBy,
    FlowParty,
    Flows,
    MapEdges,
    MapFlows,
    MapOrganisations,
    NetworkMap,
    Route,
    RouteOrganisation,
    SomewhereMonth,
    SubAreaCoverage,
    TagCoverage,
    TagPlaces,
)


def _columns(rows: list[dict[str, Any]], names: dict[str, str]) -> dict[str, list[Any]]:
    """Rows as columns: {column: [row[key] for each row]} for each column: key."""
    return {column: [row[key] for row in rows] for column, key in names.items()}


class PathwayQueries(graphene.ObjectType):
    network_map = graphene.Field(
        graphene.NonNull(NetworkMap),
        area=graphene.String(required=True, description="An area code within your own."),
        months=graphene.Int(
            default_value=12, description="Flows of the last 1 to 24 whole months, this one in."
        ),
        description="An area's organisations, partnerships and protected referral flows, for "
        "drawing the network, column-oriented. COORDINATOR and AUDITOR. One statement (after "
        "the caller's area).",
    )

    flows = graphene.Field(
        graphene.NonNull(Flows),
        area=graphene.String(required=True, description="An area code within your own."),
        since=graphene.Date(
            required=True, description="The first day of a month (Japan), inclusive."
        ),
        until=graphene.Date(
            required=True, description="The first day of a later month (Japan), exclusive."
        ),
        group_by=FlowGroupBy(
            default_value="ORGANISATION_KIND", description="What a cell's two ends are."
        ),
        description="Referral flows sent from or to organisations in the area, by whole "
        "months: perturbed counts, rates and median days to accept (cell-key method; cells "
        "under 5 after perturbation left out). COORDINATOR and AUDITOR.",
    )

    coverage = graphene.Field(
        graphene.NonNull(Coverage),
        area=graphene.String(required=True, description="An area code within your own."),
        months=graphene.Int(default_value=6, description="1 to 24."),
        description="Counts only, no personal data. COORDINATOR and AUDITOR. One round trip.",
    )

    routes = graphene.List(
        graphene.NonNull(Route),
        required=True,
        from_organisation=graphene.ID(
            required=True, description="The asking organisation, where routes start."
        ),
        need=graphene.String(required=True, description="A tag code, e.g. school_non_attendance."),
        max_hops=graphene.Int(default_value=3, description=f"1 to {MAX_HOPS}."),
        description="The shortest chain of partnerships to each organisation that addresses "
        "the need (at most 50, nearest first). One Cypher round trip.",
    )

    @staticmethod
    def resolve_flows(
        root: Any, info: graphene.ResolveInfo, area: str, since: Any, until: Any, group_by: Any
    ) -> Flows:
        found = services.flows(
            actor=require_actor(info),
            area=area,
            since=since,
            until=until,
            by_organisation=enum_value(group_by) == "ORGANISATION",
        )
        return Flows(
            cells=[
                FlowCell(
                    source=FlowParty(**cell["source"]),
                    target=FlowParty(**cell["target"]),
                    referrals=cell["referrals"],
                    acceptance_rate=cell["acceptance_rate"],
                    completion_rate=cell["completion_rate"],
                    median_days_to_accept=cell["median_days_to_accept"],
                )
                for cell in found["cells"]
            ],
            suppressed_cells=found["suppressed_cells"],
            shown_referrals=found["shown_referrals"],
            total_referrals=found["total_referrals"],
        )

    @staticmethod
    def resolve_network_map(
        root: Any, info: graphene.ResolveInfo, area: str, months: int
    ) -> NetworkMap:
        found = services.network_map(actor=require_actor(info), area=area, months=months)
        return NetworkMap(
            area=found["area"],
            since=found["since"],
            until=found["until"],
            organisations=MapOrganisations(
                **_columns(
                    found["organisations"],
                    {
                        "ids": "id",
                        "names": "name",
                        "kinds": "kind",
                        "area_codes": "area_code",
                        "latitudes": "latitude",
                        "longitudes": "longitude",
                        "modes": "modes",
                        "tags": "tags",
                    },
                )
            ),
            partnerships=MapEdges(
                **_columns(found["partnerships"], {"sources": "source", "targets": "target"})
            ),
            flows=MapFlows(
                **_columns(
                    found["flows"],
                    {"sources": "source", "targets": "target", "referrals": "referrals"},
                )
            ),
            suppressed_flows=found["suppressed_flows"],
        )

    @staticmethod
    def resolve_coverage(root: Any, info: graphene.ResolveInfo, area: str, months: int) -> Coverage:
        found = services.coverage(actor=require_actor(info), area=area, months=months)
        return Coverage(
            area=found["area"],
            months=found["months"],
            tags=[TagCoverage(**t) for t in found["tags"]],
            missing_tags=found["missing_tags"],
            empty_areas=[AreaRef(**a) for a in found["empty_areas"]],
            sub_areas=[
                SubAreaCoverage(
                    code=a["code"],
                    name=a["name"],
                    name_en=a["name_en"],
                    tags=[TagPlaces(**t) for t in a["tags"]],
                )
                for a in found["sub_areas"]
            ],
            unconnected_subjects=found["unconnected_subjects"],
            concerns=[ConcernCell(**c) for c in found["concerns"]],
            concern_gaps=[ConcernGap(**g) for g in found["concern_gaps"]],
            somewhere=[SomewhereMonth(**m) for m in found["somewhere"]],
        )

    @staticmethod
    def resolve_routes(
        root: Any, info: graphene.ResolveInfo, from_organisation: str, need: str, max_hops: int
    ) -> list[Route]:
        require_actor(info)
        found = services.routes(from_organisation=from_organisation, need=need, max_hops=max_hops)
        return [
            Route(
                hops=row["hops"],
                organisations=[RouteOrganisation(**o) for o in row["organisations"]],
                services=[ServiceRef(**s) for s in row["services"]],
            )
            for row in found
        ]
