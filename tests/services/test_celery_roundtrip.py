"""A task goes through the real Redis broker to a real worker process and back."""

import pytest

from referral_hub.core import tasks

pytestmark = pytest.mark.celery


def test_ping_round_trip_through_redis(celery_worker_process):
    assert tasks.ping.delay().get(timeout=30) == "pong"


def test_worker_reaches_neo4j_with_its_own_driver(celery_worker_process):
    assert tasks.graph_version.delay().get(timeout=30).startswith("5.")
