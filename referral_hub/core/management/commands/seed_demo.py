from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from graph import bulk
from referral_hub.accounts.actor import SYSTEM
from referral_hub.core.audit import audit_record
from referral_hub.core.progress import Progress
from referral_hub.directory.demo import Batch, Scale, areas_for, batches


class Command(BaseCommand):
    help = "Load a deterministic demo network (town, city, prefecture or national); idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=[s.value for s in Scale], default=Scale.CITY.value)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--batch-rows", type=int, default=4000, help="organisations per write transaction"
        )

    def handle(self, *args: Any, scale: str, seed: int, batch_rows: int, **options: Any) -> None:
        started = time.monotonic()
        areas = areas_for(Scale(scale))
        progress = Progress(total=len(areas), label=f"seed {scale}", stream=sys.stderr)
        pending, totals = Batch(), {"organisations": 0, "services": 0, "partnerships": 0}
        for batch in batches(Scale(scale), seed=seed):
            for name in ("organisations", "locations", "services", "partnerships", "opportunities"):
                getattr(pending, name).extend(getattr(batch, name))
            if len(pending.organisations) >= batch_rows:
                self._flush(pending, totals)
                pending = Batch()
            progress.advance()
        self._flush(pending, totals)
        progress.done()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"demo network '{scale}' (seed {seed}): {len(areas)} areas, "
                f"{totals['organisations']} organisations, {totals['services']} services, "
                f"{totals['partnerships']} partnerships in {elapsed:.1f}s"
            )
        )

    @staticmethod
    def _flush(batch: Batch, totals: dict[str, int]) -> None:
        bulk.write_batch(
            audit=audit_record(SYSTEM, "DEMO_SEED", "Directory", None),
            organisations=batch.organisations,
            locations=batch.locations,
            services=batch.services,
            partnerships=batch.partnerships,
            opportunities=batch.opportunities,
        )
        totals["organisations"] += len(batch.organisations)
        totals["services"] += len(batch.services)
        totals["partnerships"] += len(batch.partnerships)
