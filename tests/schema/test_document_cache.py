"""Parsed and validated documents kept by hash (schema/core/document_cache.py): a document
is checked once per process and setting, a refused one is never kept, and the cache holds
at most its size, the least recently used going first."""

from __future__ import annotations

import pytest
from django.test import override_settings
from graphql import DocumentNode, ExecutionResult, parse

from schema.core import entry
from schema.core.document_cache import DocumentCache

QUERY = "query Health { health { neo4j { version } } }"


@pytest.fixture
def documents():
    cache = entry.documents()
    cache.clear()
    yield cache
    cache.clear()


def test_a_document_is_checked_once_and_then_served_from_the_cache(documents, monkeypatch):
    first = entry.checked_document(QUERY)
    assert isinstance(first, DocumentNode)
    assert (documents.misses, documents.hits, len(documents)) == (1, 0, 1)
    calls = []
    monkeypatch.setattr(entry, "validation_errors", lambda doc: calls.append(doc) or [])
    assert entry.checked_document(QUERY) is first  # the very same parsed document
    assert calls == []
    assert (documents.misses, documents.hits) == (1, 1)


def test_a_document_differing_by_one_character_is_another_document(documents):
    entry.checked_document(QUERY)
    entry.checked_document(QUERY + " ")
    assert (documents.misses, len(documents)) == (2, 2)


def test_a_refused_document_is_never_kept(documents):
    for _ in range(2):
        refused = entry.checked_document("query { nosuchfield }")
        assert isinstance(refused, ExecutionResult)
        assert refused.errors[0].message == "Cannot query field 'nosuchfield' on type 'Query'."
    assert (documents.misses, documents.hits, len(documents)) == (2, 0, 0)


def test_a_changed_limit_checks_a_kept_document_again(documents):
    deep = "query { health { neo4j { version } } }"  # depth 3
    assert isinstance(entry.checked_document(deep), DocumentNode)
    with override_settings(GRAPHQL_MAX_DEPTH=2):
        refused = entry.checked_document(deep)
    assert isinstance(refused, ExecutionResult)
    assert refused.errors[0].extensions["code"] == "QUERY_TOO_DEEP"
    assert isinstance(entry.checked_document(deep), DocumentNode)  # the old limit again
    assert documents.hits == 1


@pytest.mark.parametrize(("kept", "evicted"), [(3, False), (4, True)])
def test_the_cache_holds_its_size_and_drops_the_least_recently_used(kept, evicted):
    cache = DocumentCache(3)
    keys = [cache.key(f"query Q{i} {{ health {{ redis }} }}", ()) for i in range(kept)]
    for key in keys:
        cache.put(key, parse("{ health { redis } }"), chars=10)
    assert len(cache) == 3
    assert (cache.get(keys[0]) is None) == evicted


def test_a_use_keeps_a_document_from_being_dropped():
    cache = DocumentCache(2)
    first, second, third = (cache.key(f"q{i}", ()) for i in range(3))
    cache.put(first, parse("{ a }"), chars=5)
    cache.put(second, parse("{ b }"), chars=5)
    assert cache.get(first) is not None  # now the most recently used
    cache.put(third, parse("{ c }"), chars=5)
    assert cache.get(second) is None
    assert cache.get(first) is not None


def test_a_cache_of_size_zero_keeps_nothing():
    cache = DocumentCache(0)
    key = cache.key("{ a }", ())
    cache.put(key, parse("{ a }"), chars=5)
    assert (len(cache), cache.get(key)) == (0, None)


@pytest.mark.parametrize(("chars", "kept"), [(8192, True), (8193, False)])
def test_a_document_of_at_most_8192_characters_is_kept(chars, kept):
    cache = DocumentCache(3)
    key = cache.key("{ a }", ())
    cache.put(key, parse("{ a }"), chars=chars)
    assert (cache.get(key) is not None) == kept


@pytest.mark.parametrize(("total", "first_kept"), [(100, True), (99, False)])
def test_the_cache_drops_the_oldest_past_its_total_text(total, first_kept):
    cache = DocumentCache(10, each_max=100, total_max=total)
    first, second = cache.key("a", ()), cache.key("b", ())
    cache.put(first, parse("{ a }"), chars=50)
    cache.put(second, parse("{ b }"), chars=50)
    assert (cache.get(first) is not None) == first_kept
    assert cache.get(second) is not None
    assert cache.chars == (100 if first_kept else 50)


def test_a_long_document_is_checked_every_time(documents):
    query = "query Long { health { redis } }" + " " * 8200
    entry.checked_document(query)
    entry.checked_document(query)
    assert (documents.misses, documents.hits, len(documents)) == (2, 0, 0)
