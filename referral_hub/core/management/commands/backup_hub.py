"""`manage.py backup_hub FILE`: the graph and Django's database, one moment of both, in one file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from graph.errors import GraphError
from referral_hub.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the graph (a logical export of every node and relationship) and Django's "
        "database together, as one consistent moment, to a gzip-compressed file."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup (.jsonl.gz).")
        parser.add_argument(
            "--attempts",
            type=int,
            default=3,
            help="Copies to try when the graph is written to during one (default 3).",
        )

    def handle(self, *args: Any, file: Path, attempts: int, **options: Any) -> None:
        started = time.monotonic()
        try:
            trailer = backup(file, attempts=attempts)
        except (BackupError, GraphError) as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"backed up {trailer['nodes']} nodes, {sum(trailer['types'].values())} "
                f"relationships and {sum(trailer['models'].values())} database rows to {file} "
                f"({file.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s); sha256 {trailer['sha256']}"
            )
        )
