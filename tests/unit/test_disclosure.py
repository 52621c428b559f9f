"""The cell-key method (referral_hub/pathways/disclosure.py), exhaustively where it can be."""

import random
from collections import Counter

import pytest

from referral_hub.pathways import disclosure
from referral_hub.pathways.disclosure import K_ANONYMITY, noise, perturbed, rate


def test_every_count_reads_the_whole_table_once_over_the_cell_keys():
    for count in range(1, 300):
        seen = Counter(noise(count, key) for key in range(256))
        assert seen == dict(disclosure.NOISE_TABLE)


def test_the_noise_is_small_and_centred():
    assert {noise(c, k) for c in range(1, 50) for k in range(256)} == set(range(-3, 4))
    assert sum(v * w for v, w in disclosure.NOISE_TABLE) == 0


def test_the_same_records_always_give_the_same_answer():
    assert perturbed(17, 1234) == perturbed(17, 1234)
    assert perturbed(17, 1234) == perturbed(17, 1234 + 256)  # the key is modulo 256


def test_zero_stays_zero_and_small_counts_stay_hidden():
    assert perturbed(0, 77) == 0
    for key in range(256):
        assert perturbed(1, key) is None  # at most 1 + 3 = 4
        assert perturbed(8, key) is not None  # at least 8 - 3 = 5
        value = perturbed(20, key)
        assert value is not None
        assert 17 <= value <= 23


def test_the_threshold_is_applied_after_the_noise():
    shown = {perturbed(3, key) for key in range(256)}
    assert shown == {None, K_ANONYMITY, K_ANONYMITY + 1}  # 3 + 2 and 3 + 3 show; 3 + 1 not
    assert {perturbed(7, key) for key in range(256)} == {None, *range(5, 11)}  # 7 - 3 hides


def test_the_stated_bound_for_one_difference():
    assert pytest.approx(11264 / 65536) == disclosure.P_EXACT_DIFFERENCE
    assert disclosure.P_EXACT == 0.25
    exact = sum(noise(40, a) - noise(30, b) == 0 for a in range(256) for b in range(256))
    assert exact / 65536 == pytest.approx(disclosure.P_EXACT_DIFFERENCE)


def test_differences_of_independent_cells_are_rarely_exact():
    rng = random.Random(7)  # noqa: S311 - test data, not a secret
    trials = 2000
    exact = 0
    for _ in range(trials):
        hidden = rng.randint(1, 4)
        child = [rng.randrange(256) for _ in range(9)]
        small = [rng.randrange(256) for _ in range(hidden)]
        parent_value = perturbed(9 + hidden, sum(child) + sum(small))
        child_value = perturbed(9, sum(child))
        exact += parent_value - child_value == hidden
    assert exact / trials < disclosure.P_EXACT_DIFFERENCE + 0.03


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (10, 13, 0.8),
        (5, 5, 1.0),
        (None, 13, None),
        (10, None, None),
        (0, 13, None),
        (10, 0, None),
        (7, 6, 1.0),  # noise may put the numerator over its denominator
        (6, 8, 0.8),  # 0.75 is published to the nearest 10%
        (5, 9, 0.6),
    ],
)
def test_rates_are_of_published_counts_and_coarse(numerator, denominator, expected):
    assert rate(numerator, denominator) == expected
