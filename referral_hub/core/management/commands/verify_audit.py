from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from graph import audit_log
from referral_hub.core import checkpoints


class Command(BaseCommand):
    help = (
        "Check every audit chain's hashes, order and subject index, and every signed "
        "checkpoint against the log; name the first broken link of each chain."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        broken, chains, events = [], 0, 0
        for _chain, count, link in audit_log.verify_all():
            chains += 1
            events += count
            if link is not None:
                broken.append(link)
                self.stderr.write(f"BROKEN: {link}")
        signed = checkpoints.verify_checkpoints()
        if signed.newest is not None:
            number, at, root = signed.newest
            self.stdout.write(f"newest signed checkpoint: #{number} at {at}, root {root}")
        for link in signed.broken:
            broken.append(link)
            self.stderr.write(f"BROKEN: {link}")
        if broken:
            raise CommandError(
                f"{len(broken)} problem(s) in {chains} audit chain(s) and "
                f"{signed.checkpoints} checkpoint(s)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"audit log intact: {chains} chains, {events} events, "
                f"{signed.checkpoints} signed checkpoints"
            )
        )
