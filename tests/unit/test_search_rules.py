import pytest

from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.directory.rules import (
    NEAR_KM_MAX,
    check_sort,
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
