"""Parsed and validated documents, kept by the SHA-256 of their text (issue 17).

A client (and every web page) sends the same few documents again and again; parsing and
validating one — the request limits walking it, then the specification's rules — costs
more than many of the reads it asks for. A document that passed is kept, with the
settings it passed under in its key, so a changed limit validates it afresh. Only
documents that passed are kept: a refused one costs its sender the full checks every
time. Bounded in documents and in their total text (a parsed document takes about a
hundred bytes per character of its text, so a flood of distinct large documents must not
fill a process's memory): least recently used first out; a document longer than
EACH_MAX_CHARS is checked every time, as no client's everyday document is that long. One
lock, held for dictionary operations only (gunicorn runs the app in threads).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable

from graphql import DocumentNode

# The web pages' documents are under 1,000 characters; the GraphQL tokens limit allows
# about 30,000.
EACH_MAX_CHARS = 8_192
TOTAL_MAX_CHARS = 512 * 1024  # at most about 55 MB of parsed documents per process


class DocumentCache:
    def __init__(
        self, size: int, *, each_max: int = EACH_MAX_CHARS, total_max: int = TOTAL_MAX_CHARS
    ) -> None:
        self.size, self.each_max, self.total_max = size, each_max, total_max
        self.hits = 0
        self.misses = 0
        self._documents: OrderedDict[tuple[str, Hashable], tuple[DocumentNode, int]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(query: str, settings: Hashable) -> tuple[str, Hashable]:
        # surrogatepass: the caller refuses lone surrogates, but the key never fails.
        digest = hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()
        return digest, settings

    def get(self, key: tuple[str, Hashable]) -> DocumentNode | None:
        with self._lock:
            kept = self._documents.get(key)
            if kept is None:
                self.misses += 1
                return None
            self._documents.move_to_end(key)
            self.hits += 1
            return kept[0]

    def put(self, key: tuple[str, Hashable], document: DocumentNode, *, chars: int) -> None:
        """Keep `document`, whose text is `chars` long, unless it is too long to keep."""
        if self.size <= 0 or chars > self.each_max:
            return
        with self._lock:
            if key in self._documents:
                return
            self._documents[key] = (document, chars)
            self._chars += chars
            while len(self._documents) > self.size or self._chars > self.total_max:
                _, (_, dropped) = self._documents.popitem(last=False)
                self._chars -= dropped

    def __len__(self) -> int:
        return len(self._documents)

    @property
    def chars(self) -> int:
        return self._chars

    def clear(self) -> None:
        with self._lock:
            self._documents.clear()
            self._chars = 0
            self.hits = self.misses = 0
