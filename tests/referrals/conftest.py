import pytest

from tests.referrals.flows import build_case


@pytest.fixture
def case(graph_db, db, redis_db):
    return build_case()
