"""The organisation admin's opportunity form, read into the API's OpportunityCreateInput /
OpportunityUpdateInput (pure; issue 19).

As with the service form, only what a browser form cannot say in the API's types is
checked here: whole numbers typed as text, and a service, place and interests chosen from
what was offered. Every rule about the values (title length, ages, INTEREST tags, the
service and place being the organisation's own) is the API's, shown beside its field.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from referral_hub.web.service_form import printable

_DIGITS_MAX = 6  # keeps a typed number inside GraphQL's Int; the API bounds it
_TEXT_FIELDS = ("title", "description", "schedule", "areaCode")
_NUMBER_FIELDS = ("ageMin", "ageMax")


@dataclass(frozen=True)
class OpportunityForm:
    values: dict[str, Any] = field(default_factory=dict)  # as the API takes them
    errors: dict[str, str] = field(default_factory=dict)  # field -> message key
    shown: dict[str, Any] = field(default_factory=dict)  # as typed, to show again


def _one(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    return (value if isinstance(value, str) else "").strip()


def _many(params: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(name)]
    value = params.get(name, [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def read(
    params: Mapping[str, Any],
    *,
    services: Collection[str],
    locations: Collection[str],
    interests: Collection[str],
) -> OpportunityForm:
    """`services`, `locations`, `interests`: the ids and codes the form offered."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    shown: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        text = _one(params, name)
        shown[name] = text
        if not printable(text, multiline=name == "description"):
            errors[name] = "characters"
        # An emptied optional field clears it; the required ones go as typed (the API says).
        values[name] = text if text or name in ("title", "areaCode") else None
    for name in _NUMBER_FIELDS:
        text = _one(params, name)
        shown[name] = text
        if not text:
            values[name] = None
        elif text.isascii() and text.isdigit() and len(text) <= _DIGITS_MAX:
            values[name] = int(text)
        else:
            errors[name] = "number"
    service = _one(params, "serviceId")
    shown["serviceId"] = service
    if service in services:
        values["serviceId"] = service
    else:
        errors["serviceId"] = "service"
    location = _one(params, "locationId")
    shown["locationId"] = location
    if not location or location in locations:
        values["locationId"] = location or None
    else:
        errors["locationId"] = "location"
    tags = sorted(set(_many(params, "interestTags")))
    shown["interestTags"] = tags
    if set(tags) - set(interests):
        errors["interestTags"] = "tags"
    else:
        values["interestTags"] = tags
    return OpportunityForm(values={} if errors else values, errors=errors, shown=shown)
