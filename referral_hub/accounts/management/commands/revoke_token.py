from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from graph import audit_log
from referral_hub.accounts import tokens
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.models import ApiToken
from referral_hub.core.audit import audit_record


class Command(BaseCommand):
    help = "Revoke an API token by its id (see the admin or the apiTokens query)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("token_id", type=int)

    def handle(self, *args: Any, token_id: int, **options: Any) -> None:
        try:
            record = tokens.revoke(token_id=token_id)
        except ApiToken.DoesNotExist as exc:
            raise CommandError(f"no token {token_id}") from exc
        audit_log.record_and_return(
            audit_record(SYSTEM, "API_TOKEN_REVOKE", "ApiToken", str(record.pk))
        )
        self.stdout.write(f"token {record.pk} revoked at {record.revoked_at:%Y-%m-%d %H:%M}")
