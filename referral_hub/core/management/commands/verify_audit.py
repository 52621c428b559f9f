from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from graph import audit_log


class Command(BaseCommand):
    help = "Check every audit chain's hashes and order; name the first broken link of each."

    def handle(self, *args: Any, **options: Any) -> None:
        broken, chains, events = [], 0, 0
        for _chain, count, link in audit_log.verify_all():
            chains += 1
            events += count
            if link is not None:
                broken.append(link)
                self.stderr.write(f"BROKEN: {link}")
        if broken:
            raise CommandError(f"{len(broken)} of {chains} audit chain(s) are broken")
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {chains} chains, {events} events"))
