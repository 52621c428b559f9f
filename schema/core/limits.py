"""Validation rules that bound what one request may cost: depth, aliases, operations, cost.

They run with graphql-core's standard rules, before any resolver, and answer with a
GraphQL error whose extensions carry a stable code.
"""

from __future__ import annotations

import time
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


class _Measure:
    """Depth and cost of selection sets, each fragment measured once.

    Re-expanding a fragment at every spread is exponential: fourteen fragments that
    each spread the previous one three times make 3^13 fields from 587 bytes. Here a
    fragment's (depth, cost) is computed once and reused at every spread, and cost
    saturates just above the limit, so measuring is linear in the document's size.
    """

    def __init__(
        self, fragments: dict[str, FragmentDefinitionNode], page_max: int, cap: int
    ) -> None:
        self.fragments, self.page_max, self.cap = fragments, page_max, cap
        self.measured: dict[str, tuple[int, int]] = {}
        self.open: set[str] = set()  # fragments being measured (a cycle is the spec's error)

    def selection_set(self, node: SelectionSetNode | None) -> tuple[int, int]:
        depth = cost = 0
        for selection in node.selections if node else ():
            if isinstance(selection, FieldNode):
                below, inner = self.selection_set(selection.selection_set)
                depth = max(depth, 1 + below)
                cost += 1 + self._multiplier(selection) * inner
            else:
                below, inner = self._fragment(selection)
                depth, cost = max(depth, below), cost + inner
            cost = min(cost, self.cap)
        return depth, cost

    def _fragment(self, selection: Any) -> tuple[int, int]:
        if isinstance(selection, InlineFragmentNode):
            return self.selection_set(selection.selection_set)
        assert isinstance(selection, FragmentSpreadNode)
        name = selection.name.value
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            return 0, 0
        if name not in self.measured:
            self.open.add(name)
            self.measured[name] = self.selection_set(fragment.selection_set)
            self.open.discard(name)
        return self.measured[name]

    def _multiplier(self, field: FieldNode) -> int:
        if field.name.value not in _LIST_FIELDS:
            return 1
        first = next((a.value for a in field.arguments if a.name.value == "first"), None)
        return int(first.value) if isinstance(first, IntValueNode) else self.page_max


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
            measure = _Measure(fragments, page_max, cap=max_cost + 1)
            for operation in operations:
                depth, cost = measure.selection_set(operation.selection_set)
                if depth > max_depth:
                    self._refuse(
                        "QUERY_TOO_DEEP", f"Query depth {depth} is over the limit of {max_depth}."
                    )
                    return
                if cost > max_cost:
                    self._refuse(
                        "QUERY_TOO_COSTLY",
                        f"Query cost is over the limit of {max_cost}; "
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


class ValidationOverBudget(Exception):
    """The specification's rules ran past their time budget (schema/core/entry.py)."""


def time_budget_rule(seconds: float) -> type[ValidationRule]:
    """A rule that only watches the clock: if validation is still visiting nodes after
    `seconds`, it stops validation. The request limits already bound the document; this
    bounds whatever a specification rule might still spend on a pathological one."""

    class TimeBudget(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.deadline = time.monotonic() + seconds
            self.visits = 0

        def enter(self, *_args: Any) -> None:
            self.visits += 1
            if self.visits % 64 == 0 and time.monotonic() > self.deadline:
                raise ValidationOverBudget

    return TimeBudget
