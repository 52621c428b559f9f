"""Validation rules that bound what one request may cost: depth, aliases, operations, cost.

They run with graphql-core's standard rules, before any resolver, and answer with a
GraphQL error whose extensions carry a stable code.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

# A page is at most this many items; a variable `first` is priced at the maximum.
_LIST_FIELDS = {"organisations", "services", "auditEvents"}


def _fragments(context: ValidationContext) -> dict[str, FragmentDefinitionNode]:
    return {
        d.name.value: d
        for d in context.document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }


def _walk(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> list[FieldNode]:
    """The fields of a selection set with fragments inlined (cycles are the spec's job)."""
    fields: list[FieldNode] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            fields += _walk(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                fields += _walk(fragment.selection_set, fragments, seen | {selection.name.value})
    return fields


def _depth(node: FieldNode, fragments: dict[str, FragmentDefinitionNode]) -> int:
    children = _walk(node.selection_set, fragments)
    return 1 + max((_depth(child, fragments) for child in children), default=0)


def _cost(
    fields: list[FieldNode], fragments: dict[str, FragmentDefinitionNode], page_max: int
) -> int:
    total = 0
    for field in fields:
        multiplier = 1
        if field.name.value in _LIST_FIELDS:
            first = next((a.value for a in field.arguments if a.name.value == "first"), None)
            multiplier = int(first.value) if isinstance(first, IntValueNode) else page_max
        total += 1 + multiplier * _cost(_walk(field.selection_set, fragments), fragments, page_max)
    return total


def limits_rule(
    *, max_depth: int, max_aliases: int, max_operations: int, max_cost: int, page_max: int
) -> type[ValidationRule]:
    class RequestLimits(ValidationRule):
        def enter_document(self, node: Any, *_args: Any) -> None:
            operations = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
            fragments = _fragments(self.context)
            if len(operations) > max_operations:
                self._refuse(
                    "TOO_MANY_OPERATIONS", f"At most {max_operations} operations per request."
                )
                return
            aliases = sum(1 for field in _all_fields(node) if field.alias is not None)
            if aliases > max_aliases:
                self._refuse("TOO_MANY_ALIASES", f"At most {max_aliases} aliases per request.")
                return
            for operation in operations:
                roots = _walk(operation.selection_set, fragments)
                depth = max((_depth(f, fragments) for f in roots), default=0)
                if depth > max_depth:
                    self._refuse(
                        "QUERY_TOO_DEEP", f"Query depth {depth} is over the limit of {max_depth}."
                    )
                    return
                cost = _cost(roots, fragments, page_max)
                if cost > max_cost:
                    self._refuse(
                        "QUERY_TOO_COSTLY",
                        f"Query cost {cost} is over the limit of {max_cost}; "
                        "ask for smaller pages or fewer fields.",
                    )
                    return

        def _refuse(self, code: str, message: str) -> None:
            self.report_error(GraphQLError(message, extensions={"code": code}))

    return RequestLimits


def _all_fields(node: Any) -> list[FieldNode]:
    found: list[FieldNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, FieldNode):
            found.append(current)
        for key in ("definitions", "selection_set", "selections"):
            child = getattr(current, key, None)
            if child is None:
                continue
            if isinstance(child, list | tuple):
                stack.extend(child)
            else:
                stack.append(child)
    return found
