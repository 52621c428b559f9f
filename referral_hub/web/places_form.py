"""The public finder's search form (/places/) read into the API's variables. Pure.

The form is a plain GET (no JavaScript, no cookie), so everything arrives as text:
`tag` (repeated), `area`, `km`, `lat` and `lon` (from a "near this place" link) and
`after` (the next page). A resident has no way to say where they are without script, so
distance is measured from a point the hub already knows: the municipal office of the
chosen area, or a place from the results. The API checks every value again; this only
turns text into types and says which field a number could not be read from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# What the distance menu offers; any other value is still sent and checked by the API.
KM_CHOICES = ("1", "2", "5", "10")
# "Near this place" without a chosen distance: a walk.
DEFAULT_KM = 2.0
TAGS_MAX = 20


@dataclass(frozen=True)
class FinderForm:
    tags: tuple[str, ...] = ()
    area: str = ""
    km: str = ""
    lat: str = ""
    lon: str = ""
    after: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # field -> message key

    @property
    def near_place(self) -> bool:
        """A search around a point from the results (lat and lon given)."""
        return bool(self.lat or self.lon)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read(values: Mapping[str, Sequence[str]]) -> FinderForm:
    """The form from a query string's lists of values (Django's QueryDict.lists())."""

    def one(name: str) -> str:
        found = values.get(name) or [""]
        return found[-1].strip()

    tags = tuple(dict.fromkeys(t.strip() for t in (values.get("tag") or []) if t.strip()))
    return FinderForm(
        tags=tags[: TAGS_MAX + 1],  # one more than allowed, so the API says too many
        area=one("area"),
        km=one("km"),
        lat=one("lat"),
        lon=one("lon"),
        after=one("after"),
    )


def _near(form: FinderForm, areas: Sequence[Mapping[str, Any]]) -> tuple[Any, dict[str, str]]:
    """The `near` variable, or the reason there is none."""
    km = DEFAULT_KM if not form.km else _number(form.km)
    if km is None:
        return None, {"km": "not_a_number"}
    if form.near_place:
        lat, lon = _number(form.lat), _number(form.lon)
        if lat is None or lon is None:
            return None, {"near": "not_a_number"}
        return {"latitude": lat, "longitude": lon, "km": km}, {}
    area = next((a for a in areas if a.get("code") == form.area), None)
    if area is None or area.get("officeLatitude") is None:
        return None, {"km": "no_office"}
    return {"latitude": area["officeLatitude"], "longitude": area["officeLongitude"], "km": km}, {}


def variables(
    form: FinderForm, areas: Sequence[Mapping[str, Any]], *, first: int
) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's variables for the form, and the form's own errors (field -> message key).
    A place's point wins over an area; an area with a distance is a circle around its
    office; an area alone is the area and everything below it."""
    result: dict[str, Any] = {"first": first}
    if form.tags:
        result["tags"] = list(form.tags)
    if form.after:
        result["after"] = form.after
    if form.near_place or (form.area and form.km):
        near, errors = _near(form, areas)
        if errors:
            return result, errors
        result["near"] = near
    elif form.area:
        result["area"] = form.area
    return result, {}
