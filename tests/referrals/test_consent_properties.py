"""The consent rule over random sequences (tests/referrals/consent_machine.py), and the
proof that this test can fail: every named mutant of the rule is caught.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.referrals import consent_mutants
from tests.referrals.consent_machine import ConsentMachine

# Generation only (no shrinking) with a fixed seed: the mutation check is deterministic
# and bounded. The real rule gets more examples than each mutant's budget.
RULE_BUDGET = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
MUTANT_BUDGET = settings(RULE_BUDGET, max_examples=20, phases=[Phase.generate])


def test_consent_rules_hold_over_random_sequences(neo4j_server, graph_db, redis_db):
    run_state_machine_as_test(ConsentMachine, settings=RULE_BUDGET)


@pytest.mark.parametrize("mutant", sorted(consent_mutants.MUTANTS))
def test_the_state_machine_kills_the_mutant(mutant, neo4j_server, graph_db, redis_db, monkeypatch):
    with consent_mutants.applied(mutant, monkeypatch) as changed:
        assert changed > 0, f"the mutant {mutant!r} matches nothing in graph/"
        with pytest.raises(AssertionError):
            run_state_machine_as_test(ConsentMachine, settings=MUTANT_BUDGET)


@pytest.mark.skipif(
    not os.environ.get("HUB_PENDING_MUTANTS"),
    reason="pending mutants (issue 22): HUB_PENDING_MUTANTS=1 runs them",
)
@pytest.mark.parametrize("mutant", sorted(consent_mutants.PENDING_MUTANTS))
def test_pending_mutant(mutant, neo4j_server, graph_db, redis_db, monkeypatch):
    test_the_state_machine_kills_the_mutant(mutant, neo4j_server, graph_db, redis_db, monkeypatch)
