from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from graph import audit_log
from referral_hub.accounts import tokens
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.models import ApiToken
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record


class Command(BaseCommand):
    help = "Issue an API token and print it once (only its SHA-256 digest is stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", required=True, help="username the token belongs to")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--kind", choices=[k.value for k in ApiToken.Kind], default=ApiToken.Kind.PERSONAL.value
        )
        parser.add_argument("--organisation", help="organisation id (ORGANISATION tokens)")
        parser.add_argument(
            "--role", choices=[r.value for r in Role], help="role (ORGANISATION tokens)"
        )
        parser.add_argument("--days", type=int, default=tokens.DEFAULT_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        if options["kind"] == ApiToken.Kind.ORGANISATION and not tokens.issuer_may_carry(
            user, options["organisation"], options["role"] or ""
        ):
            raise CommandError(
                "an organisation token needs a user who is ORG_ADMIN there and holds its role"
            )
        try:
            token, record = tokens.issue(
                user=user,
                name=options["name"],
                kind=options["kind"],
                organisation_id=options["organisation"],
                role=Role(options["role"]) if options["role"] else None,
                days=options["days"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        audit_log.record_and_return(
            audit_record(SYSTEM, "API_TOKEN_ISSUE", "ApiToken", str(record.pk))
        )
        self.stdout.write(token)
        self.stderr.write(f"token {record.pk} ({record.kind}) expires {record.expires_at:%Y-%m-%d}")
