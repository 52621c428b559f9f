import pytest

from referral_hub.core.errors import ErrorCode
from referral_hub.directory.rules import (
    NAME_MAX,
    OrganisationKind,
    clean_organisation,
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
