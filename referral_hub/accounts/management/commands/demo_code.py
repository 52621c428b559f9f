from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from referral_hub.accounts.signin import totp_code


class Command(BaseCommand):
    help = (
        "Print a demo user's current TOTP code, as their authenticator app would show it "
        "(development only: needs DJANGO_DEBUG; `make demo-code WHO=counsellor`)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("codes are printed only for the development demo (DJANGO_DEBUG=1)")
        factor = Authenticator.objects.filter(
            user__username=username, type=Authenticator.Type.TOTP
        ).first()
        if factor is None:
            raise CommandError(f"{username!r} has no authenticator app factor")
        self.stdout.write(totp_code(decrypt(factor.data["secret"])))
