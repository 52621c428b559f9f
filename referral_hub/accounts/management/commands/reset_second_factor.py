from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from referral_hub.accounts import services
from referral_hub.accounts.actor import SYSTEM


class Command(BaseCommand):
    help = (
        "Remove every second factor of a person and end their sessions; they enrol a new "
        "one at their next sign-in. The only way to reset a system administrator's "
        "factors. Audited."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        removed = services.second_factors_reset(actor=SYSTEM, user=user)
        self.stdout.write(
            f"{username}: {removed} factor(s) removed, sessions ended; "
            "a new factor is enrolled at the next sign-in"
        )
