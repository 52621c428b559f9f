"""Which kind of record a hub UUID names, for node(id) and nodes(ids): only existence,
only among the kinds the caller may read; each record is then read by its own kind's
lookup, which applies that kind's rules and audit (schema/core/node.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from graph import node_repo

NODE_KINDS = node_repo.NODE_KINDS


def node_kinds(*, ids: Sequence[str], kinds: Collection[str]) -> dict[str, str]:
    """{id: kind} for the ids that name a record of one of `kinds` (one round trip)."""
    return node_repo.node_kinds(ids, kinds)
