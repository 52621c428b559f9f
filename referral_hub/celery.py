"""The Celery app, configured from Django settings (keys prefixed CELERY_)."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_process_init, worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_hub.settings")

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
    ]
)


@worker_process_init.connect
def _fresh_graph_driver(**_: object) -> None:
    # A forked child must not reuse the parent's Bolt sockets.
    from graph import driver

    driver.close()


@worker_process_shutdown.connect
def _close_graph_driver(**_: object) -> None:
    from graph import driver

    driver.close()
