"""Pure rules for opportunities: roles a place or NPO offers a person (issue 19, item 2).

"Start from what people like, not from their problems": an opportunity is something a
person can *do* (help at a children's cafeteria, read to children, teach shogi), tagged
with INTEREST tags. It is taken up through one of the publishing organisation's own
services (its VIA service), so a referral that offers the role goes to that service and
every referral rule keeps working. No I/O here: the graph's facts (which tags exist and
of which kind, who owns the service and the location) come in as plain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from referral_hub.core.errors import ErrorCode, FieldError
from referral_hub.core.validation import Integer, Spec, Text, TextList, clean
from referral_hub.directory.rules import (
    TagKind,
    is_tag_code,
    is_valid_area_code,
)

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
SCHEDULE_MAX = 200
INTEREST_TAGS_MAX = 10
_ID_MAX = 36  # a UUID's text; checked_uuid says whether it is one

_AREA_MESSAGE = "must be a six-digit JIS X 0402 code with a valid check digit."

OPPORTUNITY_SPECS: dict[str, Spec] = {
    "title": Text(TITLE_MAX, required=True),
    "description": Text(DESCRIPTION_MAX),
    "schedule": Text(SCHEDULE_MAX),
    "age_min": Integer(0, 120),
    "age_max": Integer(0, 120),
    "area_code": Text(
        6,
        required=True,
        check=is_valid_area_code,
        check_code=ErrorCode.INVALID_AREA_CODE,
        pattern_message=_AREA_MESSAGE,
    ),
    "interest_tags": TextList(max_items=INTEREST_TAGS_MAX, item_max_len=64, required=True),
    "service_id": Text(_ID_MAX, required=True),
    "location_id": Text(_ID_MAX),
}

OPPORTUNITY_DEFAULTS: dict[str, Any] = {
    "description": None,
    "schedule": None,
    "age_min": None,
    "age_max": None,
    "location_id": None,
}

# The graph properties a caller may set, by the snake_case field name.
STORED: dict[str, str] = {
    "title": "title",
    "description": "description",
    "schedule": "schedule",
    "age_min": "ageMin",
    "age_max": "ageMax",
    "area_code": "areaCode",
}


def clean_opportunity(
    data: Mapping[str, Any], *, partial: bool = False, current: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """Field checks for create (every required field) or a partial update (absent: kept).

    `current` holds the stored ages, so an update of one bound is checked against the other.
    """
    values, errors = clean(data, OPPORTUNITY_SPECS, partial=partial)
    if not partial:
        values = {**OPPORTUNITY_DEFAULTS, **values}
    errors += _tag_shape_errors(values)
    age_min = values.get("age_min", (current or {}).get("age_min"))
    age_max = values.get("age_max", (current or {}).get("age_max"))
    if age_min is not None and age_max is not None and age_min > age_max:
        errors.append(FieldError("ageMax", ErrorCode.OUT_OF_RANGE, "ageMax must be ≥ ageMin."))
    return values, errors


def _tag_shape_errors(values: dict[str, Any]) -> list[FieldError]:
    """Tag codes of the taxonomy's shape (clean() already refused an empty list, since a
    role no one can find by an interest defeats its purpose, and more than ten)."""
    bad = [code for code in values.get("interest_tags") or () if not is_tag_code(code)]
    if bad:
        return [
            FieldError("interestTags", ErrorCode.UNKNOWN_TAG, f"interestTags: no tag {bad[0]!r}.")
        ]
    return []


@dataclass(frozen=True)
class Facts:
    """What the graph says about an opportunity's references, read in the write's own
    transaction: whether the organisation exists, the service's and location's owner and
    whether each is active, and the kind of each tag code that exists."""

    organisation_found: bool
    service_owner: str | None = None
    service_active: bool = False
    location_owner: str | None = None
    location_active: bool = False
    tag_kinds: Mapping[str, str] | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Facts:
        service = row.get("service") or {}
        location = row.get("location") or {}
        return cls(
            organisation_found=bool(row.get("organisation_found")),
            service_owner=service.get("owner"),
            service_active=bool(service.get("active")),
            location_owner=location.get("owner"),
            location_active=bool(location.get("active")),
            tag_kinds={t["code"]: t["kind"] for t in row.get("tags") or []},
        )


def reference_errors(
    facts: Facts,
    *,
    organisation_id: str,
    service_id: str | None,
    location_id: str | None,
    interest_tags: list[str] | None,
) -> list[FieldError]:
    """The references an opportunity names must be the publishing organisation's own.

    Another organisation's service or location answers exactly as one that does not exist
    (UNKNOWN_SERVICE / UNKNOWN_LOCATION): the write must not tell whose ids are whose. An
    inactive service or location cannot take a role up. `None` means "not changed" (a
    partial update) and is not checked.
    """
    if not facts.organisation_found:
        return [
            FieldError(
                "organisationId", ErrorCode.UNKNOWN_ORGANISATION, "organisationId: not found."
            )
        ]
    errors: list[FieldError] = []
    if service_id is not None and not (
        facts.service_owner == organisation_id and facts.service_active
    ):
        errors.append(
            FieldError(
                "serviceId",
                ErrorCode.UNKNOWN_SERVICE,
                "serviceId: no active service of the publishing organisation.",
            )
        )
    if location_id is not None and not (
        facts.location_owner == organisation_id and facts.location_active
    ):
        errors.append(
            FieldError(
                "locationId",
                ErrorCode.UNKNOWN_LOCATION,
                "locationId: no active location of the publishing organisation.",
            )
        )
    errors += _tag_errors(facts.tag_kinds or {}, interest_tags)
    return errors


def _tag_errors(kinds: Mapping[str, str], codes: list[str] | None) -> list[FieldError]:
    if codes is None:
        return []
    unknown = [code for code in codes if code not in kinds]
    if unknown:
        return [
            FieldError(
                "interestTags",
                ErrorCode.UNKNOWN_TAG,
                f"interestTags: unknown tag(s) {', '.join(unknown)}.",
            )
        ]
    other = [code for code in codes if kinds[code] != TagKind.INTEREST.value]
    if other:
        return [
            FieldError(
                "interestTags",
                ErrorCode.WRONG_TAG_KIND,
                f"interestTags takes INTEREST tags only: {', '.join(other)}.",
            )
        ]
    return []
