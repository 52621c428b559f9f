"""The opportunity rules (issue 19, item 2) at their exact boundaries, without a database."""

import pytest

from referral_hub.core.errors import ErrorCode
from referral_hub.directory.opportunities import (
    DESCRIPTION_MAX,
    INTEREST_TAGS_MAX,
    SCHEDULE_MAX,
    TITLE_MAX,
    Facts,
    clean_opportunity,
    reference_errors,
)

ORG = "11111111-1111-4111-8111-111111111111"
OTHER = "22222222-2222-4222-8222-222222222222"
SVC = "33333333-3333-4333-8333-333333333333"
LOC = "44444444-4444-4444-8444-444444444444"

VALID = {
    "title": "子ども食堂の配膳ボランティア",
    "area_code": "141313",
    "service_id": SVC,
    "interest_tags": ["cooking"],
}


def codes(errors):
    return [(e.field, e.code) for e in errors]


def test_the_limits_are_the_issues():
    assert (TITLE_MAX, DESCRIPTION_MAX, SCHEDULE_MAX, INTEREST_TAGS_MAX) == (120, 2000, 200, 10)


def test_a_minimal_opportunity_gets_its_defaults():
    values, errors = clean_opportunity(VALID)
    assert errors == []
    assert values == {
        **VALID,
        "description": None,
        "schedule": None,
        "age_min": None,
        "age_max": None,
        "location_id": None,
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": "x" * TITLE_MAX}, []),
        ({"title": "x" * (TITLE_MAX + 1)}, [("title", ErrorCode.TOO_LONG)]),
        ({"title": "  "}, [("title", ErrorCode.REQUIRED)]),
        ({"title": None}, [("title", ErrorCode.REQUIRED)]),
        ({"description": "x" * DESCRIPTION_MAX}, []),
        ({"description": "x" * (DESCRIPTION_MAX + 1)}, [("description", ErrorCode.TOO_LONG)]),
        ({"schedule": "x" * SCHEDULE_MAX}, []),
        ({"schedule": "x" * (SCHEDULE_MAX + 1)}, [("schedule", ErrorCode.TOO_LONG)]),
        ({"age_min": 0, "age_max": 120}, []),
        ({"age_min": -1}, [("ageMin", ErrorCode.OUT_OF_RANGE)]),
        ({"age_max": 121}, [("ageMax", ErrorCode.OUT_OF_RANGE)]),
        ({"age_min": 12, "age_max": 12}, []),
        ({"age_min": 13, "age_max": 12}, [("ageMax", ErrorCode.OUT_OF_RANGE)]),
        ({"age_min": True}, [("ageMin", ErrorCode.INVALID)]),
        ({"interest_tags": [f"t{i}" for i in range(INTEREST_TAGS_MAX)]}, []),
        (
            {"interest_tags": [f"t{i}" for i in range(INTEREST_TAGS_MAX + 1)]},
            [("interestTags", ErrorCode.TOO_LONG)],
        ),
        ({"interest_tags": []}, [("interestTags", ErrorCode.REQUIRED)]),
        ({"interest_tags": ["Not A Tag"]}, [("interestTags", ErrorCode.UNKNOWN_TAG)]),
        ({"area_code": "141314"}, [("areaCode", ErrorCode.INVALID_AREA_CODE)]),
        ({"area_code": None}, [("areaCode", ErrorCode.REQUIRED)]),
        ({"service_id": None}, [("serviceId", ErrorCode.REQUIRED)]),
    ],
)
def test_each_field_at_its_boundary(change, expected):
    _, errors = clean_opportunity({**VALID, **change})
    assert codes(errors) == expected


def test_a_partial_update_checks_ages_against_the_stored_ones():
    _, errors = clean_opportunity({"age_min": 16}, partial=True, current={"age_max": 15})
    assert codes(errors) == [("ageMax", ErrorCode.OUT_OF_RANGE)]
    _, errors = clean_opportunity({"age_min": 15}, partial=True, current={"age_max": 15})
    assert errors == []


def test_a_partial_update_may_not_clear_what_is_required():
    _, errors = clean_opportunity({"title": None, "interest_tags": []}, partial=True)
    assert codes(errors) == [
        ("title", ErrorCode.REQUIRED),
        ("interestTags", ErrorCode.REQUIRED),
    ]
    values, errors = clean_opportunity({"location_id": None}, partial=True)
    assert (values, errors) == ({"location_id": None}, [])


def facts(**change):
    base = {
        "organisation_found": True,
        "service": {"owner": ORG, "active": True},
        "location": {"owner": ORG, "active": True},
        "tags": [{"code": "cooking", "kind": "INTEREST"}, {"code": "loneliness", "kind": "NEED"}],
    }
    return Facts.from_row({**base, **change})


def check(fact, *, tags=("cooking",), service=SVC, location=LOC):
    return codes(
        reference_errors(
            fact,
            organisation_id=ORG,
            service_id=service,
            location_id=location,
            interest_tags=None if tags is None else list(tags),
        )
    )


@pytest.mark.parametrize(
    ("fact", "kwargs", "expected"),
    [
        (facts(), {}, []),
        (facts(organisation_found=False), {}, [("organisationId", ErrorCode.UNKNOWN_ORGANISATION)]),
        (facts(service=None), {}, [("serviceId", ErrorCode.UNKNOWN_SERVICE)]),
        # Another organisation's service answers as one that does not exist.
        (facts(service={"owner": OTHER, "active": True}), {}, [("serviceId", "UNKNOWN_SERVICE")]),
        (facts(service={"owner": ORG, "active": False}), {}, [("serviceId", "UNKNOWN_SERVICE")]),
        (facts(location=None), {}, [("locationId", ErrorCode.UNKNOWN_LOCATION)]),
        (
            facts(location={"owner": OTHER, "active": True}),
            {},
            [("locationId", "UNKNOWN_LOCATION")],
        ),
        (facts(location={"owner": ORG, "active": False}), {}, [("locationId", "UNKNOWN_LOCATION")]),
        (facts(location=None), {"location": None}, []),  # no location asked: none needed
        (facts(), {"tags": ("cooking", "nope")}, [("interestTags", ErrorCode.UNKNOWN_TAG)]),
        (facts(), {"tags": ("loneliness",)}, [("interestTags", ErrorCode.WRONG_TAG_KIND)]),
        (facts(), {"tags": None, "service": None, "location": None}, []),  # partial: unchanged
    ],
)
def test_references_must_be_the_publishers_own(fact, kwargs, expected):
    assert check(fact, **kwargs) == expected
