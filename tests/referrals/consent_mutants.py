"""Named mutants of the consent rule: each one a real way to get graph/consent_rule.py
wrong. test_consent_properties.py applies each to every statement built from the rule
and requires the state machine to find a counterexample; a surviving mutant fails.

A mutant is a list of (text in the rule, replacement); the rule's text is spliced into
the statements when graph/ is imported, so a mutant rewrites those statement constants.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import graph
from graph.consent_rule import NOW, TODAY

MUTANTS: dict[str, list[tuple[str, str]]] = {
    "drop validity": [(TODAY + " <= c.validUntil", "true")],
    "drop kind-in-area": [(".areaCode IN c.kindAreaCodes", ".areaCode IS NOT NULL")],
    "drop purpose": [("AND $purpose IN c.purposes", "AND true")],
    "drop categories": [("WHERE category IN c.categories)", "WHERE true)")],
    "statutory ignores categories": [("WHERE category IN statutory.categories)", "WHERE true)")],
    "include DRAFT": [("statutory.state IN $sent_open_states", "statutory.state IN $open_states")],
    "drop active": [
        ("coalesce(reader.active, true)", "true"),
        ("coalesce(to.active, true)", "true"),
    ],
    "drop age of majority": [("AND NOT (c.givenBy = 'GUARDIAN'", "AND NOT (false")],
    "ignore withdrawal": [("c.state = 'ACTIVE'", "c.state IN ['ACTIVE', 'WITHDRAWN']")],
    "ignore INAPPROPRIATE": [
        ("coalesce(statutory.reviewState, 'PENDING') <> 'INAPPROPRIATE'", "true")
    ],
    "statutory sight never expires": [(NOW + " <= statutory.sightUntil", "true")],
    "statutory for any purpose": [("$purpose IN ['REFERRAL', 'SERVICE_DELIVERY']", "true")],
    # Issue 19: the statements that decide on a referral or a recommendation forget the
    # subject's own preference.
    "ignore the preference": [
        (
            "(p:SubjectPreference {state: 'ACTIVE'})\n  RETURN p { .id",
            "(p:Nothing)\n  RETURN p { .id",
        )
    ],
    "STATISTICS identifies": [
        ("$purpose IN ['REFERRAL', 'CASE_COORDINATION', 'SERVICE_DELIVERY']", "true")
    ],
}


def _graph_modules() -> Iterator[object]:
    for info in pkgutil.iter_modules(graph.__path__):
        yield importlib.import_module(f"graph.{info.name}")


@contextmanager
def applied(name: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Rewrite every statement constant of graph/ with the mutant; yields how many changed."""
    changed = 0
    for module in _graph_modules():
        for attribute, value in list(vars(module).items()):
            if not isinstance(value, str) or attribute.startswith("__"):
                continue
            mutated = value
            for old, new in MUTANTS[name]:
                mutated = mutated.replace(old, new)
            if mutated != value:
                monkeypatch.setattr(module, attribute, mutated)
                changed += 1
    yield changed
