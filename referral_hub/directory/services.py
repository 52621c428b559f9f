"""Directory actions: validate with the pure rules, then write through the graph repositories.

Each function is keyword-only and named <entity>_<action>. Validation errors and
references to unknown nodes come back as ValidationFailed, and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from graph import location_repo, organisation_repo, service_repo
from graph.errors import MissingReferences, NotFound
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record, auditor_area_codes
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid, enum_value
from referral_hub.directory import selectors
from referral_hub.directory.rules import (
    LOCATION_SPECS,
    ORGANISATION_SPECS,
    SERVICE_SPECS,
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


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned values as the repositories store them (enum members as their values)."""
    return {key: enum_value(value) for key, value in values.items()}


def _only(data: Mapping[str, Any], specs: Mapping[str, Any], *also: str) -> None:
    """A key the specs do not name is a caller's defect (the GraphQL inputs are typed and
    name exactly these), never input to ignore: a misspelt or camelCase field would
    otherwise be dropped without a word."""
    unknown = sorted(set(data) - set(specs) - set(also))
    if unknown:
        raise TypeError(f"unknown directory fields: {', '.join(unknown)}")


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _known_area(values: Mapping[str, Any]) -> list[FieldError]:
    error = selectors.area_error(values.get("area_code") or None)
    return [error] if error else []


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
        raise ValidationFailed.one(
            entity_field, ErrorCode.NOT_FOUND, f"{entity_field}: no such record."
        ) from exc


def _require_member(actor: Actor, organisation_id: str | None, *roles: Role) -> None:
    """Object-level rule: act only for your own organisation, with one of `roles`."""
    if not (actor.acts_for(organisation_id) and actor.has_role(*roles)):
        raise PublicError(
            ErrorCode.FORBIDDEN, "Only that organisation's own administrators may change it."
        )


def _owner(lookup: Any, record_id: str, actor: Actor, field: str = "id") -> str:
    """The organisation that owns the record, if the actor acts for it. A record of
    another organisation answers exactly like one that does not exist, so changing it
    cannot be used to learn that it does (inactive records are not in the directory)."""
    owner = lookup(record_id)
    if owner is None or not actor.acts_for(owner):
        raise ValidationFailed.one(field, ErrorCode.NOT_FOUND, f"{field}: no such record.")
    return owner


# --- organisations ------------------------------------------------------------------------


def organisation_create(*, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    _only(data, ORGANISATION_SPECS)
    values, errors = clean_organisation(data)
    _raise_if(errors + _known_area(values))
    key = str(uuid.uuid4())
    return organisation_repo.organisation_create(
        organisation_id=key,
        fields=_plain(values),
        audit=audit_record(actor, "ORGANISATION_CREATE", "Organisation", key),
    )


def organisation_update(
    *, actor: Actor, organisation_id: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    key = checked_uuid(organisation_id, "id")
    _require_member(actor, key, Role.ORG_ADMIN)
    _only(data, ORGANISATION_SPECS)
    values, errors = clean_organisation(data, partial=True)
    _raise_if(errors + _known_area(values))
    with _graph_references():
        return organisation_repo.organisation_update(
            organisation_id=key,
            fields=_plain(values),
            audit=audit_record(actor, "ORGANISATION_UPDATE", "Organisation", key),
            request_audit=audit_record(actor, "ORGANISATION_CHANGE_REQUEST", "Organisation", key),
        )


def organisation_change_decide(
    *, actor: Actor, organisation_id: str, approve: bool
) -> dict[str, Any]:
    """A coordinator approves or rejects an organisation's requested kind/area change.

    Both the current and the requested area must lie within the coordinator's own area.
    """
    key = checked_uuid(organisation_id, "id")
    if not actor.has_role(Role.COORDINATOR):
        raise PublicError(ErrorCode.FORBIDDEN, "Only a coordinator decides these changes.")
    action = "ORGANISATION_CHANGE_APPROVE" if approve else "ORGANISATION_CHANGE_REJECT"
    with _graph_references():
        return organisation_repo.organisation_change_decide(
            organisation_id=key,
            approve=approve,
            decided_by=actor.username,
            area_codes=auditor_area_codes(actor),
            audit=audit_record(actor, action, "Organisation", key),
        )


def organisation_deactivate(*, actor: Actor, organisation_id: str) -> dict[str, Any]:
    key = checked_uuid(organisation_id, "id")
    _require_member(actor, key, Role.ORG_ADMIN)
    with _graph_references():
        return organisation_repo.organisation_update(
            organisation_id=key,
            fields={"active": False},
            audit=audit_record(actor, "ORGANISATION_DEACTIVATE", "Organisation", key),
        )


def partnership_add(
    *,
    actor: Actor,
    organisation_id: str,
    partner_id: str,
    since: str | None = None,
    shares_data: bool = False,
) -> None:
    a = checked_uuid(organisation_id, "organisationId")
    b = checked_uuid(partner_id, "partnerId")
    _require_member(actor, a, Role.ORG_ADMIN)
    if a == b:
        raise ValidationFailed.one(
            "partnerId", ErrorCode.SELF_PARTNERSHIP, "An organisation cannot partner with itself."
        )
    with _graph_references():
        organisation_repo.partnership_add(
            organisation_id=a,
            partner_id=b,
            since=since,
            shares_data=shares_data,
            audit=audit_record(actor, "PARTNERSHIP_ADD", "Organisation", b),
        )


def partnership_remove(*, actor: Actor, organisation_id: str, partner_id: str) -> bool:
    a = checked_uuid(organisation_id, "organisationId")
    b = checked_uuid(partner_id, "partnerId")
    _require_member(actor, a, Role.ORG_ADMIN)
    return organisation_repo.partnership_remove(
        organisation_id=a,
        partner_id=b,
        audit=audit_record(actor, "PARTNERSHIP_REMOVE", "Organisation", b),
    )


# --- locations ----------------------------------------------------------------------------


def location_create(*, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    _only(data, LOCATION_SPECS, "organisation_id", "latitude", "longitude")
    organisation_id = checked_uuid(data.get("organisation_id"), "organisationId")
    _require_member(actor, organisation_id, Role.ORG_ADMIN)
    values, errors = clean_location(data)
    _raise_if(errors + _known_area(values))
    key = str(uuid.uuid4())
    with _graph_references():
        return location_repo.location_create(
            location_id=key,
            organisation_id=organisation_id,
            fields=_plain(values),
            audit=audit_record(actor, "LOCATION_CREATE", "Location", key),
        )


def location_update(
    *,
    actor: Actor,
    location_id: str,
    data: Mapping[str, Any],
    action: str = "LOCATION_UPDATE",
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    key = checked_uuid(location_id, "id")
    _require_member(actor, _owner(organisation_repo.location_owner, key, actor), Role.ORG_ADMIN)
    _only(data, LOCATION_SPECS, "latitude", "longitude")
    values, errors = clean_location(data, partial=True)
    _raise_if(errors + _known_area(values))
    with _graph_references():
        return location_repo.location_update(
            location_id=key,
            fields={**_plain(values), **(extra or {})},
            audit=audit_record(actor, action, "Location", key),
        )


def location_deactivate(*, actor: Actor, location_id: str) -> dict[str, Any]:
    return location_update(
        actor=actor,
        location_id=location_id,
        data={},
        action="LOCATION_DEACTIVATE",
        extra={"active": False},
    )


# --- services -----------------------------------------------------------------------------


def service_create(*, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    _only(data, SERVICE_SPECS, "organisation_id", "check_in_days")
    organisation_id = checked_uuid(data.get("organisation_id"), "organisationId")
    _require_member(actor, organisation_id, Role.ORG_ADMIN)
    values, errors = clean_service(data)
    _raise_if(errors)
    location_ids = [checked_uuid(x, "locationIds") for x in values.pop("location_ids")]
    tag_codes = values.pop("tag_codes")
    key = str(uuid.uuid4())
    with _graph_references():
        return service_repo.service_create(
            service_id=key,
            organisation_id=organisation_id,
            fields=_plain(values),
            tag_codes=tag_codes,
            location_ids=location_ids,
            audit=audit_record(actor, "SERVICE_CREATE", "Service", key),
        )


def _service_change(
    actor: Actor,
    service_id: str,
    data: Mapping[str, Any],
    *,
    action: str,
    roles: tuple[Role, ...] = (Role.ORG_ADMIN,),
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    _only(data, SERVICE_SPECS, "check_in_days")
    key = checked_uuid(service_id, "id")
    _require_member(actor, _owner(organisation_repo.service_owner, key, actor), *roles)
    with _graph_references():
        current = service_repo.service_current(key)
    values, errors = clean_service(data, partial=True, current=current)
    _raise_if(errors)
    location_ids = values.pop("location_ids", None)
    if location_ids is not None:
        location_ids = [checked_uuid(x, "locationIds") for x in location_ids]
    tag_codes = values.pop("tag_codes", None)
    with _graph_references():
        return service_repo.service_update(
            service_id=key,
            fields={**_plain(values), **(extra or {})},
            tag_codes=tag_codes,
            location_ids=location_ids,
            audit=audit_record(actor, action, "Service", key),
        )


def service_update(*, actor: Actor, service_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return _service_change(actor, service_id, data, action="SERVICE_UPDATE")


def service_deactivate(*, actor: Actor, service_id: str) -> dict[str, Any]:
    return _service_change(
        actor, service_id, {}, action="SERVICE_DEACTIVATE", extra={"active": False}
    )


def service_set_tags(*, actor: Actor, service_id: str, tag_codes: list[str]) -> dict[str, Any]:
    return _service_change(actor, service_id, {"tag_codes": tag_codes}, action="SERVICE_SET_TAGS")


def service_update_capacity(
    *, actor: Actor, service_id: str, status: CapacityStatus | str
) -> dict[str, Any]:
    """Caseworkers see the waiting list first-hand, so they may say when a service is full."""
    return _service_change(
        actor,
        service_id,
        {"capacity_status": status},
        action="SERVICE_CAPACITY_UPDATE",
        roles=(Role.ORG_ADMIN, Role.CASEWORKER),
    )
