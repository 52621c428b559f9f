"""The organisation admin's location form, read into LocationCreateInput /
LocationUpdateInput (pure). Coordinates typed as text become numbers here; every rule
about the values (area code, postal code, the range of a latitude) is the API's."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from referral_hub.web.service_form import printable

_TEXT_FIELDS = ("name", "address", "postalCode", "areaCode")
_DECIMAL = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,10})?")


@dataclass(frozen=True)
class LocationForm:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field -> message key
    shown: dict[str, str] = field(default_factory=dict)


def read(params: Mapping[str, Any]) -> LocationForm:
    def one(name: str) -> str:
        value = params.get(name, "")
        return (value if isinstance(value, str) else "").strip()

    shown = {name: one(name) for name in (*_TEXT_FIELDS, "latitude", "longitude")}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in _TEXT_FIELDS:
        # The name and area are required (the API says so); others emptied are cleared.
        text = shown[name]
        if not printable(text):
            errors[name] = "characters"
        values[name] = text if text or name in ("name", "areaCode") else None
    for name in ("latitude", "longitude"):
        text = shown[name]
        if not text:
            values[name] = None
        elif _DECIMAL.fullmatch(text) and math.isfinite(float(text)):
            values[name] = float(text)
        else:
            errors[name] = "coordinate"
    if (values.get("latitude") is None) != (values.get("longitude") is None) and not errors:
        errors["longitude" if values.get("longitude") is None else "latitude"] = "pair"
    return LocationForm(values={} if errors else values, errors=errors, shown=shown)
