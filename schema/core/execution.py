"""Execution that completes a record's plain fields without the per-field machinery.

A directory page is a few statements' worth of maps and hundreds of fields: the 20-service
search the bench runs completes about 350, some 280 of them strings, numbers and enums
and most of the rest objects and lists (an edge's node, a service's organisation, its
locations and tags), every one read straight from a dict by graphene's default resolver.
graphql-core gives each a Path, a ResolveInfo, its argument values, both middlewares, the
awaitable check and the generic completion: about 1.5 ms of Python per page (issue 17,
docs/benchmarks.md). Inside the loop over a dict record's fields this
- serializes a plain leaf in place, as complete_leaf_value would (not even a Path is made);
- completes any other plain field (an object or a list) from the value the record holds
  with graphql-core's own complete_value and error handling, skipping only the resolver
  call and the middlewares, which act on root fields and on arguments alone;
and leaves every other field to graphql-core:

- root fields (the permission middleware checks them) and fields with arguments (the
  null-arguments middleware reads them) always take the ordinary path;
- only graphene's default resolver (`dict_or_attr_resolver` over a dict): a field with a
  resolver of its own (`resolve_languages`, `resolve_summary`) is never short-cut;
- a null or a value the type will not serialize is completed by graphql-core, so the
  error a client gets (and the null it propagates) is graphql-core's own.
"""

from __future__ import annotations

from asyncio import gather
from functools import partial
from typing import Any

from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
    located_error,
)
from graphql.pyutils import Path

# (the dict key, graphene's default value, the leaf type) of a plain leaf field, or None.
_PlainLeaf = tuple[str, Any, GraphQLLeafType] | None

# How a field is completed from a dict record: (the dict key, graphene's default value,
# the field, its leaf type or None) when graphene's default resolver is all it has and it
# takes no arguments; None otherwise.
_Plain = tuple[str, Any, GraphQLField, GraphQLLeafType | None] | None
_plain: dict[tuple[int, str], tuple[GraphQLObjectType, _Plain]] = {}


def _classify(parent_type: GraphQLObjectType, field_name: str) -> _Plain:
    key = (id(parent_type), field_name)
    cached = _plain.get(key)
    if cached is not None and cached[0] is parent_type:
        return cached[1]
    found: _Plain = None
    field = parent_type.fields.get(field_name)  # None for __typename
    if field is not None and not field.args:
        resolve = field.resolve
        if (
            type(resolve) is partial
            and resolve.func is dict_or_attr_resolver
            and not resolve.keywords
            and len(resolve.args) == 2
        ):
            inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            leaf = inner if is_leaf_type(inner) else None
            found = (resolve.args[0], resolve.args[1], field, leaf)
    _plain[key] = (parent_type, found)
    return found


def plain_read(parent_type: GraphQLObjectType, field_name: str) -> tuple[str, Any] | None:
    """The dict key and default graphene's default resolver reads `field_name` with, if
    that is all the field does (no resolver of its own, no arguments)."""
    found = _classify(parent_type, field_name)
    return None if found is None else (found[0], found[1])


def plain_leaf(parent_type: GraphQLObjectType, field_name: str) -> _PlainLeaf:
    """How to read `field_name` of `parent_type` from a dict, if it is a plain leaf field."""
    found = _classify(parent_type, field_name)
    if found is None or found[3] is None:
        return None
    return (found[0], found[1], found[3])


_NOT_SERIALIZED = object()


def _serialized(leaf: GraphQLLeafType | None, value: Any) -> Any:
    """A plain leaf's value as complete_leaf_value would give it, or _NOT_SERIALIZED when
    graphql-core must complete it (not a leaf, a null, a value the type refuses)."""
    if leaf is None or value is None:
        return _NOT_SERIALIZED
    try:
        serialized = leaf.serialize(value)
    except Exception:  # graphql-core completes it and reports the error as always
        return _NOT_SERIALIZED
    return _NOT_SERIALIZED if serialized is None or serialized is Undefined else serialized


class LeanExecutionContext(ExecutionContext):
    """graphql-core's execution, with the plain fields of dict records read directly."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> Any:
        # graphql-core's loop, below the root (`path` is None only there) and over a dict
        # record: a plain leaf is serialized in place, without a Path, a ResolveInfo or
        # the awaitable check; any other plain field (an object or a list the record
        # holds) is completed by graphql-core from the value read, without the resolver
        # and the middleware (both middlewares act only on root fields and on arguments,
        # and a plain field has neither); everything else goes graphql-core's whole way.
        # The results keep the selection's order.
        if path is None or type(source_value) is not dict:
            return super().execute_fields(parent_type, source_value, path, fields)
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        for response_name, field_nodes in fields.items():
            plain = _classify(parent_type, field_nodes[0].name.value)
            if plain is not None:
                attname, default, field, leaf = plain
                value = source_value.get(attname, default)
                serialized = _serialized(leaf, value)
                if serialized is not _NOT_SERIALIZED:
                    results[response_name] = serialized
                    continue
            field_path = Path(path, response_name, parent_type.name)
            if plain is not None:
                result = self._complete_read(field, parent_type, field_nodes, field_path, value)
            else:
                result = super().execute_field(parent_type, source_value, field_nodes, field_path)
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

    def _complete_read(
        self,
        field: GraphQLField,
        parent_type: GraphQLObjectType,
        field_nodes: list[FieldNode],
        path: Path,
        value: Any,
    ) -> Any:
        """graphql-core's execute_field after its resolver has returned `value`: the same
        completion and the same handling of an error (null propagation included)."""
        return_type = field.type
        info = self.build_resolve_info(field, field_nodes, parent_type, path)
        try:
            completed = self.complete_value(return_type, field_nodes, info, path, value)
            if self.is_awaitable(completed):

                async def await_completed() -> Any:
                    try:
                        return await completed
                    except Exception as raw_error:
                        error = located_error(raw_error, field_nodes, path.as_list())
                        self.handle_field_error(error, return_type, path)
                        return None

                return await_completed()
            return completed
        except Exception as raw_error:
            error = located_error(raw_error, field_nodes, path.as_list())
            self.handle_field_error(error, return_type, path)
            return None
