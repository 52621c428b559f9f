"""Explicit nulls for arguments that have a default mean the default.

GraphQL lets a caller write `months: null` for an optional argument; a resolver that
declares a default (`months = 12`) would then get None and fail deep inside. A caller
who says null means "not given", so the declared default applies, exactly as if the
argument were left out. Arguments without a default keep their null, and the
resolver's own validation answers it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo, Undefined


class NullArgumentsMiddleware:
    def resolve(
        self, next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **arguments: Any
    ) -> Any:
        if arguments and None in arguments.values():
            definitions = info.parent_type.fields[info.field_name].args
            # Resolvers get arguments by their out_name (graphene's snake_case).
            by_out_name = {d.out_name or name: d for name, d in definitions.items()}
            for name, value in arguments.items():
                definition = by_out_name.get(name)
                if value is None and definition is not None:
                    default = definition.default_value
                    if default is not Undefined and default is not None:
                        arguments[name] = default
        return next_(root, info, **arguments)
