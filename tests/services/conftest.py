"""Fixtures of the service tests."""

import pytest

from tests.services.notifying import Receiver


@pytest.fixture
def receiver_factory():
    made = []

    def make(*statuses):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()
