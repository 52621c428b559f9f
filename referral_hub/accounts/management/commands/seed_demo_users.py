from __future__ import annotations

import uuid
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from graph import bulk
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from referral_hub.directory import reference_data
from referral_hub.directory.demo import Scale, batches

DEMO_PASSWORD = "tsunagari-demo"  # noqa: S105 - development demo only; refused unless DEBUG

# Who plays which part in 川崎市川崎区 of the city demo network (the first organisation of
# a kind, but see below for the counsellor and the caseworker).
_CAST = [
    ("counsellor", "SCHOOL", Role.COUNSELLOR),
    ("caseworker", "WELFARE_OFFICE", Role.CASEWORKER),
    ("npo-admin", "NPO", Role.ORG_ADMIN),
    ("coordinator", "MUNICIPALITY", Role.COORDINATOR),
    ("auditor", "MUNICIPALITY", Role.AUDITOR),
]

# The coordinator works for the city, above its seven wards (the demo network has offices
# per ward), so the network map, coverage and flows show the whole of 川崎市.
CITY_OFFICE: dict[str, Any] = {
    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "tsunagari-demo:141305:city-office")),
    "name": "川崎市 こども未来局 地域連携担当",
    "kind": "MUNICIPALITY",
    "area_code": "141305",
    "description": "区をまたいで、子どもと家庭の支援のつながりを見守ります。",
    "website": None,
    "email": None,
    "phone": None,
}


def _demo_factor(user: Any) -> None:
    """A TOTP factor for a demo user, so the demo runs without a phone: its current code is
    printed by `manage.py demo_code` (development only)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


class Command(BaseCommand):
    help = "Create demo users for the city demo network (development only: needs DJANGO_DEBUG)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo users have a public password; run with DJANGO_DEBUG=1")
        first = next(batches(Scale.CITY, seed=1))
        by_kind: dict[str, dict[str, Any]] = {}
        for organisation in first.organisations:
            by_kind.setdefault(organisation["kind"], organisation)
        # The counsellor and caseworker are those of the demo history's busiest school and
        # receiver, so their pages have referrals on them (falling back to the first of a
        # kind in a graph without history).
        busiest = bulk.demo_busiest(area_codes=reference_data.area_codes_within("141313"))
        bulk.write_batch(
            audit=audit_record(SYSTEM, "DEMO_SEED", "Directory", None), organisations=[CITY_OFFICE]
        )  # once: the same id every time
        cast_organisation = {
            "counsellor": busiest.get("school"),
            "caseworker": busiest.get("receiver"),
            "coordinator": CITY_OFFICE,
        }
        users = get_user_model().objects
        admin = users.filter(username="admin").first() or users.create_superuser(
            username="admin", password=DEMO_PASSWORD
        )
        self.stdout.write(f"  admin        SYSTEM_ADMIN  (password {DEMO_PASSWORD})")
        _demo_factor(admin)
        for username, kind, role in _CAST:
            user = users.filter(username=username).first() or users.create_user(
                username=username, password=DEMO_PASSWORD
            )
            organisation = cast_organisation.get(username) or by_kind[kind]
            # One membership each, so each acts for its organisation without choosing.
            Membership.objects.filter(user=user).exclude(
                organisation_id=organisation["id"], role=role.value
            ).delete()
            Membership.objects.get_or_create(
                user=user, organisation_id=organisation["id"], role=role.value
            )
            _demo_factor(user)
            self.stdout.write(f"  {username:<12} {role.value:<13} {organisation['name']}")
        self.stdout.write(
            "  Each signs in with the password, then a code: `make demo-code WHO=counsellor`"
            " prints the current one (or enrol your own app after `manage.py"
            " reset_second_factor counsellor`)."
        )
