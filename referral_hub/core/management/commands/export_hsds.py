from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from referral_hub.directory.interchange import hsds_export


class Command(BaseCommand):
    help = "Export the directory as Open Referral HSDS 3.0: PATH.json, or a folder of CSV tables."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        counts = hsds_export(path=path)
        summary = ", ".join(f"{rows} {table}" for table, rows in counts.items())
        self.stdout.write(self.style.SUCCESS(f"exported to {path}: {summary}"))
