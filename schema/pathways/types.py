"""What routes, coverage, flows and the network map answer with."""

from __future__ import annotations

import graphene


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
        description="Cells whose perturbed count is 5 or more "
        "(see docs/pathways.md: disclosure control).",
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
