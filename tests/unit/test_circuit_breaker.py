"""The graph's circuit breaker (graph/breaker.py), on a clock the test moves."""

import pytest

from graph.breaker import CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def circuit(clock):
    return CircuitBreaker(cooldown=2.0, clock=clock)


def test_a_closed_circuit_lets_every_caller_through(circuit):
    for _ in range(3):
        circuit.before()
    assert not circuit.is_open


def test_after_a_failure_callers_are_refused_until_the_cooldown_ends(circuit, clock):
    circuit.failed()
    assert circuit.is_open
    clock.now += 1.999
    with pytest.raises(CircuitOpen):
        circuit.before()
    clock.now += 0.001  # exactly the cooldown: one caller may probe
    circuit.before()


def test_only_one_probe_at_a_time(circuit, clock):
    circuit.failed()
    clock.now += 2.0
    circuit.before()  # the probe
    with pytest.raises(CircuitOpen):
        circuit.before()  # others are still refused while it runs


def test_a_probe_that_succeeds_closes_the_circuit(circuit, clock):
    circuit.failed()
    clock.now += 2.0
    circuit.before()
    circuit.succeeded()
    assert not circuit.is_open
    circuit.before()
    circuit.before()


def test_a_probe_that_fails_opens_it_for_another_cooldown(circuit, clock):
    circuit.failed()
    clock.now += 2.0
    circuit.before()
    circuit.failed()
    clock.now += 1.999
    with pytest.raises(CircuitOpen):
        circuit.before()
    clock.now += 0.001
    circuit.before()


def test_a_probe_that_learned_nothing_hands_the_probe_on(circuit, clock):
    circuit.failed()
    clock.now += 2.0
    circuit.before()
    circuit.released()
    assert circuit.is_open
    circuit.before()  # the next caller probes instead
    with pytest.raises(CircuitOpen):
        circuit.before()
