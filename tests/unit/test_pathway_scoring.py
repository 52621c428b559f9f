import math

import pytest

from referral_hub.pathways import scoring


def candidate(name, mode="SUPPORT", *, km=1.0, hops=1, capacity="AVAILABLE", needs=1, **stats):
    return {
        "service": {"id": name, "name": name, "mode": mode, "capacityStatus": capacity, **stats},
        "needs_met": ["n"] * needs,
        "interests_met": [],
        "distance_km": km,
        "hops": hops,
    }


def test_the_weights_add_up_to_one_and_the_best_bands_score_their_middles():
    assert math.isclose(sum(scoring.WEIGHTS.values()), 1.0)
    best = candidate(
        "best",
        km=0.0,
        hops=1,
        statsAcceptanceBand="MOST",
        statsCompletionBand="MOST",
        statsReplyBand="WITHIN_A_DAY",
    )
    (scored,) = scoring.rank([best], needs=1, interests=0, exchange_first=False, limit=5)
    w = scoring.WEIGHTS
    expected = (
        w["tag_match"]
        + w["distance"]
        + w["capacity"]
        + w["partnership"]
        + (w["acceptance"] + w["completion"]) * 0.875
        + w["response"] * scoring.response_fit(12.0)
    )
    assert scored.score == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("band", "share"),
    [("MOST", 0.875), ("MORE_THAN_HALF", 0.625), ("SOME", 0.375), ("FEW", 0.125), (None, None)],
)
def test_a_share_band_counts_as_its_middle(band, share):
    assert scoring.band_share(band) == share


@pytest.mark.parametrize(
    ("band", "hours"),
    [
        ("WITHIN_A_DAY", 12.0),
        ("WITHIN_3_DAYS", 48.0),
        ("WITHIN_A_WEEK", 120.0),
        ("SLOWER", 240.0),
        (None, None),
    ],
)
def test_a_reply_band_counts_as_its_middle(band, hours):
    assert scoring.band_hours(band) == hours


@pytest.mark.parametrize(
    ("fit", "value", "expected"),
    [
        (scoring.distance_fit, None, 0.5),
        (scoring.distance_fit, 0.0, 1.0),
        (scoring.distance_fit, 3.0, 0.5),
        (scoring.partnership_fit, None, 0.0),
        (scoring.partnership_fit, 1, 1.0),
        (scoring.partnership_fit, 4, 0.25),
        (scoring.rate_fit, None, 0.5),
        (scoring.rate_fit, 0.2, 0.2),
        (scoring.response_fit, 24.0, 0.5),
        (scoring.response_fit, None, 0.5),
    ],
)
def test_each_fit(fit, value, expected):
    assert fit(value) == expected


def test_tag_fit_counts_an_interest_as_half_a_need():
    assert scoring.tag_fit(1, 1, 0, 1) == pytest.approx(2 / 3)
    assert scoring.tag_fit(1, 2, 0, 0) == 0.5
    assert scoring.tag_fit(0, 0, 1, 2) == 0.5
    assert scoring.tag_fit(0, 0, 0, 0) == 0.0


def test_exchange_places_first_only_when_asked():
    near_support = candidate("support", km=0.1)
    far_exchange = candidate("exchange", "EXCHANGE", km=9.0)
    by_score = scoring.rank(
        [far_exchange, near_support], needs=1, interests=0, exchange_first=False, limit=5
    )
    assert [s.candidate["service"]["name"] for s in by_score] == ["support", "exchange"]
    stigma = scoring.rank(
        [near_support, far_exchange], needs=1, interests=0, exchange_first=True, limit=5
    )
    assert [s.candidate["service"]["name"] for s in stigma] == ["exchange", "support"]


def test_equal_scores_go_by_name_and_the_limit_cuts_the_lowest():
    tied = [candidate("b"), candidate("a"), candidate("c", km=None, hops=None)]
    ranked = scoring.rank(tied, needs=1, interests=0, exchange_first=False, limit=2)
    assert [s.candidate["service"]["name"] for s in ranked] == ["a", "b"]
    assert ranked[0].score == ranked[1].score


def test_equal_scores_go_nearest_first():
    # Equal scores from different parts are awkward to build exactly: compare sort keys.
    near = scoring.Scored(candidate("z", km=1.0), 0.5, {}, exchange_first=False)
    far = scoring.Scored(candidate("a", km=2.0), 0.5, {}, exchange_first=False)
    unknown = scoring.Scored(candidate("b", km=None), 0.5, {}, exchange_first=False)
    ordered = sorted([unknown, far, near], key=lambda s: s.sort_key)
    assert [s.candidate["service"]["name"] for s in ordered] == ["z", "a", "b"]


@pytest.mark.parametrize(
    ("needs", "interests", "where", "limit", "errors"),
    [
        (["a"], [], 1, 10, []),
        ([], ["b"], 1, 10, []),
        ([], [], 1, 10, [("needTags", "REQUIRED")]),
        (["a"] * 6, ["b"] * 5, 1, 10, [("needTags", "OUT_OF_RANGE")]),
        (["a"], [], 0, 10, [("area", "REQUIRED")]),
        (["a"], [], 2, 10, [("area", "INVALID")]),
        (["a"], [], 1, 0, [("limit", "OUT_OF_RANGE")]),
    ],
)
def test_recommend_errors(needs, interests, where, limit, errors):
    found = scoring.recommend_errors(needs, interests, where_given=where, limit=limit)
    assert [(e.field, e.code.value) for e in found] == errors


# --- the score's values as a counsellor reads them (issue 24) --------------------------------


@pytest.mark.parametrize(
    ("capacity", "points"),
    [("AVAILABLE", 0.15), ("WAITLIST", 0.06), ("FULL", 0.0), (None, 0.075), ("ODD", 0.075)],
)
def test_capacity_points_available_waitlist_full_and_unknown(capacity, points):
    assert (
        scoring.points_for(candidate("s", capacity=capacity), needs=1, interests=0)["capacity"]
        == points
    )


def test_a_score_is_the_sum_of_its_points_to_four_places():
    # 1 of 3 needs, 2 km, waiting list, two hops, no figures yet.
    ranked = scoring.rank(
        [candidate("s", km=2.0, hops=2, capacity="WAITLIST", needs=1)],
        needs=3,
        interests=0,
        exchange_first=False,
        limit=1,
    )
    assert ranked[0].points == {
        "tag_match": 0.1,
        "distance": 0.12,
        "capacity": 0.06,
        "partnership": 0.05,
        "acceptance": 0.05,
        "completion": 0.05,
        "response": 0.025,
    }
    assert ranked[0].score == 0.455


@pytest.mark.parametrize(
    ("count", "errors"),
    [
        (10, []),  # at most RECOMMEND_TAGS_MAX tags together
        (11, [("needTags", "OUT_OF_RANGE")]),
    ],
)
def test_at_most_ten_tags_together(count, errors):
    needs, interests = ["n"] * (count // 2), ["i"] * (count - count // 2)
    found = scoring.recommend_errors(needs, interests, where_given=1, limit=10)
    assert [(e.field, e.code.value) for e in found] == errors


@pytest.mark.parametrize(("limit", "errors"), [(1, []), (50, []), (0, ["limit"]), (51, ["limit"])])
def test_the_limit_is_1_to_50(limit, errors):
    found = scoring.recommend_errors(["n"], [], where_given=1, limit=limit)
    assert [e.field for e in found] == errors


def test_the_weights_are_the_documented_ones():
    # docs/pathways.md states these; swapping two would survive a test of their sum.
    assert scoring.WEIGHTS == {
        "tag_match": 0.30,
        "distance": 0.20,
        "capacity": 0.15,
        "partnership": 0.10,
        "acceptance": 0.10,
        "completion": 0.10,
        "response": 0.05,
    }
    assert (scoring.NEUTRAL, scoring.INTEREST_WEIGHT) == (0.5, 0.5)
    assert (scoring.HALF_FIT_KM, scoring.HALF_FIT_HOURS) == (3.0, 24.0)
    assert scoring.CAPACITY_FIT == {"AVAILABLE": 1.0, "WAITLIST": 0.4, "FULL": 0.0}


@pytest.mark.parametrize(("hours", "fit"), [(0.0, 1.0), (24.0, 0.5), (72.0, 0.25), (None, 0.5)])
def test_a_first_response_counts_less_the_slower_it_is(hours, fit):
    assert scoring.response_fit(hours) == fit


def test_each_part_is_rounded_to_four_places_not_five():
    # 4 km: 0.2 / (1 + 4/3) = 0.085714…, kept as 0.0857.
    points = scoring.points_for(candidate("s", km=4.0), needs=1, interests=0)
    assert points["distance"] == 0.0857


AREA_OR_NEAR = "Give either an area or a point (near), not both."


@pytest.mark.parametrize(
    ("needs", "interests", "where", "limit", "error"),
    [
        ([], [], 1, 10, ("needTags", "REQUIRED", "Give at least one need or interest tag.")),
        (
            ["a"] * 6,
            ["b"] * 5,
            1,
            10,
            ("needTags", "OUT_OF_RANGE", "At most 10 need and interest tags together."),
        ),
        (
            ["a"],
            [],
            0,
            10,
            ("area", "REQUIRED", "Give either an area or a point (near), not both."),
        ),
        (["a"], [], 2, 10, ("area", "INVALID", "Give either an area or a point (near), not both.")),
        (["a"], [], 1, 51, ("limit", "OUT_OF_RANGE", "limit must be between 1 and 50.")),
    ],
)
def test_recommend_refusals_in_their_words(needs, interests, where, limit, error):
    found = scoring.recommend_errors(needs, interests, where_given=where, limit=limit)
    assert [(e.field, e.code.value, e.message) for e in found] == [error]


def test_the_documented_default_limit_and_candidate_count():
    # docs/pathways.md: `limit = 10`, and "the 100 best" candidates are scored.
    assert (scoring.DEFAULT_LIMIT, scoring.CANDIDATES) == (10, 100)
