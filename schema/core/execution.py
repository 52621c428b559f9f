"""Execution that completes a record's plain leaf fields without the per-field machinery.

A directory page is a few statements' worth of maps and hundreds of fields: the 20-service
search the bench runs completes about 450, of which some 350 are strings, numbers and
enums read straight from a dict by graphene's default resolver. graphql-core gives each
one a Path, a ResolveInfo, its argument values, both middlewares, the awaitable check and
the generic completion: about 1.5 ms of Python per page (issue 17, docs/benchmarks.md).
For exactly those fields this reads the value and serializes it as complete_leaf_value
would, inside the loop over a record's fields (so not even a Path is made for them),
and leaves every other field to graphql-core:

- root fields (the permission middleware checks them) and fields with arguments (the
  null-arguments middleware reads them) always take the ordinary path;
- only graphene's default resolver (`dict_or_attr_resolver` over a dict): a field with a
  resolver of its own (`resolve_languages`, `resolve_summary`) is never short-cut;
- a null or a value the type will not serialize goes the ordinary way too, so the error
  a client gets (and the null it propagates) is graphql-core's own.
"""

from __future__ import annotations

from asyncio import gather
from functools import partial
from typing import Any

from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import Path

# (the dict key, graphene's default value, the leaf type) of a plain leaf field, or None.
_PlainLeaf = tuple[str, Any, GraphQLLeafType] | None
_plain_leaves: dict[tuple[int, str], tuple[GraphQLObjectType, _PlainLeaf]] = {}


def plain_leaf(parent_type: GraphQLObjectType, field_name: str) -> _PlainLeaf:
    """How to read `field_name` of `parent_type` from a dict, if it is a plain leaf field."""
    key = (id(parent_type), field_name)
    cached = _plain_leaves.get(key)
    if cached is not None and cached[0] is parent_type:
        return cached[1]
    found: _PlainLeaf = None
    field = parent_type.fields.get(field_name)  # None for __typename
    if field is not None and not field.args:
        resolve = field.resolve
        leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if (
            type(resolve) is partial
            and resolve.func is dict_or_attr_resolver
            and not resolve.keywords
            and len(resolve.args) == 2
            and is_leaf_type(leaf)
        ):
            found = (resolve.args[0], resolve.args[1], leaf)
    _plain_leaves[key] = (parent_type, found)
    return found


_NOT_PLAIN = object()


def _plain_value(parent_type: GraphQLObjectType, source: dict[str, Any], field_name: str) -> Any:
    """The serialized value of a plain leaf field, or _NOT_PLAIN for the ordinary path."""
    leaf = plain_leaf(parent_type, field_name)
    if leaf is None:
        return _NOT_PLAIN
    attname, default, leaf_type = leaf
    value = source.get(attname, default)
    if value is None:
        return _NOT_PLAIN
    try:
        serialized = leaf_type.serialize(value)
    except Exception:  # the ordinary path reports it, as it always has
        return _NOT_PLAIN
    if serialized is None or serialized is Undefined:
        return _NOT_PLAIN
    return serialized


class LeanExecutionContext(ExecutionContext):
    """graphql-core's execution, with plain leaf fields of dict records read directly."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> Any:
        # graphql-core's loop, except that a plain leaf of a dict record (below the root:
        # `path` is None only there) is read without a Path, a ResolveInfo or the
        # awaitable check; the results keep the selection's order.
        if path is None or type(source_value) is not dict:
            return super().execute_fields(parent_type, source_value, path, fields)
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        for response_name, field_nodes in fields.items():
            value = _plain_value(parent_type, source_value, field_nodes[0].name.value)
            if value is not _NOT_PLAIN:
                results[response_name] = value
                continue
            result = super().execute_field(
                parent_type,
                source_value,
                field_nodes,
                Path(path, response_name, parent_type.name),
            )
            if result is not Undefined:
                results[response_name] = result
                if is_awaitable(result):
                    awaitable_fields.append(response_name)
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:  # no resolver of ours is async; kept whole
            results.update(
                zip(
                    awaitable_fields,
                    await gather(*(results[field] for field in awaitable_fields)),
                    strict=True,
                )
            )
            return results

        return get_results()
