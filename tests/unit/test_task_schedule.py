from django.conf import settings

from referral_hub.celery import app


def test_every_scheduled_task_exists_and_runs_on_its_queue():
    app.loader.import_default_modules()
    queues = {}
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
        queues[entry["task"]] = app.amqp.router.route({}, entry["task"])["queue"].name
    # The outbox relay must not wait behind a long maintenance run.
    assert queues.pop("hub.notifications.relay") == "notifications"
    assert set(queues.values()) == {"maintenance"}
    assert sorted(queues) == [
        "hub.maintenance.audit_checkpoint",
        "hub.maintenance.beat_tick",
        "hub.maintenance.check_check_ins",
        "hub.maintenance.check_deadlines",
        "hub.maintenance.erase_due_subjects",
        "hub.maintenance.expire_consents",
        "hub.maintenance.refresh_responsiveness",
    ]


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
