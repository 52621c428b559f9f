from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from referral_hub.core.progress import Progress
from referral_hub.referrals import demo_history


class Command(BaseCommand):
    help = (
        "Give the demo network a referral history (schools in one ward referring pupils, "
        "with consent, to local services; then community salons referring older carers to "
        "the regional comprehensive support centre), through the same services as the API. "
        "Only into a graph without referrals; needs Redis for the notifications it queues."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--area", default="141313", help="the ward (default 川崎区)")
        parser.add_argument("--referrals", type=int, default=80)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--carers", type=int, default=6, help="the second story's referrals")

    def handle(
        self, *args: Any, area: str, referrals: int, seed: int, carers: int, **options: Any
    ) -> None:
        started = time.monotonic()
        progress = Progress(total=referrals, label="demo history", stream=sys.stderr)
        history = demo_history.seed(
            area=area, referrals=referrals, seed=seed, carers=carers, progress=progress.advance
        )
        progress.done()
        if history is None:
            self.stdout.write("demo history: the graph already holds referrals; nothing added")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"demo history: {history.referrals} referrals in {area} and "
                f"{history.elderly_referrals} from salons to the comprehensive support centre, "
                "figures refreshed "
                f"for {history.services_refreshed} services in {time.monotonic() - started:.1f}s"
            )
        )
