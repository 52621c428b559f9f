"""core/validation.py: specs use Python's names, errors the API's."""

import re

from referral_hub.core.errors import ErrorCode
from referral_hub.core.validation import Text, api_name, clean


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
