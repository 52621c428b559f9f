from __future__ import annotations

import uuid
from functools import partial
from typing import Any, overload

import graphene

from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.core.validation import enum_value
from referral_hub.directory import opportunity_services, selectors
from referral_hub.directory.rules import (
    CapacityStatus,
    OrganisationFilter,
    OrganisationKind,
    ServiceFilter,
    ServiceMode,
    checked_area_code,
    checked_tags,
    near_from,
)
from schema.core.node import NodeKind
from schema.core.pagination import connection_from, page_request
from schema.core.selection import Selection, selection_of
from schema.directory.enums import OrganisationSortEnum, ServiceSortEnum, TagKindEnum
from schema.directory.inputs import NearInput, OrganisationFilterInput, ServiceFilterInput
from schema.directory.types import (
    AreaWithParent,
    Location,
    Opportunity,
    OpportunityConnection,
    Organisation,
    OrganisationConnection,
    Service,
    ServiceConnection,
    Tag,
)


# A given id stays given (a required `id` argument gives a str), and an absent one absent.
@overload
def _uuid(value: str, field: str) -> str: ...
@overload
def _uuid(value: None, field: str) -> None: ...
@overload
def _uuid(value: str | None, field: str) -> str | None: ...
def _uuid(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise PublicError(ErrorCode.INVALID, f"{field} is not a UUID.", field=field) from None


def _service_filter(data: dict[str, Any]) -> ServiceFilter:
    age = data.get("age")
    if age is not None and not 0 <= age <= 120:
        raise PublicError(ErrorCode.OUT_OF_RANGE, "age must be between 0 and 120.", field="age")
    return ServiceFilter(
        area_code=checked_area_code(data.get("area_code")),
        tags_any=checked_tags(data.get("tags_any"), field="tagsAny"),
        tags_all=checked_tags(data.get("tags_all"), field="tagsAll"),
        mode=ServiceMode(enum_value(data["mode"])) if data.get("mode") else None,
        accepts_referrals=data.get("accepts_referrals"),
        capacity_statuses=tuple(
            CapacityStatus(enum_value(s)) for s in data.get("capacity_status") or ()
        ),
        organisation_kinds=tuple(
            OrganisationKind(enum_value(k)) for k in data.get("organisation_kind") or ()
        ),
        organisation_id=_uuid(data.get("organisation_id"), "organisationId"),
        age=age,
        search=data.get("search"),
        near=near_from(data.get("near")),
    )


def _organisation_filter(data: dict[str, Any]) -> OrganisationFilter:
    return OrganisationFilter(
        kinds=tuple(OrganisationKind(enum_value(k)) for k in data.get("kind") or ()),
        area_code=checked_area_code(data.get("area_code")),
        search=data.get("search"),
        partner_of=_uuid(data.get("partner_of"), "partnerOf"),
    )


# The neighbours each record's statement reads are the ones the selection shows; a part
# nobody selected stays null in the record and is never resolved.
def _organisation_parts(selection: Selection) -> selectors.OrganisationParts:
    return selectors.OrganisationParts(
        area=selection.has("area"),
        services=selection.has("services"),
        service_tags=selection.has("services", "tags"),
        locations=selection.has("locations"),
        partners=selection.has("partners"),
    )


def _service_parts(selection: Selection) -> selectors.ServiceParts:
    return selectors.ServiceParts(
        organisation=selection.has("organisation"),
        locations=selection.has("locations"),
        location_areas=selection.has("locations", "area"),
        tags=selection.has("tags"),
    )


def _connection(
    connection_type: type[graphene.relay.Connection],
    select: Any,
    make_filter: Any,
    sort: Any = "NAME",
    filter: dict | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Any:
    """One keyset page of a directory list: check the arguments, run one statement, wrap it."""
    sort = enum_value(sort) or "NAME"
    request = page_request(first, after, sort=sort)
    page = select(criteria=make_filter(filter or {}), sort=sort, page=request)
    return connection_from(connection_type, page, request=request, sort=sort)


# The directory's Node kinds: each fetched by the statement behind its own lookup, all the
# ids of a kind at once (schema/core/node.py).
NODE_KINDS = (
    NodeKind(
        "Organisation",
        "organisation",
        lambda info, ids: selectors.organisations_by_ids(
            ids, parts=_organisation_parts(selection_of(info, as_type="Organisation"))
        ),
    ),
    NodeKind(
        "Service",
        "service",
        lambda info, ids: selectors.services_by_ids(
            ids, parts=_service_parts(selection_of(info, as_type="Service"))
        ),
    ),
    NodeKind("Location", "location", lambda info, ids: selectors.locations_by_ids(ids)),
    NodeKind(
        "Opportunity",
        "opportunity",
        lambda info, ids: opportunity_services.opportunities_by_ids(ids),
    ),
)


class DirectoryQueries(graphene.ObjectType):
    organisation = graphene.Field(
        Organisation,
        id=graphene.ID(required=True, description="The organisation's UUID."),
        description="One organisation (active or not); null if there is none.",
    )
    organisations = graphene.Field(
        graphene.NonNull(OrganisationConnection),
        filter=OrganisationFilterInput(description="Which organisations."),
        sort=OrganisationSortEnum(default_value="NAME", description="The order."),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description="Active organisations; filters compose (all must hold).",
    )
    service = graphene.Field(
        Service,
        id=graphene.ID(required=True, description="The service's UUID."),
        description="One service (active or not); null if there is none.",
    )
    services = graphene.Field(
        graphene.NonNull(ServiceConnection),
        filter=ServiceFilterInput(description="Which services."),
        sort=ServiceSortEnum(default_value="NAME", description="The order."),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description="Directory search over active services; filters compose (all must hold).",
    )
    location = graphene.Field(
        Location,
        id=graphene.ID(required=True, description="The location's UUID."),
        description="One location (active or not); null if there is none.",
    )
    opportunity = graphene.Field(
        Opportunity,
        id=graphene.ID(required=True, description="The opportunity's UUID."),
        description="One opportunity (active or archived); null if there is none.",
    )
    opportunities = graphene.Field(
        graphene.NonNull(OpportunityConnection),
        interest_tags=graphene.List(
            graphene.NonNull(graphene.String),
            description="INTEREST tag codes: opportunities that suit at least one.",
        ),
        area_code=graphene.String(description="JIS code; includes the areas below it."),
        near=NearInput(description="Only opportunities at a location in this circle."),
        organisation_id=graphene.ID(description="Only this organisation's opportunities."),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description="Active opportunities (roles a person can take up), nearest first with "
        "near, else by title; filters compose. One Cypher round trip.",
    )
    tags = graphene.List(
        graphene.NonNull(Tag),
        required=True,
        kind=TagKindEnum(description="Only tags of this kind."),
        description="The hub's taxonomy: needs, interests and populations.",
    )
    areas = graphene.List(
        graphene.NonNull(AreaWithParent),
        required=True,
        parent_code=graphene.String(description="A JIS X 0402 code; absent: prefectures."),
        description="Prefectures, or the areas directly below parentCode.",
    )
    area = graphene.Field(
        AreaWithParent,
        code=graphene.String(required=True, description="A JIS X 0402 code."),
        description="One area by its code; null if there is none.",
    )

    @staticmethod
    def resolve_organisation(root: Any, info: graphene.ResolveInfo, id: str) -> dict | None:
        key = _uuid(id, "id")
        return selectors.organisation(key, parts=_organisation_parts(selection_of(info)))

    @staticmethod
    def resolve_organisations(root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        # A page whose nodes nobody selected (pageInfo alone) reads no neighbours at all.
        parts = _organisation_parts(selection_of(info).at("edges", "node") or Selection())
        select = partial(selectors.organisation_list, parts=parts)
        return _connection(OrganisationConnection, select, _organisation_filter, **arguments)

    @staticmethod
    def resolve_service(root: Any, info: graphene.ResolveInfo, id: str) -> dict | None:
        key = _uuid(id, "id")
        return selectors.service(key, parts=_service_parts(selection_of(info)))

    @staticmethod
    def resolve_services(root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        parts = _service_parts(selection_of(info).at("edges", "node") or Selection())
        select = partial(selectors.service_search, parts=parts)
        return _connection(ServiceConnection, select, _service_filter, **arguments)

    @staticmethod
    def resolve_location(root: Any, info: graphene.ResolveInfo, id: str) -> dict | None:
        key = _uuid(id, "id")
        return selectors.location(key)

    @staticmethod
    def resolve_opportunity(root: Any, info: graphene.ResolveInfo, id: str) -> dict | None:
        return opportunity_services.opportunity(_uuid(id, "id"))

    @staticmethod
    def resolve_opportunities(
        root: Any,
        info: graphene.ResolveInfo,
        interest_tags: list[str] | None = None,
        area_code: str | None = None,
        near: Any = None,
        organisation_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Any:
        point = near_from(None if near is None else dict(near))
        # The cursor names its order, so a page of one order never continues another.
        sort = "NAME" if point is None else "DISTANCE"
        request = page_request(first, after, sort=sort)
        page = opportunity_services.opportunity_list(
            page=request,
            interest_tags=checked_tags(interest_tags, field="interestTags"),
            area_code=checked_area_code(area_code),
            near=point,
            organisation_id=_uuid(organisation_id, "organisationId"),
        )
        return connection_from(OpportunityConnection, page, request=request, sort=sort)

    @staticmethod
    def resolve_tags(root: Any, info: graphene.ResolveInfo, kind: Any = None) -> list[dict]:
        return selectors.tags(kind=enum_value(kind))

    @staticmethod
    def resolve_areas(
        root: Any, info: graphene.ResolveInfo, parent_code: str | None = None
    ) -> list[dict]:
        return selectors.areas(parent_code=checked_area_code(parent_code, field="parentCode"))

    @staticmethod
    def resolve_area(root: Any, info: graphene.ResolveInfo, code: str) -> dict | None:
        return selectors.area(checked_area_code(code, field="code") or "")
