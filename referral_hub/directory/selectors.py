"""Directory reads: turn validated filter arguments into repository criteria and run them.

Reads of organisations and services take the parts of the record the caller will show
(OrganisationParts, ServiceParts: graph/projections.py's types, named here so the API
layer need not reach into graph/); the default is every part, so a caller that says
nothing sees the whole record.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from threading import Lock
from typing import Any

from graph import location_repo, organisation_repo, service_repo, tag_repo
from graph.listing import Page, PageRequest
from graph.projections import (
    ALL_ORGANISATION_PARTS,
    ALL_SERVICE_PARTS,
    OrganisationParts,
    ServiceParts,
)
from referral_hub.core.errors import ErrorCode, FieldError, ValidationFailed
from referral_hub.directory import reference_data
from referral_hub.directory.rules import (
    OrganisationFilter,
    ServiceFilter,
    check_sort,
    fulltext_query,
)


class _TagCodes:
    """Known tag codes, cached per process so a search costs no extra round trip.

    Tags change rarely (reference sync, HSDS import); an unknown code refreshes the
    cache once before it is refused, so a new tag is seen at once.
    """

    ttl_seconds = 300.0

    def __init__(self) -> None:
        self._codes: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")
        self._lock = Lock()

    def forget(self) -> None:
        with self._lock:
            self._codes, self._loaded_at = frozenset(), float("-inf")

    def unknown(self, codes: Sequence[str]) -> list[str]:
        stale = time.monotonic() - self._loaded_at > self.ttl_seconds
        if stale or not set(codes) <= self._codes:
            with self._lock:
                self._codes = frozenset(tag_repo.tag_codes())
                self._loaded_at = time.monotonic()
        return [code for code in codes if code not in self._codes]


known_tags = _TagCodes()


def area_error(code: str | None, *, field: str = "areaCode") -> FieldError | None:
    """The one check that a code names an area the hub knows, and its one message."""
    if code is None or code in reference_data.known_area_codes():
        return None
    return FieldError(field, ErrorCode.UNKNOWN_AREA, f"{field} {code} is not an area.")


def require_area(code: str | None, *, field: str = "areaCode") -> None:
    if error := area_error(code, field=field):
        raise ValidationFailed([error])


def require_tags(codes: Sequence[str], *, field: str) -> None:
    """The one check that tag codes are the hub's, and its one message."""
    unknown = known_tags.unknown(codes)
    if unknown:
        message = f"{field}: unknown tag(s) {', '.join(unknown)}."
        raise ValidationFailed.one(field, ErrorCode.UNKNOWN_TAG, message)


def area_codes_for(code: str | None) -> list[str] | None:
    if code is None:
        return None
    require_area(code)
    return reference_data.area_codes_within(code)


def service_search(
    *,
    criteria: ServiceFilter,
    sort: str,
    page: PageRequest,
    parts: ServiceParts = ALL_SERVICE_PARTS,
) -> Page:
    check_sort(sort, has_near=criteria.near is not None, has_search=bool(criteria.search))
    require_tags(criteria.tags_all, field="tagsAll")
    require_tags(criteria.tags_any, field="tagsAny")
    near = criteria.near
    return service_repo.service_search(
        page=page,
        sort=sort,
        search=fulltext_query(criteria.search),
        near=(near.latitude, near.longitude, near.km) if near else None,
        area_codes=area_codes_for(criteria.area_code),
        tags_all=criteria.tags_all,
        tags_any=criteria.tags_any,
        mode=criteria.mode.value if criteria.mode else None,
        accepts_referrals=criteria.accepts_referrals,
        capacity_statuses=[s.value for s in criteria.capacity_statuses],
        organisation_kinds=[k.value for k in criteria.organisation_kinds],
        organisation_id=criteria.organisation_id,
        age=criteria.age,
        parts=parts,
    )


def organisation_list(
    *,
    criteria: OrganisationFilter,
    sort: str,
    page: PageRequest,
    parts: OrganisationParts = ALL_ORGANISATION_PARTS,
) -> Page:
    check_sort(sort, has_near=False, has_search=bool(criteria.search))
    return organisation_repo.organisation_list(
        page=page,
        sort=sort,
        search=fulltext_query(criteria.search),
        kinds=[k.value for k in criteria.kinds],
        area_codes=area_codes_for(criteria.area_code),
        partner_of=criteria.partner_of,
        parts=parts,
    )


def tags(*, kind: str | None = None) -> list[dict[str, Any]]:
    return tag_repo.tag_list(kind=kind)


def _area(row: reference_data.AreaRow) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "name_kana": row.name_kana,
        "name_en": row.name_en,
        "kind": row.kind.value,
        "prefecture_code": row.prefecture_code,
        "parent_code": row.parent_code,
    }


def areas(*, parent_code: str | None) -> list[dict[str, Any]]:
    """Prefectures when no parent is given, else the areas directly below it (shipped data)."""
    return [_area(row) for row in reference_data.area_rows()[0] if row.parent_code == parent_code]


def area(code: str) -> dict[str, Any] | None:
    return next((_area(row) for row in reference_data.area_rows()[0] if row.code == code), None)


def organisation(
    organisation_id: str, *, parts: OrganisationParts = ALL_ORGANISATION_PARTS
) -> dict[str, Any] | None:
    """One organisation as the API shows it (projections.py), or None."""
    return organisation_repo.organisations_by_ids([organisation_id], parts=parts).get(
        organisation_id
    )


def service(service_id: str, *, parts: ServiceParts = ALL_SERVICE_PARTS) -> dict[str, Any] | None:
    return service_repo.services_by_ids([service_id], parts=parts).get(service_id)


def location(location_id: str) -> dict[str, Any] | None:
    return location_repo.locations_by_ids([location_id]).get(location_id)


def organisations_by_ids(
    ids: list[str], *, parts: OrganisationParts = ALL_ORGANISATION_PARTS
) -> dict[str, dict[str, Any]]:
    """Several organisations as organisation() shows each, in one statement (nodes)."""
    return organisation_repo.organisations_by_ids(ids, parts=parts)


def services_by_ids(
    ids: list[str], *, parts: ServiceParts = ALL_SERVICE_PARTS
) -> dict[str, dict[str, Any]]:
    """Several services as service() shows each, in one statement (nodes)."""
    return service_repo.services_by_ids(ids, parts=parts)


def locations_by_ids(ids: list[str]) -> dict[str, dict[str, Any]]:
    """Several locations as location() shows each, in one statement (nodes)."""
    return location_repo.locations_by_ids(ids)
