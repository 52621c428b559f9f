"""`manage.py restore_hub FILE [--wipe]`: a backup_hub file back into both stores."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from graph.errors import GraphError
from referral_hub.core import worker_heartbeat
from referral_hub.core.restore import BackupError, check, restore
from referral_hub.subjects.maintenance import erase_due_subjects


class Command(BaseCommand):
    help = (
        "Restore a backup_hub file into the graph and Django's database after checking all "
        "of it; refuses a target that holds data unless --wipe."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="A file written by backup_hub.")
        parser.add_argument(
            "--wipe",
            action="store_true",
            help="Delete everything the graph and Django's database hold before restoring.",
        )
        parser.add_argument(
            "--erase-due",
            action="store_true",
            help="Then destroy the keys of subjects whose retention has run out since the "
            "backup, at once rather than at the next daily run (docs/backup.md).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even while a worker's heartbeat is alive (by default refused: stop "
            "web, worker and beat first, docs/backup.md).",
        )
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="Only check the file (checksum, counts, digest); change nothing.",
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        wipe: bool,
        check_only: bool,
        erase_due: bool,
        force: bool,
        **options: Any,
    ) -> None:
        started = time.monotonic()
        if not check_only and not force:
            _no_hub_running()
        try:
            trailer = check(file).trailer if check_only else restore(file, wipe=wipe)
        except (BackupError, GraphError) as exc:
            raise CommandError(str(exc)) from exc
        if erase_due and not check_only:
            erased = erase_due_subjects()
            self.stdout.write(f"erased {erased} subject(s) whose retention ran out since")
        done = "checked" if check_only else "restored"
        self.stdout.write(
            self.style.SUCCESS(
                f"{done} {trailer['nodes']} nodes, {sum(trailer['types'].values())} "
                f"relationships and {sum(trailer['models'].values())} database rows from {file} "
                f"in {time.monotonic() - started:.1f} s"
            )
        )


def _no_hub_running() -> None:
    """A restore replaces both stores under whatever still runs: a worker's relay, deadline
    or checkpoint task would write into a half-loaded graph (and a checkpoint would sign
    its heads). The workers' heartbeats are what can be seen from here; web processes are
    the operator's to stop too (docs/backup.md)."""
    try:
        running = worker_heartbeat.alive(settings.CELERY_BROKER_URL)
    except redis.RedisError as exc:
        raise CommandError(
            f"cannot tell whether workers are running (Redis: {exc}); stop web, worker and "
            "beat, then restore with --force"
        ) from None
    if running:
        names = ", ".join(sorted(running))
        raise CommandError(
            f"workers are running ({names}): stop web, worker and beat before a restore "
            "(docs/backup.md), or pass --force"
        )
