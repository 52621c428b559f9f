"""Parsed and validated documents, kept by the SHA-256 of their text (issue 17).

A client (and every web page) sends the same few documents again and again; parsing and
validating one — the request limits walking it, then the specification's rules — costs
more than many of the reads it asks for. A document that passed is kept, with the
settings it passed under in its key, so a changed limit validates it afresh. Only
documents that passed are kept: a refused one costs its sender the full checks every
time. Bounded, least recently used first out; one lock, held for dictionary operations
only (gunicorn runs the app in threads).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable

from graphql import DocumentNode


class DocumentCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._documents: OrderedDict[tuple[str, Hashable], DocumentNode] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(query: str, settings: Hashable) -> tuple[str, Hashable]:
        # surrogatepass: the caller refuses lone surrogates, but the key never fails.
        digest = hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()
        return digest, settings

    def get(self, key: tuple[str, Hashable]) -> DocumentNode | None:
        with self._lock:
            document = self._documents.get(key)
            if document is None:
                self.misses += 1
                return None
            self._documents.move_to_end(key)
            self.hits += 1
            return document

    def put(self, key: tuple[str, Hashable], document: DocumentNode) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._documents[key] = document
            self._documents.move_to_end(key)
            while len(self._documents) > self.size:
                self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)

    def clear(self) -> None:
        with self._lock:
            self._documents.clear()
            self.hits = self.misses = 0
