"""Which fields a caller selected below the current one, whatever the document's shape.

Field-level rules (a subject's personal fields need their consent categories) must see
the fields as execution will resolve them: through aliases, inline fragments, named
fragments and @skip/@include. graphql-core's own collector does exactly that.

`selection_of` answers the same question a level at a time down the whole tree, so a
resolver can leave out of its one statement the neighbours nobody selected (the
directory's projections, issue 17). It errs towards fetching: below an interface or a
union it cannot tell which fields will be asked for, and says every one is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    get_named_type,
    is_abstract_type,
)
from graphql.execution.collect_fields import collect_sub_fields


def selected_fields(info: GraphQLResolveInfo, *, as_type: str | None = None) -> list[str]:
    """The schema names (not aliases) of the fields selected on the current field's value;
    `as_type`: on it as that object type (node(id), whose own type is the Node interface)."""
    returned = (
        get_named_type(info.return_type) if as_type is None else info.schema.get_type(as_type)
    )
    # Its callers' fields (health, subject) return object types, as graphql-core needs;
    # node and nodes name the object type they resolve.
    assert isinstance(returned, GraphQLObjectType)
    collected = collect_sub_fields(
        info.schema, info.fragments, info.variable_values, returned, list(info.field_nodes)
    )
    return sorted({nodes[0].name.value for nodes in collected.values()})


@dataclass(frozen=True)
class Selection:
    """The fields selected on a value, by schema name (aliases merged), each with what is
    selected below it; `everything` where the collector cannot tell (abstract types)."""

    children: Mapping[str, Selection] = field(default_factory=dict)
    everything: bool = False

    def has(self, *path: str) -> bool:
        """Whether the field at this path (schema names, one per level) is selected."""
        return self.at(*path) is not None

    def at(self, *path: str) -> Selection | None:
        """What is selected below the field at this path, or None when it is not selected."""
        node = self
        for name in path:
            if node.everything:
                return node
            child = node.children.get(name)
            if child is None:
                return None
            node = child
        return node


_LEAF = Selection()
_EVERYTHING = Selection(everything=True)


def selection_of(info: GraphQLResolveInfo, *, as_type: str | None = None) -> Selection:
    """Everything selected on the current field's value, as a tree; `as_type`: on it as
    that object type (node(id) and nodes(ids), whose own type is the Node interface)."""
    returned = (
        get_named_type(info.return_type) if as_type is None else info.schema.get_type(as_type)
    )
    assert returned is not None, as_type
    return _collect(info, returned, list(info.field_nodes))


def _collect(
    info: GraphQLResolveInfo, returned: GraphQLNamedType, field_nodes: Sequence[FieldNode]
) -> Selection:
    if not isinstance(returned, GraphQLObjectType):
        return _EVERYTHING if is_abstract_type(returned) else _LEAF
    collected = collect_sub_fields(
        info.schema, info.fragments, info.variable_values, returned, list(field_nodes)
    )
    # Keyed by response name: one field under two aliases is one field, whose selections
    # below are the union of both.
    by_name: dict[str, list[FieldNode]] = {}
    for nodes in collected.values():
        by_name.setdefault(nodes[0].name.value, []).extend(nodes)
    children: dict[str, Selection] = {}
    for name, nodes in by_name.items():
        definition = returned.fields.get(name)  # None for __typename
        children[name] = (
            _LEAF if definition is None else _collect(info, get_named_type(definition.type), nodes)
        )
    return Selection(children)
