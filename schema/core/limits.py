"""Validation rules that bound what one request may cost: depth, aliases, operations, cost.

They run with graphql-core's standard rules, before any resolver, and answer with a
GraphQL error whose extensions carry a stable code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
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

# Paged root fields: priced at their page size (a variable `first` at the maximum). The
# same names below the root are plain lists (an organisation's services, a route's
# organisations), priced as _NESTED_LIST items.
_LIST_FIELDS = {
    "organisations",
    "services",
    "auditEvents",
    "inbox",
    "outbox",
    "statutoryReviewQueue",
}
_NESTED_LIST = 10
# Fields that return a list or do a search of their own, priced as that many items (the
# most they return: routes and recommendations are capped at 50).
_FIXED_WEIGHTS = {
    "partners": 20,
    "routes": 50,
    "recommend": 50,
    "flows": 20,
    "coverage": 20,
    "networkMap": 20,
    "verifyAuditLog": 50,
    "disclosureRecord": 20,
    "nodes": 50,  # schema/core/node.py NODES_MAX
}


# Fields whose one statement reads a whole area (or whole audit chains) however little is
# selected: the cost model prices selections, so twenty aliases of
# `networkMap { suppressedFlows }` would be cheap on paper and seconds of Neo4j time. Each
# may appear once in a document, as may an upload (a fragment spread twice merges into one field, so
# counting the document's fields is enough).
# nodes too: up to 50 audited reads of referrals and subjects, which twenty aliases would
# make a thousand.
_ONCE_PER_REQUEST = (
    "networkMap",
    "verifyAuditLog",
    "disclosureRecord",
    "startDirectoryImport",
    "nodes",
)


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
        self.measured: dict[tuple[str, bool], tuple[int, int]] = {}
        self.open: set[str] = set()  # fragments being measured (a cycle is the spec's error)

    def selection_set(self, node: SelectionSetNode | None, root: bool = False) -> tuple[int, int]:
        """(depth, cost) of a selection set; `root` for the operation's own."""
        depth = cost = 0
        for selection in node.selections if node else ():
            if isinstance(selection, FieldNode):
                below, inner = self.selection_set(selection.selection_set)
                depth = max(depth, 1 + below)
                cost += 1 + self._multiplier(selection, root) * inner
            else:
                below, inner = self._fragment(selection, root)
                depth, cost = max(depth, below), cost + inner
            cost = min(cost, self.cap)
        return depth, cost

    def _fragment(self, selection: Any, root: bool) -> tuple[int, int]:
        if isinstance(selection, InlineFragmentNode):
            return self.selection_set(selection.selection_set, root)
        assert isinstance(selection, FragmentSpreadNode)
        name = selection.name.value
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            return 0, 0
        if (name, root) not in self.measured:
            self.open.add(name)
            self.measured[name, root] = self.selection_set(fragment.selection_set, root)
            self.open.discard(name)
        return self.measured[name, root]

    def _multiplier(self, field: FieldNode, root: bool) -> int:
        """A page's size as priced: a literal between 1 and the maximum page, anything else
        (a variable, a negative or absurdly long number) the maximum page."""
        name = field.name.value
        if name in _FIXED_WEIGHTS:
            return _FIXED_WEIGHTS[name]
        if name not in _LIST_FIELDS:
            return 1
        if not root:
            return _NESTED_LIST
        first = next((a.value for a in field.arguments if a.name.value == "first"), None)
        if isinstance(first, IntValueNode) and len(first.value) <= 6 and int(first.value) > 0:
            return min(int(first.value), self.page_max)
        return self.page_max


@dataclass(frozen=True)
class _Limits:
    max_depth: int
    max_aliases: int
    max_operations: int
    max_cost: int
    page_max: int
    max_fields: int
    introspection_depth: int | None

    def refusal(self, document: Any, fragments: Any) -> tuple[str, str] | None:
        """The first limit the document is over, as (code, message); None within all."""
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) > self.max_operations:
            return "TOO_MANY_OPERATIONS", f"At most {self.max_operations} operations per request."
        fields = _all_fields(document)
        if len(fields) > self.max_fields:
            # Overlapping-field validation is quadratic in repeated fields: a bound on the
            # document keeps the specification's rules cheap too.
            return "TOO_MANY_FIELDS", f"At most {self.max_fields} fields per request."
        if sum(1 for field in fields if field.alias is not None) > self.max_aliases:
            return "TOO_MANY_ALIASES", f"At most {self.max_aliases} aliases per request."
        for name in _ONCE_PER_REQUEST:
            if sum(1 for field in fields if field.name.value == name) > 1:
                return "QUERY_TOO_COSTLY", f"{name} at most once per request."
        measure = _Measure(fragments, self.page_max, cap=self.max_cost + 1)
        for operation in operations:
            if refused := self._operation_refusal(operation, measure):
                return refused
        return None

    def _operation_refusal(
        self, operation: OperationDefinitionNode, measure: _Measure
    ) -> tuple[str, str] | None:
        depth, cost = measure.selection_set(operation.selection_set, root=True)
        deepest = self.max_depth
        if self.introspection_depth is not None and _introspection_only(operation):
            deepest = self.introspection_depth
        if depth > deepest:
            return "QUERY_TOO_DEEP", f"Query depth {depth} is over the limit of {deepest}."
        if max(cost, 0) > self.max_cost:
            return (
                "QUERY_TOO_COSTLY",
                f"Query cost is over the limit of {self.max_cost}; "
                "ask for smaller pages or fewer fields.",
            )
        return None


def limits_rule(
    *,
    max_depth: int,
    max_aliases: int,
    max_operations: int,
    max_cost: int,
    page_max: int,
    max_fields: int = 500,
    introspection_depth: int | None = None,
) -> type[ValidationRule]:
    """`introspection_depth`, when introspection is allowed at all, bounds operations that
    ask only for introspection fields: the standard introspection query (GraphiQL's) is
    15 deep, and it costs nothing of the graph."""
    limits = _Limits(
        max_depth=max_depth,
        max_aliases=max_aliases,
        max_operations=max_operations,
        max_cost=max_cost,
        page_max=page_max,
        max_fields=max_fields,
        introspection_depth=introspection_depth,
    )

    class RequestLimits(ValidationRule):
        def enter_document(self, node: Any, *_args: Any) -> None:
            refused = limits.refusal(node, _fragments(self.context))
            if refused is not None:
                code, message = refused
                self.report_error(GraphQLError(message, extensions={"code": code}))

    return RequestLimits


def _introspection_only(operation: OperationDefinitionNode) -> bool:
    """Every root selection is an introspection field (__schema, __type, __typename)."""
    selections = operation.selection_set.selections
    return bool(selections) and all(
        isinstance(s, FieldNode) and s.name.value.startswith("__") for s in selections
    )


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
