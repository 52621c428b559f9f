"""The public place finder's part of the API: `publicPlaces`, `publicOpportunities` and
`publicFinderChoices`, callable with no sign-in (schema/permissions.py: PUBLIC).

Its types are its own and hold public directory data only — names, descriptions,
schedules, addresses, interest tags — never an id of a person, a member, a capacity
figure or a statistics band; tests/directory/test_public_finder_api.py holds every field
to an allowlist. Anonymous callers are counted once per HTTP request by their address.
"""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.accounts.authentication import limit_key
from referral_hub.core.paging import Page
from referral_hub.directory import finder, public_finder
from schema.core.pagination import connection, decode_cursor
from schema.core.permissions import current_actor
from schema.directory.enums import OrganisationKindEnum


class PublicInterestTag(graphene.ObjectType):
    """Something a person likes doing (a tag of kind INTEREST)."""

    code = graphene.String(required=True, description="Stable code, e.g. cooking.")
    label_ja = graphene.String(required=True, description="Label in Japanese, e.g. 料理.")
    label_en = graphene.String(required=True, description="Label in English.")


class PublicArea(graphene.ObjectType):
    """An area that holds places or opportunities, as the search form offers it."""

    code = graphene.String(required=True, description="JIS X 0402 code (six digits).")
    name = graphene.String(required=True, description="Official name in Japanese.")
    name_en = graphene.String(description="The name in rōmaji.")
    prefecture_name = graphene.String(required=True, description="Its prefecture, in Japanese.")
    office_latitude = graphene.Float(
        description="Latitude of the municipal office: a centre for a search by distance."
    )
    office_longitude = graphene.Float(description="Longitude of the municipal office.")

    @staticmethod
    def resolve_office_latitude(root: dict, info: graphene.ResolveInfo) -> float | None:
        return None if root["office"] is None else root["office"][0]

    @staticmethod
    def resolve_office_longitude(root: dict, info: graphene.ResolveInfo) -> float | None:
        return None if root["office"] is None else root["office"][1]


class PublicFinderChoices(graphene.ObjectType):
    """What a search may ask for."""

    interest_tags = graphene.List(
        graphene.NonNull(PublicInterestTag), required=True, description="Every interest tag."
    )
    place_areas = graphene.List(
        graphene.NonNull(PublicArea), required=True, description="Areas with open places."
    )
    opportunity_areas = graphene.List(
        graphene.NonNull(PublicArea), required=True, description="Areas with opportunities."
    )


def _area_name(root: dict, language: str) -> str | None:
    area = root.get("area") or {}
    return area.get(language)


class PublicWhere:
    """Where something happens: the public address of a location and its area."""

    organisation_name = graphene.String(required=True, description="Who runs it.")
    organisation_kind = graphene.Field(
        OrganisationKindEnum, required=True, description="What kind of organisation that is."
    )
    location_name = graphene.String(description="The place's name, e.g. 公民館 2F.")
    address = graphene.String(description="Street address in Japanese, below the municipality.")
    postal_code = graphene.String(description="Japanese postal code, e.g. 154-0017.")
    area_code = graphene.String(description="JIS X 0402 municipality code.")
    area_name = graphene.String(description="The municipality, in Japanese.")
    area_name_en = graphene.String(description="The municipality, in rōmaji.")
    latitude = graphene.Float(description="WGS 84 latitude of the place; null when unknown.")
    longitude = graphene.Float(description="WGS 84 longitude of the place; null when unknown.")
    distance_km = graphene.Float(description="Distance from the centre of `near` (with near).")
    interest_tags = graphene.List(
        graphene.NonNull(PublicInterestTag),
        required=True,
        description="The interests it offers something for.",
    )

    @staticmethod
    def resolve_area_name(root: dict, info: graphene.ResolveInfo) -> str | None:
        return _area_name(root, "name")

    @staticmethod
    def resolve_area_name_en(root: dict, info: graphene.ResolveInfo) -> str | None:
        return _area_name(root, "name_en")


class PublicPlace(PublicWhere, graphene.ObjectType):
    """An open exchange-type place (交流型): an active service at one of its locations."""

    name = graphene.String(required=True, description="The service's name.")
    description = graphene.String(description="What it offers, in the provider's words.")
    schedule = graphene.String(description="When it is open, e.g. 毎週水曜 17:00-19:00.")
    age_min = graphene.Int(description="Youngest age welcome; null: no lower limit.")
    age_max = graphene.Int(description="Oldest age welcome; null: no upper limit.")
    languages = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Languages spoken."
    )
    website = graphene.String(description="The organisation's public web site.")
    phone = graphene.String(description="The organisation's public telephone number.")


class PublicOpportunity(PublicWhere, graphene.ObjectType):
    """Something a person can do at a place (a role): help, read, teach."""

    title = graphene.String(required=True, description="What one does, e.g. 絵本の読み聞かせ.")
    description = graphene.String(description="More about it, in the organisation's words.")
    schedule = graphene.String(description="When, e.g. 第2土曜 10:00-11:00.")
    age_min = graphene.Int(description="Youngest age welcome; null: no lower limit.")
    age_max = graphene.Int(description="Oldest age welcome; null: no upper limit.")


class PublicPlaceConnection(graphene.relay.Connection):
    """A page of open places."""

    class Meta:
        node = PublicPlace


class PublicOpportunityConnection(graphene.relay.Connection):
    """A page of opportunities."""

    class Meta:
        node = PublicOpportunity


class PublicNearInput(graphene.InputObjectType):
    """A circle on the map: a point (WGS 84) and a radius."""

    latitude = graphene.Float(required=True, description="Latitude, -90 to 90.")
    longitude = graphene.Float(required=True, description="Longitude, -180 to 180.")
    km = graphene.Float(
        required=True, description=f"Radius in km, more than 0 and at most {finder.NEAR_KM_MAX:g}."
    )


def _admit(info: graphene.ResolveInfo) -> None:
    """An anonymous caller's request counts once against its address, whatever number of
    public fields it asks for (a page runs two)."""
    request = info.context
    if getattr(request, "_public_finder_admitted", False):
        return
    # Signed in means an actor the hub resolved: a bearer header alone proves nothing (a bad
    # token is refused here as UNAUTHENTICATED and counts against the failed-token limit).
    if current_actor(info) is None:
        public_finder.admit(limit_key(request))
    request._public_finder_admitted = True


def _search_arguments() -> dict[str, Any]:
    return {
        "interest_tags": graphene.List(
            graphene.NonNull(graphene.String),
            description="Interest tag codes; something for any of them (at most 20).",
        ),
        "area_code": graphene.String(description="JIS code; includes the areas below it."),
        "near": PublicNearInput(description="Within this circle, nearest first (not with area)."),
        "first": graphene.Int(
            description=f"Page size, 1 to {finder.PAGE_MAX} (default {finder.PAGE_DEFAULT})."
        ),
        "after": graphene.String(description="endCursor of the previous page."),
    }


def _page(
    info: graphene.ResolveInfo,
    connection_type: type[graphene.relay.Connection],
    search: Any,
    arguments: dict[str, Any],
) -> Any:
    _admit(info)
    criteria = finder.criteria_from(
        interest_tags=arguments.get("interest_tags"),
        area_code=arguments.get("area_code"),
        near=arguments.get("near"),
    )
    first = finder.page_size(arguments.get("first"))
    sort = finder.sort_of(criteria)
    cursor = arguments.get("after")
    page: Page = search(
        criteria, first=first, after=decode_cursor(cursor, sort=sort), cursor=cursor
    )
    return connection(
        connection_type,
        page.items,
        has_next=page.has_next,
        had_cursor=cursor is not None,
        key=lambda item: [sort, item["sort_key"], item["key"]],
    )


class PublicFinderQueries(graphene.ObjectType):
    public_places = graphene.Field(
        graphene.NonNull(PublicPlaceConnection),
        **_search_arguments(),
        description="Open exchange-type places, for anyone (no sign-in); by name, or "
        "nearest first with near.",
    )
    public_opportunities = graphene.Field(
        graphene.NonNull(PublicOpportunityConnection),
        **_search_arguments(),
        description="Things a person can do at a place, for anyone (no sign-in); by "
        "title, or nearest first with near.",
    )
    public_finder_choices = graphene.Field(
        graphene.NonNull(PublicFinderChoices),
        description="The interest tags and areas a public search can ask for.",
    )

    @staticmethod
    def resolve_public_places(root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        return _page(info, PublicPlaceConnection, public_finder.places, arguments)

    @staticmethod
    def resolve_public_opportunities(
        root: Any, info: graphene.ResolveInfo, **arguments: Any
    ) -> Any:
        return _page(info, PublicOpportunityConnection, public_finder.opportunities, arguments)

    @staticmethod
    def resolve_public_finder_choices(root: Any, info: graphene.ResolveInfo) -> dict:
        _admit(info)
        return public_finder.choices()
