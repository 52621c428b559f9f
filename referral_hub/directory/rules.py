"""Pure rules for the directory: kinds, modes, area codes, input specs, search and sorting.

No I/O here, so every rule is unit-tested without a database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeGuard

from referral_hub.core.errors import ErrorCode, FieldError, PublicError
from referral_hub.core.validation import (
    Boolean,
    Choice,
    Integer,
    Spec,
    Text,
    TextList,
    clean,
    normalise_text,
)
from referral_hub.referrals import check_ins


class OrganisationKind(StrEnum):
    SCHOOL = "SCHOOL"
    WELFARE_OFFICE = "WELFARE_OFFICE"
    PLACE = "PLACE"
    NPO = "NPO"
    MUNICIPALITY = "MUNICIPALITY"
    SOCIAL_WELFARE_COUNCIL = "SOCIAL_WELFARE_COUNCIL"
    HEALTH = "HEALTH"
    # The elderly pathway (issue 20): 地域包括支援センター and 居宅介護支援事業所. The
    # welfare volunteer (民生委員) is a person, not an organisation: accounts/roles.py.
    COMPREHENSIVE_SUPPORT_CENTRE = "COMPREHENSIVE_SUPPORT_CENTRE"
    CARE_MANAGEMENT_OFFICE = "CARE_MANAGEMENT_OFFICE"


class ServiceMode(StrEnum):
    EXCHANGE = "EXCHANGE"  # 交流型: open to all, no label, anonymous
    SUPPORT = "SUPPORT"  # 支援型: careful help, but labelled


class CapacityStatus(StrEnum):
    AVAILABLE = "AVAILABLE"
    WAITLIST = "WAITLIST"
    FULL = "FULL"


class TagKind(StrEnum):
    NEED = "NEED"
    INTEREST = "INTEREST"
    POPULATION = "POPULATION"


class AreaKind(StrEnum):
    PREFECTURE = "PREFECTURE"
    DESIGNATED_CITY = "DESIGNATED_CITY"
    CITY = "CITY"
    SPECIAL_WARD = "SPECIAL_WARD"
    WARD = "WARD"
    TOWN = "TOWN"
    VILLAGE = "VILLAGE"


NAME_MAX = 200
DESCRIPTION_MAX = 2000
SEARCH_MAX = 100
NEAR_KM_MAX = 200.0
TAG_FILTER_MAX = 20

_AREA_CODE = re.compile(r"^\d{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]*$")
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_POSTAL_CODE = re.compile(r"^\d{3}-?\d{4}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_TAG_CODE = re.compile(r"^[a-z0-9_:.-]{1,64}$")


def jis_check_digit(five_digits: str) -> int:
    """Check digit of a JIS X 0402 local government code (weights 6..2, modulus 11)."""
    total = sum(int(d) * w for d, w in zip(five_digits, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def is_valid_area_code(code: str) -> bool:
    """A six-digit JIS X 0402 code whose last digit checks, e.g. 131121 for Setagaya."""
    return bool(_AREA_CODE.match(code)) and jis_check_digit(code[:5]) == int(code[5])


def with_check_digit(five_digits: str) -> str:
    return f"{five_digits}{jis_check_digit(five_digits)}"


def prefecture_code_of(area_code: str) -> str:
    """The six-digit code of the prefecture an area lies in (130001 for any Tokyo code)."""
    return with_check_digit(area_code[:2] + "000")


_AREA_CODE_MESSAGE = "must be a six-digit JIS X 0402 code with a valid check digit."

ORGANISATION_SPECS: dict[str, Spec] = {
    "name": Text(NAME_MAX, required=True),
    "kind": Choice(OrganisationKind, required=True, code=ErrorCode.UNKNOWN_KIND),
    "description": Text(DESCRIPTION_MAX),
    "area_code": Text(
        6,
        check=is_valid_area_code,
        check_code=ErrorCode.INVALID_AREA_CODE,
        pattern_message=_AREA_CODE_MESSAGE,
    ),
    "website": Text(500, pattern=_WEBSITE, pattern_message="must be an http(s) URL."),
    "email": Text(254, pattern=_EMAIL, pattern_message="is not an e-mail address."),
    "phone": Text(30, pattern=_PHONE, pattern_message="may hold digits, spaces, + - ( ) only."),
}

SERVICE_SPECS: dict[str, Spec] = {
    "name": Text(NAME_MAX, required=True),
    "description": Text(DESCRIPTION_MAX),
    "mode": Choice(ServiceMode, required=True),
    "age_min": Integer(0, 120),
    "age_max": Integer(0, 120),
    "languages": TextList(max_items=10, item_max_len=12, item_pattern=_LANGUAGE),
    "schedule": Text(500),
    "accepts_referrals": Boolean(),
    "response_target_hours": Integer(1, 24 * 30),
    "capacity_status": Choice(CapacityStatus),
    "tag_codes": TextList(max_items=30, item_max_len=64, item_pattern=_TAG_CODE),
    "location_ids": TextList(max_items=50, item_max_len=36),
}

LOCATION_SPECS: dict[str, Spec] = {
    "name": Text(NAME_MAX, required=True),
    "address": Text(300),
    "postal_code": Text(8, pattern=_POSTAL_CODE, pattern_message="must look like 154-0017."),
    "area_code": Text(
        6,
        required=True,
        check=is_valid_area_code,
        check_code=ErrorCode.INVALID_AREA_CODE,
        pattern_message=_AREA_CODE_MESSAGE,
    ),
}

SERVICE_DEFAULTS: dict[str, Any] = {
    "description": None,
    "age_min": None,
    "age_max": None,
    "languages": ["ja"],
    "schedule": None,
    "accepts_referrals": True,
    "response_target_hours": 72,
    "capacity_status": CapacityStatus.AVAILABLE,
    "tag_codes": [],
    "location_ids": [],
    "check_in_days": None,  # the defaults (referral_hub/referrals/check_ins.py)
}


def clean_organisation(
    data: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    return clean(data, ORGANISATION_SPECS, partial=partial)


def clean_service(
    data: Mapping[str, Any], *, partial: bool = False, current: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """`current` holds the stored ages so a partial update is checked against them."""
    values, errors = clean(data, SERVICE_SPECS, partial=partial)
    if not partial:
        values = {**SERVICE_DEFAULTS, **values}
    age_min = values.get("age_min", (current or {}).get("age_min"))
    age_max = values.get("age_max", (current or {}).get("age_max"))
    if age_min is not None and age_max is not None and age_min > age_max:
        errors.append(FieldError("ageMax", ErrorCode.OUT_OF_RANGE, "ageMax must be ≥ ageMin."))
    # Check-in days (issue 20): null (or absent) keeps the defaults, 30 and 90.
    if data.get("check_in_days") is not None:
        days = data["check_in_days"]
        if isinstance(days, list) and all(type(day) is int for day in days):
            day_errors = check_ins.days_errors(days)
        else:
            day_errors = [FieldError("checkInDays", ErrorCode.INVALID, "Whole numbers only.")]
        errors += day_errors
        if not day_errors:
            values["check_in_days"] = list(days)
    elif "check_in_days" in data:
        values["check_in_days"] = None
    return values, errors


def clean_location(
    data: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    values, errors = clean(data, LOCATION_SPECS, partial=partial)
    # Not required, so a partial update that leaves both out is already fine: both are None.
    errors += coordinate_errors(data.get("latitude"), data.get("longitude"), required=False)
    if not any(e.field in ("latitude", "longitude") for e in errors):
        for field in ("latitude", "longitude"):
            if field in data:
                values[field] = None if data[field] is None else float(data[field])
    return values, errors


def coordinate_errors(
    latitude: Any,
    longitude: Any,
    *,
    required: bool,
    partial: bool = False,
    present: Any = ("latitude", "longitude"),
) -> list[FieldError]:
    """Both or neither; latitude in [-90, 90], longitude in [-180, 180]."""
    if partial and "latitude" not in present and "longitude" not in present:
        return []
    if latitude is None and longitude is None:
        if required:
            return [
                FieldError("latitude", ErrorCode.REQUIRED, "latitude and longitude are required.")
            ]
        return []
    errors = []
    for field, value, limit in (("latitude", latitude, 90.0), ("longitude", longitude, 180.0)):
        if value is None:
            errors.append(
                FieldError(
                    field, ErrorCode.INVALID_COORDINATES, "latitude and longitude go together."
                )
            )
        elif isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            errors.append(
                FieldError(field, ErrorCode.INVALID_COORDINATES, f"{field} must be a number.")
            )
        elif not -limit <= value <= limit:
            errors.append(
                FieldError(
                    field,
                    ErrorCode.INVALID_COORDINATES,
                    f"{field} must be between -{limit:g} and {limit:g}.",
                )
            )
    return errors


# --- search ---------------------------------------------------------------------------------


class ServiceSort(StrEnum):
    NAME = "NAME"
    DISTANCE = "DISTANCE"
    RELEVANCE = "RELEVANCE"
    RECENTLY_UPDATED = "RECENTLY_UPDATED"


class OrganisationSort(StrEnum):
    NAME = "NAME"
    RELEVANCE = "RELEVANCE"
    RECENTLY_UPDATED = "RECENTLY_UPDATED"


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    km: float


@dataclass(frozen=True)
class ServiceFilter:
    area_code: str | None = None
    tags_any: tuple[str, ...] = ()
    tags_all: tuple[str, ...] = ()
    mode: ServiceMode | None = None
    accepts_referrals: bool | None = None
    capacity_statuses: tuple[CapacityStatus, ...] = ()
    organisation_kinds: tuple[OrganisationKind, ...] = ()
    organisation_id: str | None = None
    age: int | None = None
    search: str | None = None
    near: Near | None = None


@dataclass(frozen=True)
class OrganisationFilter:
    kinds: tuple[OrganisationKind, ...] = ()
    area_code: str | None = None
    search: str | None = None
    partner_of: str | None = None


def near_from(data: Mapping[str, Any] | None) -> Near | None:
    """Validate a `near: {lat, lon, km}` argument; raises PublicError with its own code."""
    if data is None:
        return None
    errors = coordinate_errors(data.get("lat"), data.get("lon"), required=True)
    if errors:
        first = errors[0]
        raise PublicError(
            first.code,
            first.message.replace("latitude", "lat").replace("longitude", "lon"),
            field="near",
        )
    km = data.get("km")
    if not isinstance(km, int | float) or isinstance(km, bool) or not 0 < km <= NEAR_KM_MAX:
        raise PublicError(
            ErrorCode.INVALID_RADIUS,
            f"near.km must be more than 0 and at most {NEAR_KM_MAX:g}.",
            field="near",
        )
    return Near(latitude=float(data["lat"]), longitude=float(data["lon"]), km=float(km))


def checked_area_code(code: str | None, *, field: str = "areaCode") -> str | None:
    if code is None:
        return None
    code = normalise_text(code)
    if not is_valid_area_code(code):
        raise PublicError(ErrorCode.INVALID_AREA_CODE, f"{field} {_AREA_CODE_MESSAGE}", field=field)
    return code


def is_tag_code(code: object) -> TypeGuard[str]:
    """A tag code as the API takes it: 1-64 of a-z, 0-9 and _ : . -"""
    return isinstance(code, str) and _TAG_CODE.match(code) is not None


def checked_tags(codes: list[str] | None, *, field: str) -> tuple[str, ...]:
    if not codes:
        return ()
    if len(codes) > TAG_FILTER_MAX:
        raise PublicError(
            ErrorCode.TOO_LONG, f"{field} takes at most {TAG_FILTER_MAX} tags.", field=field
        )
    cleaned = tuple(dict.fromkeys(normalise_text(code) for code in codes))
    for code in cleaned:
        if not _TAG_CODE.match(code):
            raise PublicError(ErrorCode.UNKNOWN_TAG, f"{field}: no tag {code!r}.", field=field)
    return cleaned


_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def fulltext_query(text: str | None) -> str | None:
    """Turn free text into a safe Lucene query: every word a quoted phrase, all required.

    With the CJK analyser a quoted word matches its bigrams in order, so 子ども食堂
    finds 「みんなの子ども食堂」 but not a text that merely has 子 and 食 somewhere.
    """
    if text is None:
        return None
    text = normalise_text(text)
    if not text:
        return None
    if len(text) > SEARCH_MAX:
        raise PublicError(
            ErrorCode.INVALID_SEARCH,
            f"search must be at most {SEARCH_MAX} characters.",
            field="search",
        )
    words = [_LUCENE_SPECIAL.sub(r"\\\1", word) for word in text.split()]
    return " AND ".join(f'"{word}"' for word in words)


# `sort` is a ServiceSort or OrganisationSort value as the API passes it, a plain string
# (a member of either StrEnum is one too).
def check_sort(sort: str, *, has_near: bool, has_search: bool) -> None:
    if sort == "DISTANCE" and not has_near:
        raise PublicError(
            ErrorCode.INVALID_SORT, "sort DISTANCE needs a near filter.", field="sort"
        )
    if sort == "RELEVANCE" and not has_search:
        raise PublicError(
            ErrorCode.INVALID_SORT, "sort RELEVANCE needs a search text.", field="sort"
        )
