"""Which fields a caller selected below the current one, whatever the document's shape.

Field-level rules (a subject's personal fields need their consent categories) must see
the fields as execution will resolve them: through aliases, inline fragments, named
fragments and @skip/@include. graphql-core's own collector does exactly that.
"""

from __future__ import annotations

from graphql import GraphQLObjectType, GraphQLResolveInfo, get_named_type
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
