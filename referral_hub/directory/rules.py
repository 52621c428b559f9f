"""Pure rules for directory entries: kinds, input normalisation and validation.

No I/O here, so every rule is unit-tested without a database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from referral_hub.core.errors import ErrorCode, FieldError


class OrganisationKind(StrEnum):
    SCHOOL = "SCHOOL"
    WELFARE_OFFICE = "WELFARE_OFFICE"
    PLACE = "PLACE"
    NPO = "NPO"
    MUNICIPALITY = "MUNICIPALITY"
    SOCIAL_WELFARE_COUNCIL = "SOCIAL_WELFARE_COUNCIL"
    HEALTH = "HEALTH"


NAME_MAX = 200
DESCRIPTION_MAX = 2000
WEBSITE_MAX = 500
EMAIL_MAX = 254
PHONE_MAX = 30

_AREA_CODE = re.compile(r"^\d{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]*$")
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def jis_check_digit(five_digits: str) -> int:
    """Check digit of a JIS X 0402 local government code (weights 6..2, modulus 11)."""
    total = sum(int(d) * w for d, w in zip(five_digits, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def is_valid_area_code(code: str) -> bool:
    """A six-digit JIS X 0402 code whose last digit checks, e.g. 131121 for Setagaya."""
    return bool(_AREA_CODE.match(code)) and jis_check_digit(code[:5]) == int(code[5])


def normalise_text(value: str) -> str:
    """NFKC folds full-width ASCII and half-width kana, so search and duplicates agree."""
    return unicodedata.normalize("NFKC", value).strip()


@dataclass(frozen=True)
class OrganisationDraft:
    name: str
    kind: OrganisationKind
    description: str | None
    area_code: str | None
    website: str | None
    email: str | None
    phone: str | None


def clean_organisation(
    data: Mapping[str, Any],
) -> tuple[OrganisationDraft | None, list[FieldError]]:
    """Normalise and validate organisation input; returns the draft or every problem found."""
    errors: list[FieldError] = []

    def text(field: str, limit: int, *, required: bool = False) -> str | None:
        raw = data.get(field)
        value = normalise_text(raw) if isinstance(raw, str) else None
        if not value:
            if required:
                errors.append(FieldError(field, ErrorCode.REQUIRED, f"{field} is required."))
            return None
        if len(value) > limit:
            errors.append(
                FieldError(
                    field, ErrorCode.TOO_LONG, f"{field} must be at most {limit} characters."
                )
            )
        return value

    name = text("name", NAME_MAX, required=True)
    description = text("description", DESCRIPTION_MAX)
    website = text("website", WEBSITE_MAX)
    email = text("email", EMAIL_MAX)
    phone = text("phone", PHONE_MAX)
    raw_area = data.get("areaCode")
    area_code = normalise_text(raw_area) or None if isinstance(raw_area, str) else None

    kind_raw = data.get("kind")
    kind: OrganisationKind | None = None
    if kind_raw in (None, ""):
        errors.append(FieldError("kind", ErrorCode.REQUIRED, "kind is required."))
    else:
        try:
            kind = OrganisationKind(str(kind_raw))
        except ValueError:
            allowed = ", ".join(k.value for k in OrganisationKind)
            errors.append(
                FieldError("kind", ErrorCode.UNKNOWN_KIND, f"kind must be one of {allowed}.")
            )

    if area_code is not None and not is_valid_area_code(area_code):
        errors.append(
            FieldError(
                "areaCode",
                ErrorCode.INVALID_AREA_CODE,
                "areaCode must be a six-digit JIS X 0402 code with a valid check digit.",
            )
        )
    if website is not None and not _WEBSITE.match(website):
        errors.append(FieldError("website", ErrorCode.INVALID, "website must be an http(s) URL."))
    if email is not None and not _EMAIL.match(email):
        errors.append(FieldError("email", ErrorCode.INVALID, "email is not an e-mail address."))
    if phone is not None and not _PHONE.match(phone):
        errors.append(
            FieldError("phone", ErrorCode.INVALID, "phone may hold digits, spaces, + - ( ) only.")
        )

    if errors or name is None or kind is None:
        return None, errors
    return (
        OrganisationDraft(
            name=name,
            kind=kind,
            description=description,
            area_code=area_code,
            website=website,
            email=email,
            phone=phone,
        ),
        [],
    )
