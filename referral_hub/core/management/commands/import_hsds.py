from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from referral_hub.core.progress import Progress
from referral_hub.directory.hsds import HsdsFileError
from referral_hub.directory.interchange import ImportFailed, ImportRefused, hsds_import


class Command(BaseCommand):
    help = (
        "Import an Open Referral HSDS 3.0 export (a .json file or a folder of CSV tables). "
        "Every record is validated first; by default one invalid record means nothing is "
        "written. Re-importing is idempotent (records are matched on their HSDS ids)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid records and report the invalid ones",
        )
        parser.add_argument("--dry-run", action="store_true", help="validate only")

    def handle(
        self, *args: Any, path: Path, skip_invalid: bool, dry_run: bool, **options: Any
    ) -> None:
        progress: Progress | None = None

        def on_progress(done: int, total: int) -> None:
            nonlocal progress
            if progress is None:
                progress = Progress(total=total, label="import", stream=sys.stderr)
            progress.advance(done - progress.count)

        try:
            plan = hsds_import(
                path=path, skip_invalid=skip_invalid, dry_run=dry_run, on_progress=on_progress
            )
        except HsdsFileError as exc:
            raise CommandError(f"INVALID_HSDS: {exc}") from exc
        except ImportFailed as exc:
            raise CommandError(f"import rolled back, nothing was written: {exc}") from exc
        except ImportRefused as exc:
            for problem in exc.plan.problems:
                self.stderr.write(f"invalid: {problem}")
            raise CommandError(
                f"INVALID_HSDS: {exc} (use --skip-invalid to import the valid records)"
            ) from exc
        if progress is not None:
            progress.done()
        for warning in plan.warnings:
            self.stderr.write(f"warning: {warning}")
        for problem in plan.problems:
            self.stderr.write(f"skipped: {problem}")
        counts = ", ".join(f"{rows} {name}" for name, rows in plan.counts().items())
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {counts}; {len(plan.problems)} invalid record(s) skipped")
        )
