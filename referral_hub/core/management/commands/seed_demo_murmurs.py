from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from referral_hub.pathways import demo_murmurs


class Command(BaseCommand):
    help = (
        "Give the demo network murmurs (concern signals heard at open places) over the last "
        "months, with one need the ward has no place for. Only into a graph without signals."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--area", default="141313", help="the ward (default 川崎区)")
        parser.add_argument("--months", type=int, default=6)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, area: str, months: int, seed: int, **options: Any) -> None:
        written = demo_murmurs.seed(area=area, months=months, seed=seed)
        if written is None:
            self.stdout.write(
                "demo murmurs: signals already recorded (or no open place); none added"
            )
            return
        self.stdout.write(self.style.SUCCESS(f"demo murmurs: {written} signals in {area}"))
