"""The pure rules of the bookmarks kept between requests (graph/bookmarks.py)."""

import pytest

from graph.bookmarks import MAX_VALUE_CHARS, MAX_VALUES, bounded, merge, parse


def marks(n: int, prefix: str = "b") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def test_bounded_keeps_order_without_repeats():
    assert bounded(["b1", "b2", "b1", "b3"]) == ("b1", "b2", "b3")


def test_bounded_keeps_exactly_the_newest_max_values():
    assert bounded(marks(MAX_VALUES)) == tuple(marks(MAX_VALUES))
    assert bounded(marks(MAX_VALUES + 1)) == tuple(marks(MAX_VALUES + 1)[1:])
    assert len(bounded(marks(1000))) == MAX_VALUES == 8


@pytest.mark.parametrize("stored", [None, "FB:abc", 7, {"FB:abc": 1}, b"FB:abc"])
def test_parse_reads_anything_but_a_list_as_none(stored):
    assert parse(stored) == ()


def test_parse_keeps_only_strings_of_sane_length():
    longest = "x" * MAX_VALUE_CHARS
    stored = ["FB:a", "", 3, None, longest, longest + "y", ["FB:b"], "FB:c"]
    assert parse(stored) == ("FB:a", longest, "FB:c")
    assert parse(("FB:a", "FB:a")) == ("FB:a",)


def test_parse_bounds_what_storage_hands_back():
    assert parse(marks(MAX_VALUES + 3)) == tuple(marks(MAX_VALUES + 3)[3:])


def test_merge_drops_what_the_request_started_from_and_keeps_other_requests_marks():
    # This request started from b1; another tab's request stored b2 meanwhile.
    assert merge(stored=["b1", "b2"], started_from=["b1"], ended_with=["b3"]) == ("b2", "b3")


def test_merge_after_a_request_that_started_from_everything_keeps_only_its_own():
    assert merge(stored=["b1", "b2"], started_from=["b1", "b2"], ended_with=["b3"]) == ("b3",)


def test_merge_with_nothing_stored_is_the_requests_own():
    assert merge(stored=[], started_from=[], ended_with=["b1"]) == ("b1",)


def test_merge_is_bounded_and_the_requests_own_survive_the_bound():
    merged = merge(stored=marks(MAX_VALUES, "old"), started_from=[], ended_with=["new"])
    assert len(merged) == MAX_VALUES
    assert merged[-1] == "new"
    assert "old0" not in merged
