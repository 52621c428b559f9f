"""Execution that completes a record's plain leaf fields without the per-field machinery.

A directory page is a few statements' worth of maps and hundreds of fields: the 20-service
search the bench runs completes about 450, of which some 350 are strings, numbers and
enums read straight from a dict by graphene's default resolver. graphql-core gives each
one a ResolveInfo, its argument values, both middlewares and the generic completion:
about 1.5 ms of Python per page (issue 17, docs/benchmarks.md). For exactly those fields
this reads the value and serializes it as complete_leaf_value would, and leaves every
other field to graphql-core:

- root fields (the permission middleware checks them) and fields with arguments (the
  null-arguments middleware reads them) always take the ordinary path;
- only graphene's default resolver (`dict_or_attr_resolver` over a dict): a field with a
  resolver of its own (`resolve_languages`, `resolve_summary`) is never short-cut;
- a null or a value the type will not serialize goes the ordinary way too, so the error
  a client gets (and the null it propagates) is graphql-core's own.
"""

from __future__ import annotations

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


class LeanExecutionContext(ExecutionContext):
    """graphql-core's execution, with plain leaf fields of dict records read directly."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        if path.prev is not None and type(source) is dict:
            leaf = plain_leaf(parent_type, field_nodes[0].name.value)
            if leaf is not None:
                attname, default, leaf_type = leaf
                value = source.get(attname, default)
                if value is not None:
                    try:
                        serialized = leaf_type.serialize(value)
                    except Exception:  # the ordinary path reports it, as it always has
                        serialized = None
                    if serialized is not None and serialized is not Undefined:
                        return serialized
        return super().execute_field(parent_type, source, field_nodes, path)
