"""routes (partnership chains to a need), coverage (どこも / どこか for an area and its
sub-areas) and flows (perturbed aggregates)."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.validation import enum_value
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


class TagCoverage(graphene.ObjectType):
    code = graphene.String(required=True)
    kind = graphene.String(required=True)
    label_ja = graphene.String()
    services = graphene.Int(required=True, description="Active services in the area.")
    places = graphene.Int(required=True, description="Distinct locations offering them.")


class AreaRef(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)


class TagPlaces(graphene.ObjectType):
    code = graphene.String(required=True)
    places = graphene.Int(required=True, description="Distinct locations, 1 or more.")


class SubAreaCoverage(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    name_en = graphene.String()
    tags = graphene.List(
        graphene.NonNull(TagPlaces),
        required=True,
        description="Tags with at least one place in this sub-area; a tag not listed is a gap.",
    )


class Coverage(graphene.ObjectType):
    area = graphene.String(required=True)
    months = graphene.Int(required=True)
    tags = graphene.List(
        graphene.NonNull(TagCoverage), required=True, description="どこも: tags with services."
    )
    missing_tags = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="どこか: tags no service in the area addresses.",
    )
    empty_areas = graphene.List(
        graphene.NonNull(AreaRef),
        required=True,
        description="Direct sub-areas without any active service.",
    )
    sub_areas = graphene.List(
        graphene.NonNull(SubAreaCoverage),
        required=True,
        description="The area × tag table: places per tag in each direct sub-area (public "
        "directory data, shown whole).",
    )
    unconnected_subjects = graphene.Int(
        description="Subjects living in the area with no referral accepted in the last "
        "`months` months, perturbed by the cell-key method (within 3 of the truth); null "
        "when under 5 after that."
    )


class FlowGroupBy(graphene.Enum):
    ORGANISATION_KIND = "ORGANISATION_KIND"
    ORGANISATION = "ORGANISATION"


class FlowParty(graphene.ObjectType):
    id = graphene.ID(description="With groupBy ORGANISATION.")
    name = graphene.String(description="With groupBy ORGANISATION.")
    kind = graphene.String(required=True)


class FlowCell(graphene.ObjectType):
    source = graphene.Field(FlowParty, required=True)
    target = graphene.Field(FlowParty, required=True)
    referrals = graphene.Int(required=True, description="Perturbed: within 3 of the truth.")
    acceptance_rate = graphene.Float(
        description="Perturbed accepted / perturbed decided, to the nearest 10%; null unless "
        "both are 5 or more."
    )
    completion_rate = graphene.Float(
        description="Perturbed completed / perturbed accepted, to the nearest 10%."
    )
    median_days_to_accept = graphene.Float(description="Whole days; null under 5 accepted.")


class Flows(graphene.ObjectType):
    cells = graphene.List(
        graphene.NonNull(FlowCell),
        required=True,
        description="Cells whose perturbed count is 5 or more (see README: disclosure control).",
    )
    suppressed_cells = graphene.Int(
        required=True, description="Cells under 5 after perturbation, left out whole."
    )
    shown_referrals = graphene.Int(
        required=True, description="The sum of the perturbed counts of the cells shown."
    )
    total_referrals = graphene.Int(
        description="All referrals of the question, perturbed as a cell of its own (not a sum "
        "of cells); null when under 5 after perturbation."
    )


# The network map is column-oriented: the i-th entry of every list of `MapOrganisations`
# describes the i-th organisation (and likewise for edges and flows). A map holds
# thousands of organisations, and completing each as an object of eight fields costs
# graphene about 8 µs a field — most of the request; a column is completed as plain
# values. The drawing library wants arrays anyway.
_STRINGS = graphene.List(graphene.NonNull(graphene.String), required=True)


class MapOrganisations(graphene.ObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    names = _STRINGS
    kinds = _STRINGS
    area_codes = graphene.List(graphene.String, required=True)
    latitudes = graphene.List(
        graphene.Float,
        required=True,
        description="The mean of each one's located places; null without one.",
    )
    longitudes = graphene.List(graphene.Float, required=True)
    modes = graphene.List(
        graphene.NonNull(graphene.List(graphene.NonNull(graphene.String))),
        required=True,
        description="EXCHANGE, SUPPORT or both: the modes of each one's active services.",
    )
    tags = graphene.List(
        graphene.NonNull(graphene.List(graphene.NonNull(graphene.String))),
        required=True,
        description="The tags each one's active services address.",
    )


class MapEdges(graphene.ObjectType):
    sources = graphene.List(graphene.NonNull(graphene.ID), required=True)
    targets = graphene.List(graphene.NonNull(graphene.ID), required=True)


class MapFlows(graphene.ObjectType):
    sources = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="The sending organisations."
    )
    targets = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="The receiving ones."
    )
    referrals = graphene.List(
        graphene.NonNull(graphene.Int),
        required=True,
        description="Perturbed: within 3 of the truth.",
    )


class NetworkMap(graphene.ObjectType):
    area = graphene.String(required=True)
    since = graphene.Date(required=True, description="The first day of the period's first month.")
    until = graphene.Date(required=True, description="The first day after its last month.")
    organisations = graphene.Field(
        MapOrganisations,
        required=True,
        description="The area's active organisations, by kind then name (column-oriented).",
    )
    partnerships = graphene.Field(
        MapEdges, required=True, description="Partnerships with both ends in the area."
    )
    flows = graphene.Field(
        MapFlows,
        required=True,
        description="Referrals between two organisations of the area in the period whose "
        "perturbed count is 5 or more (the cells `flows` publishes by organisation).",
    )
    suppressed_flows = graphene.Int(
        required=True, description="Flows under 5 after perturbation, left out whole."
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
        group_by=FlowGroupBy(default_value="ORGANISATION_KIND"),
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
        from_organisation=graphene.ID(required=True),
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
                services=[RouteService(**s) for s in row["services"]],
            )
            for row in found
        ]
