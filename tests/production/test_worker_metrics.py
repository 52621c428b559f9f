"""A worker's own /metrics port (HUB_WORKER_METRICS_PORT), for workers on other hosts: the
outcomes of tasks its pool processes ran, added up by the multiprocess mode."""

import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from referral_hub.benchmarks.gunicorn_server import free_port
from referral_hub.core import tasks
from referral_hub.devservices import celery_worker


@pytest.fixture
def worker_with_metrics(no_worker, test_profile, tmp_path):
    """A worker of its own (the tests' one is stopped, so this one takes the task)."""
    port = free_port()
    instance = celery_worker.WorkerInstance(data_dir=tmp_path, name="hub-metrics", concurrency=1)
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"")  # a dead run's file: emptied on start
    celery_worker.start(
        instance,
        env={
            **test_profile.env(),
            "DJANGO_SETTINGS_MODULE": "referral_hub.test_settings",
            "HUB_WORKER_METRICS_PORT": str(port),
            "PROMETHEUS_MULTIPROC_DIR": str(folder),
        },
    )
    yield port
    celery_worker.stop(instance)


@pytest.mark.celery
def test_a_worker_serves_its_pool_processes_task_outcomes(worker_with_metrics):
    assert tasks.ping.delay().get(timeout=30) == "pong"

    # Celery stores the result before it sends task_success (which counts the outcome), so
    # the caller may hold "pong" a moment before the count moves: wait for it, bounded.
    ping = (("outcome", "succeeded"), ("task", "hub.core.ping"))
    deadline = time.monotonic() + 10
    while True:
        samples = _samples(worker_with_metrics)
        if samples.get(("hub_celery_tasks_total", ping)) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert samples[("hub_celery_tasks_total", ping)] == 1
    assert samples[("hub_celery_task_duration_seconds_count", (("task", "hub.core.ping"),))] == 1
    assert samples[("hub_celery_workers_alive", ())] == 1


def _samples(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics") as response:
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
