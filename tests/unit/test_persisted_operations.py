"""The pure part of persisted operations (schema/core/persisted.py): the wire shape a
client names one with, its id, and the registry built from a directory."""

from __future__ import annotations

import hashlib

import pytest
from graphql import DocumentNode, ExecutionResult, GraphQLError, parse

from schema.core.persisted import BadPersistedQuery, Registry, requested_hash, text_hash

SHA = "a" * 64


def persisted(**fields):
    return {"persistedQuery": {"version": 1, "sha256Hash": SHA, **fields}}


def test_the_id_is_the_sha256_of_the_utf8_text_in_lowercase_hex():
    text = "query 受付 { me { username } }"
    assert text_hash(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert text_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("extensions", [None, {}, {"tracing": True}])
def test_no_persisted_query_names_none(extensions):
    assert requested_hash(extensions) is None


def test_the_apollo_shape_names_its_hash_and_other_keys_are_ignored():
    assert requested_hash(persisted()) == SHA
    assert requested_hash({**persisted(), "clientLibrary": {"name": "x"}}) == SHA
    assert requested_hash(persisted(extra=1)) == SHA


EXTENSIONS = "`extensions` must be a JSON object."
SHAPE = "`extensions.persistedQuery` must be an object with `version` and `sha256Hash`."
VERSION = "`persistedQuery.version` must be 1, the only version supported."
HASH = (
    "`persistedQuery.sha256Hash` must be 64 lowercase hexadecimal characters: "
    "the SHA-256 of the document's text."
)


@pytest.mark.parametrize(
    ("extensions", "message"),
    [
        ("{}", EXTENSIONS),
        ([], EXTENSIONS),
        (7, EXTENSIONS),
        ({"persistedQuery": None}, SHAPE),
        ({"persistedQuery": SHA}, SHAPE),
        ({"persistedQuery": [1, SHA]}, SHAPE),
        ({"persistedQuery": {"sha256Hash": SHA}}, VERSION),
        (persisted(version=None), VERSION),
        (persisted(version=2), VERSION),
        (persisted(version=0), VERSION),
        (persisted(version="1"), VERSION),
        (persisted(version=True), VERSION),
        (persisted(version=1.0), VERSION),
        ({"persistedQuery": {"version": 1}}, HASH),
        (persisted(sha256Hash=None), HASH),
        (persisted(sha256Hash=int("1" * 64)), HASH),
        (persisted(sha256Hash=[SHA]), HASH),
        (persisted(sha256Hash={"hex": SHA}), HASH),
        (persisted(sha256Hash=""), HASH),
        (persisted(sha256Hash="a" * 63), HASH),
        (persisted(sha256Hash="a" * 65), HASH),
        (persisted(sha256Hash="A" * 64), HASH),
        (persisted(sha256Hash="g" * 64), HASH),
        (persisted(sha256Hash=SHA + "\n"), HASH),
        (persisted(sha256Hash=" " + SHA[1:]), HASH),
        (persisted(sha256Hash="０" * 64), HASH),  # fullwidth digits are not hex
        (persisted(sha256Hash="a" * 1_000_000), HASH),
    ],
)
def test_anything_but_the_exact_shape_is_refused_saying_why(extensions, message):
    with pytest.raises(BadPersistedQuery) as refused:
        requested_hash(extensions)
    assert str(refused.value) == message  # never the caller's value, which may be huge


def _checks(text: str) -> DocumentNode | ExecutionResult:
    if "refused" in text:
        return ExecutionResult(data=None, errors=[GraphQLError("no")])
    return parse(text)


def test_the_registry_holds_each_file_by_its_hash_checked_once(tmp_path):
    (tmp_path / "A.graphql").write_text("query A { a }", encoding="utf-8")
    (tmp_path / "B.graphql").write_text("query B { refused }", encoding="utf-8")
    (tmp_path / "Same.graphql").write_text("query A { a }", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("query C { c }", encoding="utf-8")
    seen = []
    registry = Registry.from_directories([tmp_path], check=lambda t: seen.append(t) or _checks(t))
    assert len(registry) == 2  # one text in two files is one entry; .txt is no document
    assert len(seen) == 3
    kept = registry.get(text_hash("query A { a }"))
    assert kept is not None
    assert isinstance(kept.checked, DocumentNode)
    assert kept.source.endswith("A.graphql")
    assert kept.chars == len("query A { a }")
    refused = registry.get(text_hash("query B { refused }"))
    assert refused is not None
    assert isinstance(refused.checked, ExecutionResult)
    assert registry.get(text_hash("query C { c }")) is None
    assert text_hash("query A { a }") in registry
    assert SHA not in registry


def test_a_listed_directory_that_does_not_exist_is_said_at_once(tmp_path):
    with pytest.raises(NotADirectoryError, match="GRAPHQL_PERSISTED_OPERATION_DIRS"):
        Registry.from_directories([tmp_path / "missing"], check=_checks)
