import pytest

from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.directory.rules import (
    NEAR_KM_MAX,
    Near,
    check_sort,
    checked_area_code,
    checked_tags,
    fulltext_query,
    near_from,
    prefecture_code_of,
)


def test_fulltext_words_are_quoted_escaped_and_all_required():
    assert fulltext_query("子ども食堂") == '"子ども食堂"'
    assert fulltext_query("学習　支援") == '"学習" AND "支援"'  # full-width space splits words
    assert fulltext_query('a"b (c) d*:') == '"a\\"b" AND "\\(c\\)" AND "d\\*\\:"'
    assert fulltext_query("   ") is None
    assert fulltext_query(None) is None


def test_fulltext_length_is_capped():
    with pytest.raises(PublicError) as caught:
        fulltext_query("あ" * 101)
    assert caught.value.code is ErrorCode.INVALID_SEARCH


@pytest.mark.parametrize(
    ("near", "code"),
    [
        ({"lat": 90.5, "lon": 0, "km": 1}, ErrorCode.INVALID_COORDINATES),
        ({"lat": 0, "lon": 180.5, "km": 1}, ErrorCode.INVALID_COORDINATES),
        ({"lat": float("nan"), "lon": 0, "km": 1}, ErrorCode.INVALID_COORDINATES),
        ({"lat": 0, "lon": 0, "km": 0}, ErrorCode.INVALID_RADIUS),
        ({"lat": 0, "lon": 0, "km": NEAR_KM_MAX + 0.1}, ErrorCode.INVALID_RADIUS),
    ],
)
def test_near_is_checked(near, code):
    with pytest.raises(PublicError) as caught:
        near_from(near)
    assert (caught.value.code, caught.value.field) == (code, "near")


def test_near_accepts_the_edges():
    assert near_from({"lat": -90, "lon": 180, "km": NEAR_KM_MAX}).km == NEAR_KM_MAX


def test_sorts_that_need_a_filter():
    check_sort("NAME", has_near=False, has_search=False)
    with pytest.raises(PublicError):
        check_sort("DISTANCE", has_near=False, has_search=True)
    with pytest.raises(PublicError):
        check_sort("RELEVANCE", has_near=True, has_search=False)


def test_tag_filters_are_deduplicated_and_capped():
    assert checked_tags(["a", "a", "b"], field="tagsAny") == ("a", "b")
    with pytest.raises(PublicError):
        checked_tags([f"t{i}" for i in range(21)], field="tagsAny")


def test_prefecture_of_an_area():
    assert prefecture_code_of("131121") == "130001"
    assert prefecture_code_of("141313") == "140007"


# --- each limit at N and N+1, stated as numbers, with its words (issue 24) --------------------


def _refusal(call):
    with pytest.raises(PublicError) as caught:
        call()
    return caught.value.code, caught.value.field, caught.value.message


def test_a_search_is_at_most_100_characters_after_normalising():
    assert fulltext_query("あ" * 100) == '"' + "あ" * 100 + '"'
    assert fulltext_query("  " + "あ" * 100 + "  ") == '"' + "あ" * 100 + '"'
    assert _refusal(lambda: fulltext_query("あ" * 101)) == (
        ErrorCode.INVALID_SEARCH,
        "search",
        "search must be at most 100 characters.",
    )


def test_at_most_20_tags_in_a_filter_and_each_a_tag_code():
    assert len(checked_tags([f"t{i}" for i in range(20)], field="tagsAll")) == 20
    assert _refusal(lambda: checked_tags([f"t{i}" for i in range(21)], field="tagsAll")) == (
        ErrorCode.TOO_LONG,
        "tagsAll",
        "tagsAll takes at most 20 tags.",
    )
    assert _refusal(lambda: checked_tags(["Meal Provision"], field="needTags")) == (
        ErrorCode.UNKNOWN_TAG,
        "needTags",
        "needTags: no tag 'Meal Provision'.",
    )
    assert checked_tags(["ｍｅａｌ"], field="tagsAny") == ("meal",)  # normalised first
    assert checked_tags(None, field="tagsAny") == ()
    assert checked_tags([], field="tagsAny") == ()


def test_near_is_up_to_200_km_and_the_words_name_lat_and_lon():
    assert near_from({"lat": 35, "lon": 139, "km": 200}).km == 200.0
    assert near_from(None) is None
    assert _refusal(lambda: near_from({"lat": 35, "lon": 139, "km": 200.01})) == (
        ErrorCode.INVALID_RADIUS,
        "near",
        "near.km must be more than 0 and at most 200.",
    )
    assert _refusal(lambda: near_from({"lat": 35, "lon": 139, "km": True}))[0] == (
        ErrorCode.INVALID_RADIUS
    )
    assert _refusal(lambda: near_from({"lat": 91, "lon": 139, "km": 1})) == (
        ErrorCode.INVALID_COORDINATES,
        "near",
        "lat must be between -90 and 90.",
    )
    assert _refusal(lambda: near_from({"lat": 35, "km": 1})) == (
        ErrorCode.INVALID_COORDINATES,
        "near",
        "lat and lon go together.",
    )


def test_the_sorts_say_which_filter_they_need():
    assert _refusal(lambda: check_sort("DISTANCE", has_near=False, has_search=True)) == (
        ErrorCode.INVALID_SORT,
        "sort",
        "sort DISTANCE needs a near filter.",
    )
    assert _refusal(lambda: check_sort("RELEVANCE", has_near=True, has_search=False)) == (
        ErrorCode.INVALID_SORT,
        "sort",
        "sort RELEVANCE needs a search text.",
    )
    check_sort("DISTANCE", has_near=True, has_search=False)
    check_sort("RELEVANCE", has_near=False, has_search=True)


def test_an_area_code_is_normalised_and_checked_by_its_check_digit():
    assert checked_area_code("１３１１２１") == "131121"
    assert checked_area_code(None) is None
    assert _refusal(lambda: checked_area_code("131122", field="area")) == (
        ErrorCode.INVALID_AREA_CODE,
        "area",
        "area must be a six-digit JIS X 0402 code with a valid check digit.",
    )


def test_near_needs_a_point_and_names_lat_and_lon():
    with pytest.raises(PublicError) as missing:
        near_from({"km": 5})
    assert (missing.value.code, missing.value.field, missing.value.message) == (
        ErrorCode.REQUIRED,
        "near",
        "lat and lon are required.",
    )


@pytest.mark.parametrize("km", [0.5, 1, 200])
def test_near_takes_any_radius_above_0_up_to_200_km(km):
    assert near_from({"lat": 35, "lon": 139.5, "km": km}) == Near(
        latitude=35.0, longitude=139.5, km=float(km)
    )


def test_an_area_code_refusal_names_area_code_unless_told_otherwise():
    with pytest.raises(PublicError) as refused:
        checked_area_code("131122")
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_AREA_CODE, "areaCode")
    assert refused.value.message == (
        "areaCode must be a six-digit JIS X 0402 code with a valid check digit."
    )
