"""The directory's own input rules (createOrganisation, createLocation, createService),
applied to what a file says, so an import never writes what the API would refuse: lengths,
URL and e-mail shapes, language codes, age order, no control characters. The cleaned
values replace the file's."""

from __future__ import annotations

from typing import Any

from referral_hub.core.errors import FieldError
from referral_hub.core.validation import CONTROL_CHARACTERS
from referral_hub.directory.rules import (
    DESCRIPTION_MAX,
    clean_location,
    clean_organisation,
    clean_service,
)


def _said(errors: list[FieldError]) -> str | None:
    return "; ".join(f"{e.field}: {e.message}" for e in errors) or None


def _controls(row: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    for field in fields:
        values = row.get(field)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                return f"{field}: holds a control character"
    return None


def organisation_rules(row: dict[str, Any]) -> str | None:
    controls = _controls(row, ("name", "description", "website", "email", "phone"))
    if controls:
        return controls
    values, errors = clean_organisation(row)
    if not errors:
        row.update({k: values.get(k) for k in ("name", "description", "website", "email", "phone")})
    return _said(errors)


def service_rules(row: dict[str, Any]) -> str | None:
    controls = _controls(row, ("name", "description", "schedule", "languages", "tags"))
    if controls:
        return controls
    values, errors = clean_service({**row, "tag_codes": row["tags"]})
    if not errors:
        row.update({k: values.get(k) for k in ("name", "description", "schedule", "languages")})
    return _said(errors)


def location_rules(row: dict[str, Any]) -> str | None:
    controls = _controls(row, ("name", "address", "postal_code"))
    if controls:
        return controls
    values, errors = clean_location(row)
    if not errors:
        row.update({k: values.get(k) for k in ("name", "address", "postal_code")})
    return _said(errors)


def tag_rules(row: dict[str, Any]) -> str | None:
    """A tag's labels and descriptions: the lengths the directory keeps, no control
    characters (tags are created only by imports and the reference data, not the API)."""
    controls = _controls(row, ("label_ja", "label_en", "description", "description_ja"))
    if controls:
        return controls
    for field, most in (("label_ja", 200), ("label_en", 200)):
        if len(str(row[field])) > most:
            return f"{field}: at most {most} characters"
    for field in ("description", "description_ja"):
        if row[field] is not None and len(str(row[field])) > DESCRIPTION_MAX:
            return f"{field}: at most {DESCRIPTION_MAX} characters"
    return None


def phone_rule(phone: Any) -> str | None:
    """An organisation's phone as updateOrganisation takes it; None when it is fine."""
    if not isinstance(phone, str) or CONTROL_CHARACTERS.search(phone):
        return "phone: may hold digits, spaces, + - ( ) only."
    _, errors = clean_organisation({"phone": phone}, partial=True)
    return _said(errors)
