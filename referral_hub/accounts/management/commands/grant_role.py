from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role


class Command(BaseCommand):
    help = "Give a user a role in an organisation (creating the user if --create is given)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", required=True)
        parser.add_argument("--organisation", required=True, type=uuid.UUID)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--create", action="store_true", help="create the user if missing")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        user = users.filter(username=options["user"]).first()
        if user is None and not options["create"]:
            raise CommandError(f"no user {options['user']!r} (add --create)")
        if user is None:
            user = users.create_user(username=options["user"])
        Membership.objects.get_or_create(
            user=user, organisation_id=options["organisation"], role=options["role"]
        )
        self.stdout.write(f"{user.username} is {options['role']} of {options['organisation']}")
