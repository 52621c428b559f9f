"""A task goes through the real Redis broker to a real worker process and back."""

import pytest

from referral_hub.core import tasks

pytestmark = pytest.mark.celery


def test_ping_round_trip_through_redis(celery_worker_process):
    assert tasks.ping.delay().get(timeout=30) == "pong"


def test_worker_reaches_neo4j_with_its_own_driver(celery_worker_process):
    assert tasks.graph_version.delay().get(timeout=30).startswith("5.")


def test_keeping_a_running_worker_waits_until_its_heartbeat_is_back(
    celery_worker_process, redis_server, test_profile
):
    # The tests' `redis_db` empties the broker's database under a running worker; the
    # heartbeat key goes with it for up to one interval. The fixture must not hand the
    # worker over in that gap (a health check once saw no worker in CI because it did).
    import redis as redis_client

    from referral_hub.core import worker_heartbeat
    from referral_hub.devservices import celery_worker

    redis_client.Redis.from_url(redis_server).flushdb()
    assert worker_heartbeat.alive(redis_server) == {}

    started = celery_worker.start(
        celery_worker_process,
        env={**test_profile.env(), "DJANGO_SETTINGS_MODULE": "referral_hub.test_settings"},
    )

    assert started is False  # the same worker, kept
    assert [name.split("@")[0] for name in worker_heartbeat.alive(redis_server)] == [
        celery_worker_process.name
    ]
