import pytest

from tests.meetings.flows import coordinator_of
from tests.referrals.flows import build_case


@pytest.fixture
def meeting_case(graph_db, db, redis_db):
    network, people, subject = build_case()
    _, coordinator = coordinator_of()
    return network, people, subject, coordinator
