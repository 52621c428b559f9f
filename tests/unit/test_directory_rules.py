import pytest

from referral_hub.core.errors import ErrorCode
from referral_hub.directory.rules import (
    NAME_MAX,
    CapacityStatus,
    OrganisationKind,
    ServiceMode,
    clean_location,
    clean_organisation,
    clean_service,
    coordinate_errors,
    is_valid_area_code,
    jis_check_digit,
)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("131121", True),  # Setagaya
        ("131016", True),  # Chiyoda
        ("131041", True),  # Shinjuku (weighted sum divisible by 11)
        ("011002", True),  # Sapporo
        ("130001", True),  # Tokyo prefecture
        ("131122", False),  # wrong check digit
        ("13112", False),  # five digits: the check digit is missing
        ("1311211", False),
        ("13112a", False),
        ("", False),
    ],
)
def test_area_code_check_digit(code, valid):
    assert is_valid_area_code(code) is valid


def test_check_digit_of_remainder_one_wraps_to_zero():
    # 6*0+5*0+4*0+3*0+2*5 = 10 -> remainder 10 -> 11-10 = 1; and a remainder of 1 gives 0.
    assert jis_check_digit("00005") == 1
    assert jis_check_digit("00006") == 0  # 12 % 11 == 1 -> (11-1) % 10 == 0


def test_valid_input_is_normalised():
    values, errors = clean_organisation(
        {"name": "  ＮＰＯ法人　まなびの森 ", "kind": "NPO", "area_code": "１３１１２１"}
    )
    assert errors == []
    assert values["name"] == "NPO法人 まなびの森"  # NFKC: full-width letters and space folded
    assert values["kind"] is OrganisationKind.NPO
    assert values["area_code"] == "131121"


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"kind": "NPO"}, "name", ErrorCode.REQUIRED),
        ({"name": "   ", "kind": "NPO"}, "name", ErrorCode.REQUIRED),
        ({"name": "x" * (NAME_MAX + 1), "kind": "NPO"}, "name", ErrorCode.TOO_LONG),
        ({"name": "x"}, "kind", ErrorCode.REQUIRED),
        ({"name": "x", "kind": "BANK"}, "kind", ErrorCode.UNKNOWN_KIND),
        (
            {"name": "x", "kind": "NPO", "area_code": "131122"},
            "areaCode",
            ErrorCode.INVALID_AREA_CODE,
        ),
        ({"name": "x", "kind": "NPO", "website": "ftp://x"}, "website", ErrorCode.INVALID),
        ({"name": "x", "kind": "NPO", "email": "no-at-sign"}, "email", ErrorCode.INVALID),
        ({"name": "x", "kind": "NPO", "phone": "call me"}, "phone", ErrorCode.INVALID),
        (
            {"name": "x", "kind": "NPO", "description": "d" * 2001},
            "description",
            ErrorCode.TOO_LONG,
        ),
    ],
)
def test_each_invalid_field_has_its_code(data, field, code):
    _, errors = clean_organisation(data)
    assert [(e.field, e.code) for e in errors] == [(field, code)]


def test_all_problems_are_reported_at_once():
    _, errors = clean_organisation({"name": "", "kind": "BANK", "email": "x"})
    assert {e.field for e in errors} == {"name", "kind", "email"}


# --- services and locations as createService / createLocation clean them (issue 24) -----------


def _service(**changes):
    return {"name": "学習支援", "mode": "SUPPORT", **changes}


def test_a_new_service_gets_the_defaults_it_did_not_say():
    values, errors = clean_service(_service())
    assert errors == []
    assert values == {
        "name": "学習支援",
        "mode": "SUPPORT",
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
        "check_in_days": None,
    }
    # A partial update adds no defaults: what is absent stays as it is.
    assert clean_service({"schedule": "月曜"}, partial=True) == ({"schedule": "月曜"}, [])


@pytest.mark.parametrize(
    ("days", "values", "errors"),
    [
        ([30, 90], {"check_in_days": [30, 90]}, []),
        ([1, 2, 3, 365], {"check_in_days": [1, 2, 3, 365]}, []),
        ([1, 2, 3, 4, 5], {}, [("checkInDays", "TOO_LONG")]),
        ([0], {}, [("checkInDays", "OUT_OF_RANGE")]),
        ([366], {}, [("checkInDays", "OUT_OF_RANGE")]),
        ([90, 30], {}, [("checkInDays", "INVALID")]),
        (["30"], {}, [("checkInDays", "INVALID")]),
        ([True], {}, [("checkInDays", "INVALID")]),
        ([], {}, [("checkInDays", "REQUIRED")]),
        (None, {"check_in_days": None}, []),  # back to the defaults
    ],
)
def test_check_in_days_on_an_update(days, values, errors):
    cleaned, found = clean_service({"check_in_days": days}, partial=True)
    assert cleaned == values
    assert [(e.field, e.code) for e in found] == errors


@pytest.mark.parametrize(
    ("changes", "current", "errors"),
    [
        ({"age_min": 6, "age_max": 6}, None, []),  # equal ages are one age
        ({"age_min": 7, "age_max": 6}, None, [("ageMax", "OUT_OF_RANGE")]),
        ({"age_min": 0, "age_max": 120}, None, []),
        ({"age_min": -1}, None, [("ageMin", "OUT_OF_RANGE")]),
        ({"age_max": 121}, None, [("ageMax", "OUT_OF_RANGE")]),
        ({"response_target_hours": 720}, None, []),  # 30 days
        ({"response_target_hours": 721}, None, [("responseTargetHours", "OUT_OF_RANGE")]),
        ({"response_target_hours": 0}, None, [("responseTargetHours", "OUT_OF_RANGE")]),
        ({"languages": ["ja", "en", "pt-BR", "fil"]}, None, []),
        ({"languages": ["japanese"]}, None, [("languages", "INVALID")]),
        (
            {"languages": ["ja", "en", "ko", "zh", "pt", "es", "fr", "de", "vi", "th"]},
            None,
            [],
        ),  # at most 10
        ({"languages": ["ja"] * 11}, None, [("languages", "TOO_LONG")]),  # counted as sent
    ],
)
def test_service_rules(changes, current, errors):
    _, found = clean_service(_service(**changes))
    assert [(e.field, e.code.value) for e in found] == errors


def test_a_partial_update_checks_the_ages_against_the_stored_ones():
    _, errors = clean_service({"age_min": 13}, partial=True, current={"age_min": 6, "age_max": 12})
    assert [(e.field, e.code.value, e.message) for e in errors] == [
        ("ageMax", "OUT_OF_RANGE", "ageMax must be ≥ ageMin.")
    ]
    assert clean_service({"age_min": 12}, partial=True, current={"age_max": 12})[1] == []


@pytest.mark.parametrize(("count", "errors"), [(30, []), (31, [("tagCodes", "TOO_LONG")])])
def test_a_service_has_at_most_30_tags(count, errors):
    tags = [f"tag_{n}" for n in range(count)]
    assert [(e.field, e.code.value) for e in clean_service(_service(tag_codes=tags))[1]] == errors


@pytest.mark.parametrize(("count", "errors"), [(50, []), (51, [("locationIds", "TOO_LONG")])])
def test_a_service_is_at_most_at_50_locations(count, errors):
    ids = [f"{n:036d}" for n in range(count)]
    assert [(e.field, e.code.value) for e in clean_service(_service(location_ids=ids))[1]] == errors


def test_a_location_cleans_its_postal_code_area_and_coordinates():
    values, errors = clean_location(
        {
            "name": "教室",
            "area_code": "141313",
            "postal_code": "210-0007",
            "latitude": 35,
            "longitude": 139.7,
        }
    )
    assert errors == []
    assert values == {
        "name": "教室",
        "postal_code": "210-0007",
        "area_code": "141313",
        "latitude": 35.0,
        "longitude": 139.7,
    }
    assert isinstance(values["latitude"], float)
    _, errors = clean_location({"name": "x", "area_code": "141313", "postal_code": "21-0007"})
    assert [(e.field, e.code.value, e.message) for e in errors] == [
        ("postalCode", "INVALID", "postalCode must look like 154-0017.")
    ]
    _, errors = clean_location({"name": "x"})
    assert [(e.field, e.code.value) for e in errors] == [("areaCode", "REQUIRED")]


@pytest.mark.parametrize(
    ("latitude", "longitude", "errors"),
    [
        (90, 180, []),
        (-90, -180, []),
        (90.0001, 0, [("latitude", "latitude must be between -90 and 90.")]),
        (0, -180.0001, [("longitude", "longitude must be between -180 and 180.")]),
        (35, None, [("longitude", "latitude and longitude go together.")]),
        (True, 139, [("latitude", "latitude must be a number.")]),
        (float("nan"), 139, [("latitude", "latitude must be a number.")]),
        (None, None, []),
    ],
)
def test_coordinates_go_together_within_the_globe(latitude, longitude, errors):
    found = coordinate_errors(latitude, longitude, required=False)
    assert [(e.field, e.message) for e in found] == errors
    assert all(e.code == ErrorCode.INVALID_COORDINATES for e in found)


def test_required_coordinates_and_a_partial_update_that_leaves_them_alone():
    assert [(e.field, e.code) for e in coordinate_errors(None, None, required=True)] == [
        ("latitude", ErrorCode.REQUIRED)
    ]
    assert coordinate_errors(None, None, required=True, partial=True, present=()) == []
    found = coordinate_errors(1, None, required=False, partial=True, present=("latitude",))
    assert [e.field for e in found] == ["longitude"]
    found = coordinate_errors(None, 139, required=False, partial=True, present=("longitude",))
    assert [e.field for e in found] == ["latitude"]


def test_a_partial_update_of_an_organisation_or_a_location_checks_only_what_it_sends():
    assert clean_organisation({"phone": "03-1234-5678"}, partial=True) == (
        {"phone": "03-1234-5678"},
        [],
    )
    assert clean_location({"address": "世田谷区1-2-3"}, partial=True) == (
        {"address": "世田谷区1-2-3"},
        [],
    )
    _, errors = clean_location({"address": "世田谷区1-2-3"})
    assert [e.field for e in errors] == ["name", "areaCode"]


def test_a_locations_coordinates_are_kept_when_only_other_fields_are_wrong():
    values, errors = clean_location({"latitude": 35, "longitude": 139.5, "area_code": "131121"})
    assert [e.field for e in errors] == ["name"]
    assert (values["latitude"], values["longitude"]) == (35.0, 139.5)
    assert isinstance(values["latitude"], float)


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"), [(90.5, 139.0, "latitude"), (35.0, 180.5, "longitude")]
)
def test_a_location_with_a_wrong_coordinate_keeps_neither(latitude, longitude, field):
    values, errors = clean_location(
        {"name": "n", "area_code": "131121", "latitude": latitude, "longitude": longitude}
    )
    assert [e.field for e in errors] == [field]
    assert "latitude" not in values
    assert "longitude" not in values


@pytest.mark.parametrize(
    ("update", "current", "refused"),
    [
        ({"age_max": 10}, {"age_min": 12, "age_max": 15}, True),
        ({"age_max": 12}, {"age_min": 12, "age_max": 15}, False),
        ({"age_min": 16}, {"age_min": 12, "age_max": 15}, True),
        ({"age_min": 15}, {"age_min": 12, "age_max": 15}, False),
    ],
)
def test_a_partial_update_of_ages_is_checked_against_the_stored_ones(update, current, refused):
    _, errors = clean_service(update, partial=True, current=current)
    assert [(e.field, e.code, e.message) for e in errors] == (
        [("ageMax", ErrorCode.OUT_OF_RANGE, "ageMax must be ≥ ageMin.")] if refused else []
    )


def test_the_check_digit_takes_exactly_five_digits():
    assert jis_check_digit("13112") == 1
    with pytest.raises(ValueError, match="zip"):
        jis_check_digit("1311")


def test_every_field_of_a_service_keeps_its_own_kind_of_value():
    full = {
        "name": "学習支援",
        "description": "毎週",
        "mode": "EXCHANGE",
        "age_min": 6,
        "age_max": 15,
        "languages": ["ja", "pt-BR"],
        "schedule": "月曜 16:00-18:00",
        "accepts_referrals": False,
        "response_target_hours": 48,
        "capacity_status": "WAITLIST",
        "tag_codes": ["need:study"],
        "location_ids": ["loc-1"],
        "check_in_days": [14, 60],
    }
    values, errors = clean_service(full)
    assert errors == []
    assert values == {
        **full,
        "mode": ServiceMode.EXCHANGE,
        "capacity_status": CapacityStatus.WAITLIST,
    }


def test_every_field_of_an_organisation_and_a_location_keeps_its_value():
    organisation = {
        "name": "まなびの森",
        "kind": "NPO",
        "description": "学習支援",
        "area_code": "131121",
        "website": "https://example.org/",
        "email": "info@example.org",
        "phone": "+81 3-1234-5678",
    }
    assert clean_organisation(organisation) == (
        {**organisation, "kind": OrganisationKind.NPO},
        [],
    )
    location = {
        "name": "教室",
        "address": "世田谷区1-2-3",
        "postal_code": "1540017",
        "area_code": "131121",
    }
    assert clean_location(location) == (location, [])


@pytest.mark.parametrize(
    ("clean_", "base", "field", "api", "longest", "value"),
    [
        (clean_organisation, {"name": "n", "kind": "NPO"}, "description", "description", 2000, ""),
        (clean_organisation, {"name": "n", "kind": "NPO"}, "website", "website", 500, "https://"),
        (clean_organisation, {"name": "n", "kind": "NPO"}, "email", "email", 254, "a@b.jp"),
        (clean_organisation, {"name": "n", "kind": "NPO"}, "phone", "phone", 30, "0"),
        (clean_service, {"name": "n", "mode": "SUPPORT"}, "schedule", "schedule", 500, ""),
        (clean_location, {"name": "n", "area_code": "131121"}, "address", "address", 300, ""),
    ],
)
def test_each_text_is_at_most_its_length(clean_, base, field, api, longest, value):
    # `value` starts the text so it matches its pattern; digits fill it up to the length.
    at_most = value + "1" * (longest - len(value))
    assert clean_({**base, field: at_most})[1] == []
    _, errors = clean_({**base, field: at_most + "1"})
    assert [(e.field, e.code, e.message) for e in errors] == [
        (api, ErrorCode.TOO_LONG, f"{api} must be at most {longest} characters.")
    ]


@pytest.mark.parametrize(
    ("clean_", "base", "field"),
    [
        (clean_organisation, {"name": "n", "kind": "NPO"}, "area_code"),
        (clean_location, {"name": "n"}, "area_code"),
    ],
)
def test_an_area_code_of_seven_digits_is_too_long(clean_, base, field):
    _, errors = clean_({**base, field: "1311210"})
    assert [(e.field, e.code) for e in errors] == [("areaCode", ErrorCode.TOO_LONG)]


def test_a_postal_code_is_at_most_8_characters_and_a_location_id_at_most_36():
    _, errors = clean_location({"name": "n", "area_code": "131121", "postal_code": "154-00170"})
    assert [(e.field, e.code) for e in errors] == [("postalCode", ErrorCode.TOO_LONG)]
    assert clean_service(_service(location_ids=["x" * 36]))[1] == []
    _, errors = clean_service(_service(location_ids=["x" * 37]))
    assert [(e.field, e.code) for e in errors] == [("locationIds", ErrorCode.INVALID)]


def test_accepts_referrals_is_true_or_false():
    _, errors = clean_service(_service(accepts_referrals="yes"))
    assert [(e.field, e.code, e.message) for e in errors] == [
        ("acceptsReferrals", ErrorCode.INVALID, "acceptsReferrals must be true or false.")
    ]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"age_min": 120, "age_max": 120}, []),
        ({"age_min": 121}, [("ageMin", "OUT_OF_RANGE")]),
        ({"age_min": 0, "age_max": 0}, []),
        ({"age_max": -1}, [("ageMax", "OUT_OF_RANGE")]),
        ({"response_target_hours": 1}, []),
    ],
)
def test_both_ages_are_0_to_120_and_a_response_target_at_least_one_hour(changes, errors):
    _, found = clean_service(_service(**changes))
    assert [(e.field, e.code.value) for e in found] == errors
