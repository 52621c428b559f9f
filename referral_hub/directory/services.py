"""Directory actions: validate with the pure rules, then write through the graph repositories.

Each function is keyword-only and named <entity>_<action>. Validation errors and
references to unknown nodes come back as ValidationFailed, and nothing is written.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from graph import locations as location_repo
from graph import organisations as organisation_repo
from graph import services as service_repo
from graph.errors import MissingReferences, NotFound
from referral_hub.core.errors import ErrorCode, FieldError, ValidationFailed
from referral_hub.directory import reference_data
from referral_hub.directory.rules import (
    CapacityStatus,
    clean_location,
    clean_organisation,
    clean_service,
)

_CODE_FOR_FIELD = {
    "organisationId": ErrorCode.UNKNOWN_ORGANISATION,
    "partnerId": ErrorCode.UNKNOWN_ORGANISATION,
    "tagCodes": ErrorCode.UNKNOWN_TAG,
    "locationIds": ErrorCode.UNKNOWN_LOCATION,
}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        _CAMEL.sub("_", key).lower(): getattr(value, "value", value)
        for key, value in values.items()
    }


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _known_area(values: Mapping[str, Any]) -> list[FieldError]:
    code = values.get("areaCode")
    if code and code not in reference_data.known_area_codes():
        return [
            FieldError("areaCode", ErrorCode.UNKNOWN_AREA, f"areaCode {code} is not a known area.")
        ]
    return []


def _checked_id(value: Any, field: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationFailed(
            [FieldError(field, ErrorCode.INVALID, f"{field} is not a UUID.")]
        ) from None


@contextmanager
def _graph_references(entity_field: str = "id") -> Iterator[None]:
    """Turn the repositories' missing-node errors into field errors (the write rolled back)."""
    try:
        yield
    except MissingReferences as exc:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    _CODE_FOR_FIELD.get(field, ErrorCode.NOT_FOUND),
                    f"{field}: not found: {', '.join(ids)}.",
                )
                for field, ids in exc.missing.items()
            ]
        ) from exc
    except NotFound as exc:
        raise ValidationFailed(
            [FieldError(entity_field, ErrorCode.NOT_FOUND, f"{entity_field}: no such record.")]
        ) from exc


# --- organisations ------------------------------------------------------------------------


def organisation_create(*, data: Mapping[str, Any]) -> dict[str, Any]:
    values, errors = clean_organisation(data)
    _raise_if(errors + _known_area(values))
    return organisation_repo.organisation_create(
        organisation_id=str(uuid.uuid4()), fields=_snake(values)
    )


def organisation_update(*, organisation_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    key = _checked_id(organisation_id, "id")
    values, errors = clean_organisation(data, partial=True)
    _raise_if(errors + _known_area(values))
    with _graph_references():
        return organisation_repo.organisation_update(organisation_id=key, fields=_snake(values))


def organisation_deactivate(*, organisation_id: str) -> dict[str, Any]:
    key = _checked_id(organisation_id, "id")
    with _graph_references():
        return organisation_repo.organisation_update(organisation_id=key, fields={"active": False})


def partnership_add(
    *, organisation_id: str, partner_id: str, since: str | None = None, shares_data: bool = False
) -> None:
    a = _checked_id(organisation_id, "organisationId")
    b = _checked_id(partner_id, "partnerId")
    if a == b:
        raise ValidationFailed(
            [
                FieldError(
                    "partnerId",
                    ErrorCode.SELF_PARTNERSHIP,
                    "An organisation cannot partner with itself.",
                )
            ]
        )
    with _graph_references():
        organisation_repo.partnership_add(
            organisation_id=a, partner_id=b, since=since, shares_data=shares_data
        )


def partnership_remove(*, organisation_id: str, partner_id: str) -> bool:
    a = _checked_id(organisation_id, "organisationId")
    b = _checked_id(partner_id, "partnerId")
    return organisation_repo.partnership_remove(organisation_id=a, partner_id=b)


# --- locations ----------------------------------------------------------------------------


def location_create(*, data: Mapping[str, Any]) -> dict[str, Any]:
    organisation_id = _checked_id(data.get("organisationId"), "organisationId")
    values, errors = clean_location(data)
    _raise_if(errors + _known_area(values))
    with _graph_references():
        return location_repo.location_create(
            location_id=str(uuid.uuid4()), organisation_id=organisation_id, fields=_snake(values)
        )


def location_update(*, location_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    key = _checked_id(location_id, "id")
    values, errors = clean_location(data, partial=True)
    _raise_if(errors + _known_area(values))
    with _graph_references():
        return location_repo.location_update(location_id=key, fields=_snake(values))


def location_deactivate(*, location_id: str) -> dict[str, Any]:
    key = _checked_id(location_id, "id")
    with _graph_references():
        return location_repo.location_update(location_id=key, fields={"active": False})


# --- services -----------------------------------------------------------------------------


def service_create(*, data: Mapping[str, Any]) -> dict[str, Any]:
    organisation_id = _checked_id(data.get("organisationId"), "organisationId")
    values, errors = clean_service(data)
    _raise_if(errors)
    location_ids = [_checked_id(x, "locationIds") for x in values.pop("locationIds")]
    tag_codes = values.pop("tagCodes")
    with _graph_references():
        return service_repo.service_create(
            service_id=str(uuid.uuid4()),
            organisation_id=organisation_id,
            fields=_snake(values),
            tag_codes=tag_codes,
            location_ids=location_ids,
        )


def service_update(*, service_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    key = _checked_id(service_id, "id")
    with _graph_references():
        current = service_repo.service_current(key)
    values, errors = clean_service(data, partial=True, current=current)
    _raise_if(errors)
    location_ids = values.pop("locationIds", None)
    if location_ids is not None:
        location_ids = [_checked_id(x, "locationIds") for x in location_ids]
    tag_codes = values.pop("tagCodes", None)
    with _graph_references():
        return service_repo.service_update(
            service_id=key, fields=_snake(values), tag_codes=tag_codes, location_ids=location_ids
        )


def service_deactivate(*, service_id: str) -> dict[str, Any]:
    key = _checked_id(service_id, "id")
    with _graph_references():
        return service_repo.service_update(service_id=key, fields={"active": False})


def service_set_tags(*, service_id: str, tag_codes: list[str]) -> dict[str, Any]:
    return service_update(service_id=service_id, data={"tagCodes": tag_codes})


def service_update_capacity(*, service_id: str, status: CapacityStatus | str) -> dict[str, Any]:
    return service_update(service_id=service_id, data={"capacityStatus": status})
