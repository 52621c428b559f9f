"""Bookmarks: where in the database's history a user's next transaction must start.

On a cluster (`neo4j://` URIs) reads go to followers, which apply the primary's
transactions a little later. A bookmark names a committed transaction; a transaction
begun with it waits until the member serving it has applied that transaction, so a
user who wrote sees the write in the next read wherever it is served
(docs/consistency.md). These are the pure parts: bookmarks kept between requests come
back from a session, the cache or a task header, so they are checked, merged and kept
small here, without a database.
"""

from __future__ import annotations

from collections.abc import Iterable

# A Neo4j 5 bookmark is one value per database, well under 100 characters. A user's
# concurrent requests (two tabs) may each leave one; more than this many in flight at
# once is not a pattern worth carrying, and the bound keeps a session or a task header
# from growing without limit.
MAX_VALUES = 8
MAX_VALUE_CHARS = 256


def bounded(values: Iterable[str]) -> tuple[str, ...]:
    """Without repeats, in the order given (newest last), the newest MAX_VALUES kept.

    Dropping the oldest weakens, never breaks: on one database a later transaction's
    bookmark already implies the earlier ones it was started from."""
    unique = list(dict.fromkeys(values))
    return tuple(unique[-MAX_VALUES:])


def parse(stored: object) -> tuple[str, ...]:
    """Bookmarks read back from storage: a list of non-empty strings of sane length.
    Anything else (missing, damaged, from an older release) reads as none: the request
    then sees what its server has, as every request did before bookmarks were kept."""
    if not isinstance(stored, list | tuple):
        return ()
    return bounded(
        value for value in stored if isinstance(value, str) and 0 < len(value) <= MAX_VALUE_CHARS
    )


def merge(
    stored: Iterable[str], started_from: Iterable[str], ended_with: Iterable[str]
) -> tuple[str, ...]:
    """What to keep for a user after a request that wrote.

    The request began from `started_from` and its commits superseded them, so they go;
    whatever else is stored now was left by the user's other requests meanwhile (another
    tab) and stays, so neither request's write is forgotten."""
    superseded = set(started_from)
    return bounded([*(value for value in stored if value not in superseded), *ended_with])
