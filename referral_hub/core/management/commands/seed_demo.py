from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from graph import demo as demo_repo
from referral_hub.directory.demo import demo_organisations


class Command(BaseCommand):
    help = "Load the deterministic demo network into Neo4j (safe to run twice)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, seed: int = 1, **options: Any) -> None:
        count = demo_repo.organisations_upsert(demo_organisations(seed=seed))
        self.stdout.write(self.style.SUCCESS(f"demo network loaded: {count} organisations"))
