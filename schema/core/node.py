"""The Node interface over the hub's UUIDs, and `node(id)` / `nodes(ids)` (issue 21).

Every record a client may fetch again by its id alone (organisations, services, locations,
referrals, subjects) implements Node; its `id` is the hub's own UUID, unique across the
hub, so nothing changes for clients that already keep it. Caching clients (Relay, Apollo,
urql) normalise by `__typename` + `id` and refetch with `node(id)`.

node and nodes add no rule of their own. For each id they ask which kind of record it
names (one statement, only existence, only among the kinds whose own lookup the caller's
role may call), then hand it to that kind's own lookup — the very function behind
`organisation(id)`, `service(id)`, `location(id)`, `referral(id)` or `subject(id)` — so the
permission, the consent rule (decided in the statement that reads the subject) and the
audit (written in the same transaction) are exactly those of the per-type lookup. An id
that names nothing, a record the caller may not see, or a kind its role may not read is
`null`, as the per-type lookups answer. Directory kinds are fetched in one statement per
kind; referrals and subjects are read one by one, each in its own audited transaction, as
their lookups are.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import graphene

from referral_hub.core import nodes as node_lookup
from referral_hub.core.errors import ErrorCode, PublicError
from schema.core.permissions import Permission, require_actor

# The most ids one nodes(ids) takes: each referral or subject is its own audited read.
NODES_MAX = 50


class Node(graphene.Interface):
    """A record with a stable UUID: fetch it again with node(id) (or several with nodes)."""

    id = graphene.ID(required=True, description="The record's UUID, unique across the hub.")


@dataclass(frozen=True)
class NodeKind:
    """One kind of Node: its type (also its graph label), the root lookup whose permission
    and rules node() shares, and that lookup's read of several ids ({id: record})."""

    type_name: str
    lookup: str
    fetch: Callable[[graphene.ResolveInfo, list[str]], Mapping[str, Any]]


def one_by_one(
    read: Callable[[graphene.ResolveInfo, str], Any],
) -> Callable[[graphene.ResolveInfo, list[str]], dict[str, Any]]:
    """A per-id lookup (each read its own audited transaction) as a fetch of several."""
    return lambda info, ids: {key: read(info, key) for key in ids}


def _uuids(ids: Sequence[str], field: str) -> list[str]:
    try:
        return [str(uuid.UUID(value)) for value in ids]
    except ValueError:
        raise PublicError(ErrorCode.INVALID, f"{field}: not a UUID.", field=field) from None


class NodeQueries(graphene.ObjectType):
    """node and nodes; the root schema names the kinds and the permission declarations
    (a kind counts for a caller only if its own lookup's declaration allows the caller)."""

    class Meta:
        abstract = True

    node_kinds: ClassVar[Sequence[NodeKind]] = ()
    node_permissions: ClassVar[Mapping[str, Permission]] = {}

    node = graphene.Field(
        Node,
        id=graphene.ID(required=True, description="The record's UUID."),
        description="The record with this UUID, read exactly as its own lookup reads it "
        "(organisation, service, location, referral, subject: same permission, consent "
        "rule and audit); null when there is none you may see.",
    )
    nodes = graphene.List(
        Node,
        required=True,
        ids=graphene.List(
            graphene.NonNull(graphene.ID),
            required=True,
            description=f"UUIDs, at most {NODES_MAX}.",
        ),
        description="The records with these UUIDs, in the order asked, each read as node() "
        "reads it; null for each there is none you may see. One statement finds the kinds "
        "and one reads each directory kind; referrals and subjects are read one by one, "
        "each audited.",
    )

    @classmethod
    def resolve_node(cls, root: Any, info: graphene.ResolveInfo, id: str) -> Any:
        return cls.fetch_nodes(info, _uuids([id], "id"))[0]

    @classmethod
    def resolve_nodes(cls, root: Any, info: graphene.ResolveInfo, ids: list[str]) -> list[Any]:
        if len(ids) > NODES_MAX:
            raise PublicError(ErrorCode.OUT_OF_RANGE, f"ids: at most {NODES_MAX}.", field="ids")
        return cls.fetch_nodes(info, _uuids(ids, "ids"))

    @classmethod
    def readable_kinds(cls, info: graphene.ResolveInfo) -> list[str]:
        actor = require_actor(info)
        return [
            kind.type_name
            for kind in cls.node_kinds
            if (permission := cls.node_permissions.get(f"Query.{kind.lookup}")) is not None
            and (permission.public or permission.allows(actor))
        ]

    @classmethod
    def fetch_nodes(cls, info: graphene.ResolveInfo, ids: list[str]) -> list[Any]:
        """Each id's record as its kind's lookup reads it, in the order asked."""
        by_type = {kind.type_name: kind for kind in cls.node_kinds}
        wanted = list(dict.fromkeys(ids))
        found = node_lookup.node_kinds(ids=wanted, kinds=cls.readable_kinds(info))
        records: dict[str, Any] = {}
        for type_name in dict.fromkeys(found.values()):
            keys = [key for key in wanted if found.get(key) == type_name]
            for key, record in by_type[type_name].fetch(info, keys).items():
                if record is not None:
                    records[key] = {**record, "__typename": type_name}
        return [records.get(key) for key in ids]
