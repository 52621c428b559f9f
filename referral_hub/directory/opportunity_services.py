"""Opportunity actions and reads (issue 19, item 2): validate with the pure rules
(referral_hub/directory/opportunities.py), then write through graph/opportunity_repo.py.

Who may write mirrors the services: the ORG_ADMIN of the publishing organisation (a
SYSTEM_ADMIN acts for any). An opportunity of another organisation answers as one that
does not exist. Each write is audited in its own transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from graph import opportunity_repo
from graph.listing import Page, PageRequest
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid, enum_value
from referral_hub.directory import reference_data, selectors
from referral_hub.directory.opportunities import (
    OPPORTUNITY_SPECS,
    Facts,
    clean_opportunity,
    reference_errors,
)
from referral_hub.directory.rules import Near

_REFERENCES = ("service_id", "location_id", "interest_tags")


def _only(data: Mapping[str, Any], *also: str) -> None:
    """A key the specs do not name is a caller's defect, never input to ignore."""
    unknown = sorted(set(data) - set(OPPORTUNITY_SPECS) - set(also))
    if unknown:
        raise TypeError(f"unknown opportunity fields: {', '.join(unknown)}")


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _require_admin(actor: Actor, organisation_id: str | None) -> None:
    if not (actor.acts_for(organisation_id) and actor.has_role(Role.ORG_ADMIN)):
        raise PublicError(
            ErrorCode.FORBIDDEN, "Only that organisation's own administrators may change it."
        )


def _checked_ids(values: dict[str, Any]) -> None:
    """The references as canonical UUIDs (a malformed one names its field)."""
    if values.get("service_id") is not None:
        values["service_id"] = checked_uuid(values["service_id"], "serviceId")
    if values.get("location_id") is not None:
        values["location_id"] = checked_uuid(values["location_id"], "locationId")


def _known_area(values: Mapping[str, Any]) -> list[FieldError]:
    error = selectors.area_error(values.get("area_code"))
    return [error] if error else []


def opportunity_create(*, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    _only(data, "organisation_id")
    organisation_id = checked_uuid(data.get("organisation_id"), "organisationId")
    _require_admin(actor, organisation_id)
    values, errors = clean_opportunity({k: enum_value(v) for k, v in data.items()})
    _raise_if(errors + _known_area(values))
    _checked_ids(values)
    service_id, location_id = values.pop("service_id"), values.pop("location_id")
    tag_codes = values.pop("interest_tags")
    key = str(uuid.uuid4())

    def decide(row: dict[str, Any]) -> None:
        _raise_if(
            reference_errors(
                Facts.from_row(row),
                organisation_id=organisation_id,
                service_id=service_id,
                location_id=location_id,
                interest_tags=tag_codes,
            )
        )

    return opportunity_repo.opportunity_create(
        opportunity_id=key,
        organisation_id=organisation_id,
        fields=values,
        service_id=service_id,
        location_id=location_id,
        tag_codes=tag_codes,
        decide=decide,
        audit=audit_record(actor, "OPPORTUNITY_CREATE", "Opportunity", key),
    )


def _change(
    actor: Actor,
    opportunity_id: str,
    data: Mapping[str, Any],
    *,
    action: str,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    _only(data)
    key = checked_uuid(opportunity_id, "id")
    # Who owns it is asked first, so another organisation's id is refused before its
    # contents are checked (and answers exactly like an id that names nothing).
    owner = opportunity_repo.opportunity_owner(key)
    if owner is None or not actor.acts_for(owner):
        raise ValidationFailed.one("id", ErrorCode.NOT_FOUND, "id: no such record.")
    _require_admin(actor, owner)

    def decide(current: dict[str, Any] | None) -> dict[str, Any]:
        if current is None or current["organisation_id"] != owner:
            raise ValidationFailed.one("id", ErrorCode.NOT_FOUND, "id: no such record.")
        values, errors = clean_opportunity(
            {k: enum_value(v) for k, v in data.items()}, partial=True, current=current
        )
        _raise_if(errors + _known_area(values))
        _checked_ids(values)
        return {
            "fields": {
                **{k: v for k, v in values.items() if k not in _REFERENCES},
                **(extra or {}),
            },
            "service_id": values.get("service_id"),
            "location_id": values.get("location_id"),
            "clear_location": "location_id" in values and values["location_id"] is None,
            "tag_codes": values.get("interest_tags"),
        }

    def check(row: dict[str, Any], change: dict[str, Any]) -> None:
        _raise_if(
            reference_errors(
                Facts.from_row(row),
                organisation_id=owner,
                service_id=change["service_id"],
                location_id=change["location_id"],
                interest_tags=change["tag_codes"],
            )
        )

    return opportunity_repo.opportunity_update(
        opportunity_id=key,
        decide=decide,
        check=check,
        audit=audit_record(actor, action, "Opportunity", key),
    )


def opportunity_update(
    *, actor: Actor, opportunity_id: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    return _change(actor, opportunity_id, data, action="OPPORTUNITY_UPDATE")


def opportunity_archive(*, actor: Actor, opportunity_id: str) -> dict[str, Any]:
    """Take an opportunity out of lists and recommendations; its referrals keep it."""
    return _change(actor, opportunity_id, {}, action="OPPORTUNITY_ARCHIVE", extra={"active": False})


# --- reads --------------------------------------------------------------------------------


def opportunity(opportunity_id: str) -> dict[str, Any] | None:
    """One opportunity (active or archived), or None."""
    return opportunity_repo.opportunities_by_ids([opportunity_id]).get(opportunity_id)


def opportunities_by_ids(ids: list[str]) -> dict[str, dict[str, Any]]:
    return opportunity_repo.opportunities_by_ids(ids)


def opportunity_list(
    *,
    page: PageRequest,
    interest_tags: tuple[str, ...] = (),
    area_code: str | None = None,
    near: Near | None = None,
    organisation_id: str | None = None,
) -> Page:
    """Active opportunities, nearest first with `near`, else by title; one round trip."""
    selectors.require_tags(interest_tags, field="interestTags")
    if area_code is not None:
        selectors.require_area(area_code)
    return opportunity_repo.opportunity_list(
        page=page,
        near=None if near is None else (near.latitude, near.longitude, near.km),
        area_codes=None if area_code is None else reference_data.area_codes_within(area_code),
        interest_tags=interest_tags,
        organisation_id=organisation_id,
    )
