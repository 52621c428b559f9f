"""core/validation.py: specs use Python's names, errors the API's."""

import re
from enum import StrEnum
from types import SimpleNamespace

import pytest

from referral_hub.core.errors import ErrorCode, ValidationFailed
from referral_hub.core.validation import (
    Boolean,
    Choice,
    Integer,
    Number,
    Text,
    TextList,
    api_name,
    checked_uuid,
    clean,
    enum_value,
    normalise_text,
    row_id,
)


def test_the_api_name_of_a_field_is_its_camel_case_name():
    assert api_name("postal_code") == "postalCode"
    assert api_name("response_target_hours") == "responseTargetHours"
    assert api_name("evidence_sha256") == "evidenceSha256"
    assert api_name("name") == "name"
    assert api_name("nameKana") == "nameKana"  # already the API's name


def test_values_keep_the_python_name_and_errors_name_the_api_field():
    specs = {"postal_code": Text(8, pattern=re.compile(r"^\d{3}-\d{4}$"))}
    values, errors = clean({"postal_code": "154-0017"}, specs)
    assert (values, errors) == ({"postal_code": "154-0017"}, [])
    _, errors = clean({"postal_code": "x"}, specs)
    assert [(e.field, e.code, e.message) for e in errors] == [
        ("postalCode", ErrorCode.INVALID, "postalCode has an invalid format.")
    ]
    _, errors = clean({}, {"area_code": Text(6, required=True)})
    assert [(e.field, e.message) for e in errors] == [("areaCode", "areaCode is required.")]
    _, errors = clean({"area_code": None}, {"area_code": Text(6, required=True)}, partial=True)
    assert [(e.field, e.message) for e in errors] == [("areaCode", "areaCode cannot be cleared.")]


# --- every branch of the cleaner, boundaries at N and N+1 (issue 24) ------------------------


class Colour(StrEnum):
    RED = "RED"
    BLUE = "BLUE"


def _one(spec, raw):
    """(value, [(field, code, message)]) of cleaning {"the_field": raw}."""
    values, errors = clean({"the_field": raw}, {"the_field": spec})
    return values.get("the_field"), [(e.field, e.code, e.message) for e in errors]


def test_text_is_normalised_and_bounded_at_its_length():
    assert _one(Text(5), " ＡＢＣ ") == ("ABC", [])  # NFKC folds full-width, ends trimmed
    assert _one(Text(5), "abcde") == ("abcde", [])
    assert _one(Text(5), "abcdef") == (
        None,
        [("theField", ErrorCode.TOO_LONG, "theField must be at most 5 characters.")],
    )
    assert _one(Text(5), "   ") == (None, [])  # blank is absent, not an empty string


def test_text_pattern_and_check_report_their_own_code_and_message():
    digits = Text(5, pattern=re.compile(r"^\d+$"), pattern_message="is digits only.")
    assert _one(digits, "123") == ("123", [])
    assert _one(digits, "12a") == (
        None,
        [("theField", ErrorCode.INVALID, "theField is digits only.")],
    )
    even = Text(5, check=lambda v: int(v) % 2 == 0, check_code=ErrorCode.INVALID_AREA_CODE)
    assert _one(even, "4") == ("4", [])
    assert _one(even, "3") == (
        None,
        [("theField", ErrorCode.INVALID_AREA_CODE, "theField has an invalid format.")],
    )


def test_integers_are_whole_numbers_within_both_bounds_and_never_booleans():
    spec = Integer(1, 10)
    assert _one(spec, 1) == (1, [])
    assert _one(spec, 10) == (10, [])
    out_of_range = [("theField", ErrorCode.OUT_OF_RANGE, "theField must be between 1 and 10.")]
    assert _one(spec, 0) == (None, out_of_range)
    assert _one(spec, 11) == (None, out_of_range)
    not_whole = [("theField", ErrorCode.INVALID, "theField must be a whole number.")]
    assert _one(spec, True) == (None, not_whole)
    assert _one(spec, 2.0) == (None, not_whole)
    assert _one(spec, "2") == (None, not_whole)


def test_numbers_refuse_nan_booleans_and_text_and_keep_their_bounds():
    spec = Number(-1.5, 1.5, code=ErrorCode.INVALID_COORDINATES)
    assert _one(spec, -1.5) == (-1.5, [])
    assert _one(spec, 1) == (1.0, [])
    assert isinstance(_one(spec, 1)[0], float)
    not_number = [("theField", ErrorCode.INVALID_COORDINATES, "theField must be a number.")]
    assert _one(spec, float("nan")) == (None, not_number)
    assert _one(spec, False) == (None, not_number)
    assert _one(spec, "1") == (None, not_number)
    outside = [
        ("theField", ErrorCode.INVALID_COORDINATES, "theField must be between -1.5 and 1.5.")
    ]
    assert _one(spec, 1.5000001) == (None, outside)
    assert _one(spec, -1.6) == (None, outside)


def test_booleans_are_only_true_or_false():
    assert _one(Boolean(), True) == (True, [])
    assert _one(Boolean(), False) == (False, [])
    for raw in (1, 0, "true"):
        assert _one(Boolean(), raw) == (
            None,
            [("theField", ErrorCode.INVALID, "theField must be true or false.")],
        )


def test_a_choice_is_one_of_its_enum_and_says_which_are_allowed():
    spec = Choice(Colour, code=ErrorCode.UNKNOWN_KIND)
    assert _one(spec, "RED") == (Colour.RED, [])
    assert _one(spec, Colour.BLUE) == (Colour.BLUE, [])
    assert _one(spec, "GREEN") == (
        None,
        [("theField", ErrorCode.UNKNOWN_KIND, "theField must be one of RED, BLUE.")],
    )


def test_a_text_list_is_bounded_in_items_and_item_length_and_loses_duplicates():
    spec = TextList(max_items=3, item_max_len=4, item_pattern=re.compile(r"^[a-z]+$"))
    assert _one(spec, ["b", "a", "b"]) == (["b", "a"], [])  # order kept
    assert _one(spec, ["a", "b", "c"]) == (["a", "b", "c"], [])
    assert _one(spec, ["a", "b", "c", "d"]) == (
        None,
        [("theField", ErrorCode.TOO_LONG, "theField takes at most 3 items.")],
    )
    assert _one(spec, ["abcd"]) == (["abcd"], [])
    for item in ("abcde", "A1", " "):
        assert _one(spec, [item])[1] == [
            ("theField", ErrorCode.INVALID, f"theField has an invalid item: {item.strip()!r}.")
        ]


def test_required_fields_on_create_and_on_a_partial_update():
    specs = {"name": Text(10, required=True), "note": Text(10), "tags": TextList(3, 5)}
    values, errors = clean({}, specs)
    assert values == {}
    assert [(e.field, e.code) for e in errors] == [("name", ErrorCode.REQUIRED)]
    # Partial: absent is unchanged, null clears an optional field (a list to []).
    values, errors = clean({"note": None, "tags": None}, specs, partial=True)
    assert (values, errors) == ({"note": None, "tags": []}, [])
    values, errors = clean({}, specs, partial=True)
    assert (values, errors) == ({}, [])
    required_list = {"codes": TextList(3, 5, required=True)}
    _, errors = clean({"codes": []}, required_list)
    assert [(e.field, e.message) for e in errors] == [("codes", "codes is required.")]


def test_ids_from_callers():
    assert checked_uuid("0C7D0F4E-8D43-4C52-9A55-3B0F9C8D2E61", "id") == (
        "0c7d0f4e-8d43-4c52-9a55-3b0f9c8d2e61"
    )
    with pytest.raises(ValidationFailed) as refused:
        checked_uuid("nope", "serviceId")
    assert [(e.field, e.code, e.message) for e in refused.value.errors] == [
        ("serviceId", ErrorCode.INVALID, "serviceId is not a UUID.")
    ]
    assert row_id("123") == 123
    assert row_id("9" * 18) == int("9" * 18)
    assert row_id("9" * 19) == -1
    assert row_id("²") == -1
    assert row_id("-1") == -1
    assert normalise_text("　ｶﾀｶﾅ ") == "カタカナ"


def test_an_enum_argument_becomes_its_plain_value():
    # graphene hands enum arguments over as objects with a .value; plain values pass as they are.
    assert enum_value(SimpleNamespace(value="NPO")) == "NPO"
    assert enum_value("NPO") == "NPO"
    assert enum_value(None) is None


def test_a_required_field_sent_empty_in_a_partial_update_cannot_be_cleared():
    values, errors = clean({"org_name": "  "}, {"org_name": Text(10, required=True)}, partial=True)
    assert values == {}
    assert [(e.field, e.code, e.message) for e in errors] == [
        ("orgName", ErrorCode.REQUIRED, "orgName cannot be cleared.")
    ]


@pytest.mark.parametrize(("raw", "refused"), [(-90, False), (90, False), (90.0001, True)])
def test_a_number_may_be_its_bounds(raw, refused):
    values, errors = clean({"lat": raw}, {"lat": Number(-90, 90)})
    assert [(e.field, e.message) for e in errors] == (
        [("lat", "lat must be between -90 and 90.")] if refused else []
    )
    assert values == ({} if refused else {"lat": float(raw)})


def test_a_username_is_as_long_as_djangos_username_field_allows():
    from django.contrib.auth import get_user_model

    from referral_hub.core.validation import USERNAME_MAX

    assert get_user_model()._meta.get_field("username").max_length == USERNAME_MAX == 150
