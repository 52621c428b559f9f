"""The public finder's pure rules: its arguments, its page size, its cache key, and the
search form read into the API's variables."""

import pytest

from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.directory import finder
from referral_hub.directory.finder import FinderCriteria, cache_key, criteria_from, page_size
from referral_hub.directory.rules import Near
from referral_hub.web import places_form

KAWASAKI_KU = "141313"


def _refusal(**arguments) -> tuple[ErrorCode, str | None]:
    with pytest.raises(PublicError) as refused:
        criteria_from(**arguments)
    return refused.value.code, refused.value.field


def test_criteria_are_normalised_sorted_and_deduplicated():
    criteria = criteria_from(
        interest_tags=["reading", "ｃｏｏｋｉｎｇ", "reading"], area_code="141313"
    )
    assert criteria == FinderCriteria(interest_tags=("cooking", "reading"), area_code=KAWASAKI_KU)


def test_no_criteria_is_every_place():
    assert criteria_from() == FinderCriteria()
    assert criteria_from(interest_tags=[]) == FinderCriteria()


@pytest.mark.parametrize(
    ("arguments", "refusal"),
    [
        ({"interest_tags": ["Bad Tag"]}, (ErrorCode.UNKNOWN_TAG, "interestTags")),
        ({"interest_tags": ["a"] * 21}, (ErrorCode.TOO_LONG, "interestTags")),
        ({"area_code": "14131"}, (ErrorCode.INVALID_AREA_CODE, "areaCode")),
        ({"area_code": "141310"}, (ErrorCode.INVALID_AREA_CODE, "areaCode")),
        (
            {"near": {"latitude": 35.5, "longitude": 139.7, "km": 0}},
            (ErrorCode.INVALID_RADIUS, "near"),
        ),
        (
            {"near": {"latitude": 35.5, "longitude": 139.7, "km": -1}},
            (ErrorCode.INVALID_RADIUS, "near"),
        ),
        (
            {"near": {"latitude": 35.5, "longitude": 139.7, "km": 50.0001}},
            (ErrorCode.INVALID_RADIUS, "near"),
        ),
        (
            {"near": {"latitude": 35.5, "longitude": 139.7, "km": True}},
            (ErrorCode.INVALID_RADIUS, "near"),
        ),
        (
            {"near": {"latitude": -90.01, "longitude": 139.7, "km": 1}},
            (ErrorCode.INVALID_COORDINATES, "near"),
        ),
        (
            {"near": {"latitude": 35.5, "longitude": 180.01, "km": 1}},
            (ErrorCode.INVALID_COORDINATES, "near"),
        ),
        ({"near": {"latitude": 35.5, "km": 1}}, (ErrorCode.INVALID_COORDINATES, "near")),
        (
            {"area_code": KAWASAKI_KU, "near": {"latitude": 35.5, "longitude": 139.7, "km": 1}},
            (ErrorCode.CONFLICTING_FILTERS, "near"),
        ),
    ],
)
def test_bad_arguments_are_refused_with_their_code_and_field(arguments, refusal):
    assert _refusal(**arguments) == refusal


def test_the_radius_and_the_tag_count_have_inclusive_upper_bounds():
    near = criteria_from(near={"latitude": -90, "longitude": 180, "km": 50}).near
    assert near == Near(latitude=-90.0, longitude=180.0, km=50.0)
    assert len(criteria_from(interest_tags=[f"t{i}" for i in range(20)]).interest_tags) == 20


@pytest.mark.parametrize(("first", "size"), [(None, 10), (1, 1), (50, 50)])
def test_page_size_defaults_to_ten_and_allows_one_to_fifty(first, size):
    assert page_size(first) == size


@pytest.mark.parametrize("first", [0, -1, 51])
def test_page_size_outside_one_to_fifty_is_refused(first):
    with pytest.raises(PublicError) as refused:
        page_size(first)
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_PAGE_SIZE, "first")


def test_a_circle_sorts_by_distance_and_anything_else_by_name():
    assert finder.sort_of(FinderCriteria()) == "NAME"
    assert finder.sort_of(FinderCriteria(area_code=KAWASAKI_KU)) == "NAME"
    assert finder.sort_of(FinderCriteria(near=Near(35.0, 139.0, 1.0))) == "DISTANCE"


def test_the_cache_key_is_one_per_meaning():
    one = criteria_from(interest_tags=["reading", "cooking"])
    same = criteria_from(interest_tags=["cooking", "ｒｅａｄｉｎｇ"])
    key = cache_key("places", one, first=10, after=None)
    assert key == cache_key("places", same, first=10, after=None)
    assert key.startswith("finder:")
    assert "reading" not in key
    others = {
        cache_key("opportunities", one, first=10, after=None),
        cache_key("places", one, first=11, after=None),
        cache_key("places", one, first=10, after="abc"),
        cache_key("places", criteria_from(interest_tags=["reading"]), first=10, after=None),
        cache_key("places", criteria_from(area_code=KAWASAKI_KU), first=10, after=None),
        cache_key(
            "places",
            criteria_from(near={"latitude": 35.5, "longitude": 139.7, "km": 1}),
            first=10,
            after=None,
        ),
        cache_key(
            "places",
            criteria_from(near={"latitude": 35.5, "longitude": 139.7, "km": 2}),
            first=10,
            after=None,
        ),
    }
    assert key not in others
    assert len(others) == 7


# --- the page's form ------------------------------------------------------------------------

AREAS = [
    {"code": KAWASAKI_KU, "officeLatitude": 35.53, "officeLongitude": 139.70},
    {"code": "141305", "officeLatitude": None, "officeLongitude": None},
]


def _variables(**values):
    form = places_form.read({k: v if isinstance(v, list) else [v] for k, v in values.items()})
    return places_form.variables(form, AREAS, first=10)


def test_an_empty_form_asks_for_the_first_page_of_everything():
    assert _variables() == ({"first": 10}, {})


def test_interests_an_area_and_a_page():
    assert _variables(tag=["reading", " cooking ", "reading", ""], area=KAWASAKI_KU, after="c") == (
        {"first": 10, "tags": ["reading", "cooking"], "area": KAWASAKI_KU, "after": "c"},
        {},
    )


def test_an_area_with_a_distance_is_a_circle_around_its_office():
    assert _variables(area=KAWASAKI_KU, km="5") == (
        {"first": 10, "near": {"latitude": 35.53, "longitude": 139.70, "km": 5.0}},
        {},
    )


def test_a_place_point_wins_over_the_area_and_defaults_to_two_km():
    variables, errors = _variables(area=KAWASAKI_KU, lat="35.6", lon="139.6")
    assert (variables["near"], "area" in variables, errors) == (
        {"latitude": 35.6, "longitude": 139.6, "km": 2.0},
        False,
        {},
    )


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"area": KAWASAKI_KU, "km": "far"}, {"km": "not_a_number"}),
        ({"area": KAWASAKI_KU, "km": "nan"}, {"km": "not_a_number"}),
        ({"lat": "35.6", "lon": "east"}, {"near": "not_a_number"}),
        ({"lat": "35.6"}, {"near": "not_a_number"}),
        ({"area": "141305", "km": "1"}, {"km": "no_office"}),
        ({"area": "999997", "km": "1"}, {"km": "no_office"}),
    ],
)
def test_what_the_form_cannot_turn_into_a_search(values, errors):
    assert _variables(**values)[1] == errors


def test_a_distance_alone_changes_nothing_and_extra_tags_reach_the_api():
    assert _variables(km="5") == ({"first": 10}, {})
    tags = [f"t{i}" for i in range(30)]
    assert len(_variables(tag=tags)[0]["tags"]) == 21


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"area_code": KAWASAKI_KU, "near": {"latitude": 35.5, "longitude": 139.7, "km": 1}},
            "Give areaCode or near, not both.",
        ),
        (
            {"near": {"latitude": 35.5, "longitude": 139.7, "km": 51}},
            "near.km must be more than 0 and at most 50.",
        ),
        (
            {"near": {"latitude": 91, "longitude": 139.7, "km": 1}},
            "near.latitude must be between -90 and 90.",
        ),
        ({"near": {"km": 1}}, "near.latitude and longitude are required."),
    ],
)
def test_each_refusal_says_what_to_change(arguments, message):
    with pytest.raises(PublicError) as refused:
        criteria_from(**arguments)
    assert refused.value.message == message


def test_a_circle_needs_its_centre():
    assert _refusal(near={"km": 1}) == (ErrorCode.REQUIRED, "near")


def test_the_page_size_refusal_names_the_bounds():
    with pytest.raises(PublicError) as refused:
        page_size(0)
    assert refused.value.message == "first must be between 1 and 50."


def test_the_cache_key_is_the_hash_of_the_canonical_arguments():
    import hashlib

    criteria = criteria_from(
        interest_tags=["reading"], near={"latitude": 35.1234564, "longitude": 139.7654321, "km": 2}
    )
    canonical = '["1","places",["reading"],null,[35.123456,139.765432,2.0],10,"c"]'
    expected = "finder:" + hashlib.sha256(canonical.encode()).hexdigest()
    assert cache_key("places", criteria, first=10, after="c") == expected


def test_points_closer_than_a_micro_degree_share_a_key():
    def key(latitude: float, longitude: float) -> str:
        near = {"latitude": latitude, "longitude": longitude, "km": 1}
        return cache_key("places", criteria_from(near=near), first=10, after=None)

    assert key(35.1234561, 139.7654321) == key(35.1234564, 139.7654324)
    assert key(35.123456, 139.765432) != key(35.123457, 139.765432)
    assert key(35.123456, 139.765432) != key(35.123456, 139.765433)


def test_the_distance_menu_and_the_tag_bound():
    assert places_form.KM_CHOICES == ("1", "2", "5", "10")
    assert places_form.TAGS_MAX == 20
