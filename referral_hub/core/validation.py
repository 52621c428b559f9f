"""A small declarative input cleaner: field specs in, normalised values and FieldErrors out.

Pure functions only. Absent keys are left out of the result, so the same specs serve
create (where `required` applies) and partial update (where absent means unchanged and
an explicit None clears an optional field). Specs and values use Python's names
(`postal_code`); an error names the field as the API does (`postalCode`, api_name),
since that is what the caller sent.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from referral_hub.core.errors import ErrorCode, FieldError, ValidationFailed

# Characters no input may hold: C0 controls but tab, line feed and carriage return, DEL,
# C1 controls, and lone UTF-16 surrogates (JSON can encode them; no text can hold them).
# The API refuses them at its edge (schema/core/characters.py); a file import record by record.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def enum_value(value: Any) -> Any:
    """An enum member's value — graphene's, or one of our StrEnums — and anything else as
    it is: the one way the API's enum arguments become the domain's plain values."""
    return getattr(value, "value", value)


def api_name(field: str) -> str:
    """The API's (camelCase) name of a field: `postal_code` → `postalCode`. A name with no
    underscore is already one."""
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


def normalise_text(value: str) -> str:
    """NFKC folds full-width ASCII and half-width kana, so search and duplicates agree."""
    return unicodedata.normalize("NFKC", value).strip()


USERNAME_MAX = 150  # Django's username field


def row_id(value: Any) -> int:
    """A database row's id from a caller: ASCII digits only (str.isdigit() takes "²",
    which int() refuses), at most 18 of them; anything else is -1, which names no row."""
    text = str(value)
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else -1


def checked_uuid(value: Any, field: str) -> str:
    """The canonical form of an id given as input, or ValidationFailed(INVALID) naming it."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationFailed.one(field, ErrorCode.INVALID, f"{field} is not a UUID.") from None


@dataclass(frozen=True)
class Text:
    max_len: int
    required: bool = False
    pattern: re.Pattern[str] | None = None
    pattern_message: str = "has an invalid format."
    check: Callable[[str], bool] | None = None
    check_code: ErrorCode = ErrorCode.INVALID


@dataclass(frozen=True)
class Integer:
    minimum: int
    maximum: int
    required: bool = False


@dataclass(frozen=True)
class Number:
    minimum: float
    maximum: float
    required: bool = False
    code: ErrorCode = ErrorCode.INVALID


@dataclass(frozen=True)
class Boolean:
    required: bool = False


@dataclass(frozen=True)
class Choice:
    enum: type[StrEnum]
    required: bool = False
    code: ErrorCode = ErrorCode.INVALID


@dataclass(frozen=True)
class TextList:
    max_items: int
    item_max_len: int
    item_pattern: re.Pattern[str] | None = None
    required: bool = False


Spec = Text | Integer | Number | Boolean | Choice | TextList


def clean(
    data: Mapping[str, Any], specs: Mapping[str, Spec], *, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate `data` against `specs`; unknown keys are ignored (the schema already typed them)."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for field, spec in specs.items():
        name = api_name(field)
        present = field in data
        raw = data.get(field)
        if isinstance(raw, str) and isinstance(spec, Text | Choice):
            raw = normalise_text(raw) or None
        if raw is None or (isinstance(raw, list) and not raw and spec.required):
            if spec.required and not partial:
                errors.append(FieldError(name, ErrorCode.REQUIRED, f"{name} is required."))
            elif spec.required and present:
                errors.append(FieldError(name, ErrorCode.REQUIRED, f"{name} cannot be cleared."))
            elif present:
                values[field] = [] if isinstance(spec, TextList) else None
            continue
        error = _check(name, spec, raw)
        if isinstance(error, FieldError):
            errors.append(error)
        else:
            values[field] = error
    return values, errors


def _check(field: str, spec: Spec, raw: Any) -> Any:
    """The cleaned value, or a FieldError."""
    if isinstance(spec, Text):
        value = str(raw)
        if len(value) > spec.max_len:
            return FieldError(
                field, ErrorCode.TOO_LONG, f"{field} must be at most {spec.max_len} characters."
            )
        if spec.pattern is not None and not spec.pattern.match(value):
            return FieldError(field, ErrorCode.INVALID, f"{field} {spec.pattern_message}")
        if spec.check is not None and not spec.check(value):
            return FieldError(field, spec.check_code, f"{field} {spec.pattern_message}")
        return value
    if isinstance(spec, Integer):
        if isinstance(raw, bool) or not isinstance(raw, int):
            return FieldError(field, ErrorCode.INVALID, f"{field} must be a whole number.")
        if not spec.minimum <= raw <= spec.maximum:
            return FieldError(
                field,
                ErrorCode.OUT_OF_RANGE,
                f"{field} must be between {spec.minimum} and {spec.maximum}.",
            )
        return raw
    if isinstance(spec, Number):
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw:
            return FieldError(field, spec.code, f"{field} must be a number.")
        if not spec.minimum <= float(raw) <= spec.maximum:
            return FieldError(
                field, spec.code, f"{field} must be between {spec.minimum} and {spec.maximum}."
            )
        return float(raw)
    if isinstance(spec, Boolean):
        if not isinstance(raw, bool):
            return FieldError(field, ErrorCode.INVALID, f"{field} must be true or false.")
        return raw
    if isinstance(spec, Choice):
        try:
            return spec.enum(enum_value(raw))
        except ValueError:
            allowed = ", ".join(member.value for member in spec.enum)
            return FieldError(field, spec.code, f"{field} must be one of {allowed}.")
    items = [normalise_text(str(item)) for item in raw]
    if len(items) > spec.max_items:
        return FieldError(
            field, ErrorCode.TOO_LONG, f"{field} takes at most {spec.max_items} items."
        )
    for item in items:
        if (
            not item
            or len(item) > spec.item_max_len
            or (spec.item_pattern is not None and not spec.item_pattern.match(item))
        ):
            return FieldError(field, ErrorCode.INVALID, f"{field} has an invalid item: {item!r}.")
    return list(dict.fromkeys(items))  # de-duplicated, order kept
