"""Persisted operations: documents the hub ships, run by the SHA-256 of their text (issue 17).

A client names one with Apollo's Automatic Persisted Queries wire shape,
`extensions: {persistedQuery: {version: 1, sha256Hash: "<64 lowercase hex>"}}`, and no
`query`. The registry is closed: it holds the documents of the directories the settings
list (GRAPHQL_PERSISTED_OPERATION_DIRS, the web pages' `operations/` first) and nothing a
client sends is ever added to it, so a hash is a name for a reviewed document, never a
way to store one. Each entry is checked once, when the registry is built, by the checks
the entry point gives a submitted document; a request naming it then goes straight to
execution, with the permission middleware and every execution-time rule as before.

This module is pure (files in, entries out): schema/core/entry.py builds the registry
with its own checks and the current settings.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import DocumentNode, ExecutionResult

log = logging.getLogger("referral_hub.graphql")

VERSION = 1
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class BadPersistedQuery(ValueError):
    """The `persistedQuery` extension is not Apollo's shape; its message says what is wrong
    (and never repeats what the caller sent, which may be huge)."""


def text_hash(text: str) -> str:
    """The id of a document: the SHA-256 of its text as UTF-8, in lowercase hex (Apollo's)."""
    # surrogatepass: the entry point refuses lone surrogates first, but hashing never fails.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def requested_hash(extensions: Any) -> str | None:
    """The sha256Hash a request's `extensions` names, None when it names none.

    `extensions` absent (None) or without `persistedQuery` names none: the request is an
    ordinary one. Anything else but the exact shape is refused, explicit nulls included,
    so a client that meant a persisted operation is told why instead of running nothing.
    """
    if extensions is None:
        return None
    if not isinstance(extensions, Mapping):
        raise BadPersistedQuery("`extensions` must be a JSON object.")
    if "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, Mapping):
        raise BadPersistedQuery(
            "`extensions.persistedQuery` must be an object with `version` and `sha256Hash`."
        )
    version = persisted.get("version")
    # bool is an int in Python: `true` must not pass for version 1.
    if type(version) is not int or version != VERSION:
        raise BadPersistedQuery("`persistedQuery.version` must be 1, the only version supported.")
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or not _SHA256_HEX.fullmatch(sha):
        raise BadPersistedQuery(
            "`persistedQuery.sha256Hash` must be 64 lowercase hexadecimal characters: "
            "the SHA-256 of the document's text."
        )
    return sha


Checked = DocumentNode | ExecutionResult


@dataclass(frozen=True)
class Persisted:
    """One shipped document: its id, where it came from, and what the checks made of it —
    the parsed document, or (should a limit have been lowered below it) the refusal every
    request naming it gets, exactly as if its text had been sent."""

    sha256: str
    source: str
    chars: int
    checked: Checked


class Registry:
    """The persisted operations by id; read-only once built, so threads share it freely."""

    def __init__(self, entries: Iterable[Persisted]) -> None:
        self._by_hash: dict[str, Persisted] = {}
        for entry in entries:
            self._by_hash.setdefault(entry.sha256, entry)  # one text in two files: one entry

    @classmethod
    def from_directories(
        cls, directories: Iterable[str | Path], *, check: Callable[[str], Checked]
    ) -> Registry:
        """Every `*.graphql` file of each directory, checked once by `check`.

        A listed directory that does not exist is a deployment error, said at once: the
        pages would otherwise find none of their documents.
        """
        entries = []
        for directory in directories:
            folder = Path(directory)
            if not folder.is_dir():
                raise NotADirectoryError(f"GRAPHQL_PERSISTED_OPERATION_DIRS: no directory {folder}")
            for path in sorted(folder.glob("*.graphql")):
                text = path.read_text(encoding="utf-8")
                checked = check(text)
                if isinstance(checked, ExecutionResult):
                    log.warning(
                        "persisted operation %s is refused by the checks: %s",
                        path,
                        "; ".join(e.message for e in checked.errors or ()),
                    )
                entries.append(Persisted(text_hash(text), str(path), len(text), checked))
        return cls(entries)

    def get(self, sha256: str) -> Persisted | None:
        return self._by_hash.get(sha256)

    def __len__(self) -> int:
        return len(self._by_hash)

    def __contains__(self, sha256: object) -> bool:
        return sha256 in self._by_hash
