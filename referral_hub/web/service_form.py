"""The organisation admin's service form, read into the API's ServiceCreateInput /
ServiceUpdateInput (pure).

Only what a browser form cannot say in the API's types is checked here: whole numbers
typed as text, a mode and tags chosen from what was offered. Every rule about the values
(name length, age range, response target, known tags) is the API's, and its typed errors
are shown beside the fields they name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

MODES = ("EXCHANGE", "SUPPORT")
# The API bounds the values; this only keeps a form's number inside GraphQL's Int.
_DIGITS_MAX = 6
_TEXT_FIELDS = ("name", "description", "schedule")
_NUMBER_FIELDS = ("ageMin", "ageMax", "responseTargetHours")


@dataclass(frozen=True)
class ServiceForm:
    values: dict[str, Any] = field(default_factory=dict)  # as the API takes them
    errors: dict[str, str] = field(default_factory=dict)  # field -> message key
    shown: dict[str, Any] = field(default_factory=dict)  # as typed, to show again


def printable(text: str, *, multiline: bool = False) -> bool:
    """No control characters (a description may hold line breaks): the API refuses them
    for the whole request, so the form says which field holds one instead."""
    allowed = "\r\n\t" if multiline else ""
    return all(ch.isprintable() or ch in allowed for ch in text)


class _Params:
    """A QueryDict or a plain mapping of lists/strings, read alike."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        self._params = params

    def one(self, name: str) -> str:
        value = self._params.get(name, "")
        return (value if isinstance(value, str) else "").strip()

    def many(self, name: str) -> list[str]:
        getlist = getattr(self._params, "getlist", None)
        if getlist is not None:
            return [str(v) for v in getlist(name)]
        value = self._params.get(name, [])
        return [value] if isinstance(value, str) else [str(v) for v in value]


def read(params: Mapping[str, Any], *, known_tags: Collection[str]) -> ServiceForm:
    form = _Params(params)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    shown: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        text = form.one(name)
        shown[name] = text
        if not printable(text, multiline=name == "description"):
            errors[name] = "characters"
        # An emptied optional field clears it; the name is required (the API says so).
        values[name] = text if text or name == "name" else None
    for name in _NUMBER_FIELDS:
        text = form.one(name)
        shown[name] = text
        if not text:
            values[name] = None
        elif text.isascii() and text.isdigit() and len(text) <= _DIGITS_MAX:
            values[name] = int(text)
        else:
            errors[name] = "number"
    if values.get("responseTargetHours") is None:
        # Not nullable: an empty box keeps the stored target (a new service: 72 hours).
        values.pop("responseTargetHours", None)
    mode = form.one("mode")
    shown["mode"] = mode
    if mode in MODES:
        values["mode"] = mode
    else:
        errors["mode"] = "mode"
    accepts = form.one("acceptsReferrals") == "1"
    shown["acceptsReferrals"] = accepts
    values["acceptsReferrals"] = accepts
    tags = sorted(set(form.many("tagCodes")))
    shown["tagCodes"] = tags
    if set(tags) - set(known_tags):
        errors["tagCodes"] = "tags"
    else:
        values["tagCodes"] = tags
    return ServiceForm(values={} if errors else values, errors=errors, shown=shown)
