"""The Celery app, configured from Django settings (keys prefixed CELERY_)."""

from __future__ import annotations

import ctypes
import logging
import logging.config
import os
import signal
import socket
import sys
from typing import Any

from celery import Celery
from celery.signals import (
    beat_embedded_init,
    before_task_publish,
    setup_logging,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
    worker_init,
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutdown,
)
from django.conf import settings

from graph import driver
from referral_hub.core import logs, metrics, read_your_writes
from referral_hub.core.worker_heartbeat import Heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_hub.settings")

log = logging.getLogger(__name__)
app = Celery("referral_hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Queues by task name prefix: notifications must not wait behind long maintenance jobs.
app.conf.task_routes = {
    "hub.notifications.*": {"queue": "notifications"},
    "hub.maintenance.*": {"queue": "maintenance"},
}
app.autodiscover_tasks(
    [
        "referral_hub.core",
        "referral_hub.subjects",
        "referral_hub.referrals",
        "referral_hub.notifications",
        "referral_hub.directory",
    ]
)


# A task enqueued after a write reads what the write made, on any cluster member
# (referral_hub/core/read_your_writes.py). weak=False: the handlers are module functions
# that live as long as the process anyway.
before_task_publish.connect(read_your_writes.add_task_header, weak=False)
task_prerun.connect(read_your_writes.enter_task_scope, weak=False)
task_postrun.connect(read_your_writes.leave_task_scope, weak=False)


@worker_process_init.connect
def _fresh_graph_driver(**_: object) -> None:
    # A forked child must not reuse the parent's Bolt sockets.
    driver.close()


@worker_process_init.connect
@beat_embedded_init.connect
def _die_with_the_parent(**_: object) -> None:
    """A pool process, and a beat embedded in a worker (`--beat`), ends when its worker
    does, however the worker ended (issue 13: a SIGKILLed worker left a child running)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        log.warning("could not ask to end with the worker (errno %s)", ctypes.get_errno())
    # The worker died before the line above took effect, so nothing will tell us. Compared
    # with the worker's own pid, recorded before the fork: the worker may itself be pid 1.
    if os.getppid() != _WORKER_PID:
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# This module is imported by the worker's main process before it forks its pool and its
# embedded beat, so in them this is their parent's pid.
_WORKER_PID = os.getpid()


@worker_process_shutdown.connect
def _close_graph_driver(**_: object) -> None:
    driver.close()


_heartbeat: list[Any] = []


@worker_ready.connect
def _start_heartbeat(sender: object, **_: object) -> None:
    """The worker's main process says it is alive (referral_hub/core/worker_heartbeat.py)."""
    if _heartbeat:  # ready again after the broker came back: the thread still runs
        return
    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    beat = Heartbeat(app.conf.broker_url, hostname)
    beat.start()
    _heartbeat.append(beat)


@worker_shutdown.connect
def _stop_heartbeat(**_: object) -> None:
    for beat in _heartbeat:
        beat.stop()


# --- logs and metrics (referral_hub/core/logs.py and metrics.py) ---------------------------
@setup_logging.connect
def _django_logging(**_: object) -> None:
    """Workers and beat log as the web processes do (settings.LOGGING: JSON lines in
    production), not in Celery's own format; connecting here stops Celery from taking
    over the root logger."""
    logging.config.dictConfig(settings.LOGGING)


_task_context: dict[str, Any] = {}


@task_prerun.connect
def _task_begins(task_id: str, task: Any, **_: object) -> None:
    _task_context[task_id] = logs.task.set((task_id, task.name))
    metrics.task_started(task_id)


@task_postrun.connect
def _task_ends(task_id: str, task: Any, **_: object) -> None:
    metrics.task_finished(task_id, task.name)
    token = _task_context.pop(task_id, None)
    if token is not None:
        logs.task.reset(token)


@task_success.connect
def _task_succeeded(sender: Any, **_: object) -> None:
    metrics.task_outcome(sender.name, "succeeded")


@task_failure.connect
def _task_failed(sender: Any, **_: object) -> None:
    metrics.task_outcome(sender.name, "failed")


@task_retry.connect
def _task_retried(sender: Any, **_: object) -> None:
    metrics.task_outcome(sender.name, "retried")


@worker_init.connect
def _worker_metrics(**_: object) -> None:
    """The worker's own /metrics port (HUB_WORKER_METRICS_PORT), for workers on hosts the
    web processes' scrape does not reach; started before the pool forks."""
    from django.conf import settings

    if settings.HUB_WORKER_METRICS_PORT:
        metrics.serve_worker_metrics(settings.HUB_WORKER_METRICS_PORT)
