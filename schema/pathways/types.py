"""What routes, coverage, flows and the network map answer with."""

from __future__ import annotations

import graphene

from schema.core.errors import domain_error
from schema.directory.enums import OrganisationKindEnum, TagKindEnum
from schema.directory.types import ServiceRef
from schema.pathways.enums import AgeBandEnum

PathwayError = domain_error("PathwayError", "murmurs (concern signals)")


class RouteOrganisation(graphene.ObjectType):
    """An organisation on a route of partnerships."""

    id = graphene.ID(required=True, description="The organisation's UUID.")
    name = graphene.String(required=True, description="Official name.")
    kind = graphene.Field(OrganisationKindEnum, required=True, description="Kind of organisation.")
    area_code = graphene.String(description="JIS X 0402 municipality code.")


class Route(graphene.ObjectType):
    """A chain of partnerships from the asking organisation to one that addresses the need."""

    hops = graphene.Int(required=True, description="Partnerships between the two ends.")
    organisations = graphene.List(
        graphene.NonNull(RouteOrganisation),
        required=True,
        description="From the asking organisation to the one that addresses the need.",
    )
    services = graphene.List(
        graphene.NonNull(ServiceRef),
        required=True,
        description="The last organisation's active services for the need.",
    )


class TagCoverage(graphene.ObjectType):
    """How well a tag is served in the area."""

    code = graphene.String(required=True, description="The tag's code.")
    kind = graphene.Field(TagKindEnum, required=True, description="What the tag describes.")
    label_ja = graphene.String(description="The tag's label in Japanese.")
    services = graphene.Int(required=True, description="Active services in the area.")
    places = graphene.Int(required=True, description="Distinct locations offering them.")


class AreaRef(graphene.ObjectType):
    """An area named by its code."""

    code = graphene.String(required=True, description="JIS X 0402 code.")
    name = graphene.String(required=True, description="Official name in Japanese.")


class TagPlaces(graphene.ObjectType):
    """How many places in a sub-area offer a tag."""

    code = graphene.String(required=True, description="The tag's code.")
    places = graphene.Int(required=True, description="Distinct locations, 1 or more.")


class SubAreaCoverage(graphene.ObjectType):
    """A direct sub-area of the area asked, with the tags its places offer."""

    code = graphene.String(required=True, description="JIS X 0402 code.")
    name = graphene.String(required=True, description="Official name in Japanese.")
    name_en = graphene.String(description="The name in rōmaji.")
    tags = graphene.List(
        graphene.NonNull(TagPlaces),
        required=True,
        description="Tags with at least one place in this sub-area; a tag not listed is a gap.",
    )


class ConcernSignal(graphene.ObjectType):
    """A murmur as stored: codes only, naming no one (docs/murmurs.md)."""

    id = graphene.ID(required=True, description="The signal's UUID.")
    need_tag = graphene.String(required=True, description="The NEED tag heard about.")
    area_code = graphene.String(required=True, description="Where (JIS code).")
    month = graphene.Date(required=True, description="The first day of the month.")
    age_band = graphene.Field(AgeBandEnum, required=True, description="The person's age band.")


class ConcernCell(graphene.ObjectType):
    """Murmurs about one need heard in one area in one month, beside the places there."""

    area_code = graphene.String(required=True, description="The signals' own area (JIS code).")
    area_name = graphene.String(required=True, description="Its name in Japanese.")
    area_name_en = graphene.String(description="Its name in rōmaji.")
    need = graphene.String(required=True, description="The NEED tag's code.")
    month = graphene.Date(required=True, description="The first day of the month.")
    heard = graphene.Int(
        description="How many times it was heard; null when 1 to 4 (hidden), 5 or more shown "
        "as it is (cells are fixed and disjoint: see docs/murmurs.md)."
    )
    places = graphene.Int(
        required=True,
        description="Active places (locations) in that area, or below it, addressing the need.",
    )


class ConcernGap(graphene.ObjectType):
    """Concerns heard about a need here, but no place for it: heard 5 times or more in the
    last 3 months (this one in) with no active place in the area addressing it."""

    area_code = graphene.String(required=True, description="The area (JIS code).")
    area_name = graphene.String(required=True, description="Its name in Japanese.")
    area_name_en = graphene.String(description="Its name in rōmaji.")
    need = graphene.String(required=True, description="The NEED tag's code.")


class SomewhereMonth(graphene.ObjectType):
    """どこか measured for one month: registered people living in the area at the month's end
    and whether they had at least one place (a connection completed in the 12 months before
    that end). Counts perturbed by the cell-key method, null when under 5 after that."""

    month = graphene.Date(required=True, description="The first day of the month.")
    registered = graphene.Int(description="Subjects registered and living in the area.")
    connected = graphene.Int(description="Of them, with at least one connection.")
    unconnected = graphene.Int(description="Of them, with none (a cell of its own).")
    share = graphene.Float(
        description="Published connected / published registered, to the nearest 10%; null unless "
        "both are shown."
    )


class Coverage(graphene.ObjectType):
    """Which needs an area's services meet and where the gaps are (counts only, no personal
    data)."""

    area = graphene.String(required=True, description="The area asked for.")
    months = graphene.Int(required=True, description="The period, in whole months.")
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
    concerns = graphene.List(
        graphene.NonNull(ConcernCell),
        required=True,
        description="Murmurs heard in the area in the last 12 months (this one in), by area × "
        "need × month, newest first, each beside the places addressing the need.",
    )
    concern_gaps = graphene.List(
        graphene.NonNull(ConcernGap),
        required=True,
        description="Needs heard 5 times or more in the last 3 months where no active place "
        "addresses them.",
    )
    somewhere = graphene.List(
        graphene.NonNull(SomewhereMonth),
        required=True,
        description="どこか measured: the last 12 months, oldest first.",
    )


class FlowGroupBy(graphene.Enum):
    """What a flow cell's two ends are."""

    ORGANISATION_KIND = "ORGANISATION_KIND"
    ORGANISATION = "ORGANISATION"

    @property
    def description(self) -> str:
        return {
            "ORGANISATION_KIND": "Kinds of organisation (school to NPO, …).",
            "ORGANISATION": "Single organisations, named.",
        }[self.name]


class FlowParty(graphene.ObjectType):
    """One end of a flow cell: an organisation or a kind of organisation."""

    id = graphene.ID(description="With groupBy ORGANISATION.")
    name = graphene.String(description="With groupBy ORGANISATION.")
    kind = graphene.Field(
        OrganisationKindEnum, required=True, description="The kind (with either groupBy)."
    )


class FlowCell(graphene.ObjectType):
    """Referrals from one party to another in the period."""

    source = graphene.Field(FlowParty, required=True, description="The sending side.")
    target = graphene.Field(FlowParty, required=True, description="The receiving side.")
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
    """Referral flows of an area, protected by the cell-key method (see docs/pathways.md)."""

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
def _strings(description: str) -> graphene.List:
    return graphene.List(graphene.NonNull(graphene.String), required=True, description=description)


class MapOrganisations(graphene.ObjectType):
    """The area's organisations as columns: the i-th entry of each list is the i-th one."""

    ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="Their UUIDs.")
    names = _strings("Their names.")
    kinds = _strings("Their kinds (OrganisationKind values).")
    area_codes = graphene.List(
        graphene.String, required=True, description="Their JIS X 0402 municipality codes."
    )
    latitudes = graphene.List(
        graphene.Float,
        required=True,
        description="The mean of each one's located places; null without one.",
    )
    longitudes = graphene.List(
        graphene.Float, required=True, description="The mean longitude, as latitudes."
    )
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
    """Edges as columns: the i-th source and i-th target are one edge."""

    sources = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="One end of each partnership."
    )
    targets = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="The other end."
    )


class MapFlows(graphene.ObjectType):
    """Protected referral flows as columns."""

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
    """An area's network for drawing: organisations, partnerships and flows, column-oriented."""

    area = graphene.String(required=True, description="The area asked for.")
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
