"""API tokens: issue, authenticate, revoke. Only a SHA-256 digest is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role

if TYPE_CHECKING:
    # settings.AUTH_USER_MODEL is Django's own User, and mypy types the foreign keys to it
    # as that model, so a user stored in one is annotated with it (not AbstractBaseUser).
    from django.contrib.auth.models import User

TOKEN_PREFIX = "tsu"  # noqa: S105 - a label, not a secret
DEFAULT_DAYS = 90
MAX_DAYS = 366
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """Unknown, malformed, expired or revoked token; the message is safe to show."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(
    *,
    user: User,
    name: str,
    kind: str,
    organisation_id: str | None = None,
    role: Role | None = None,
    days: int = DEFAULT_DAYS,
) -> tuple[str, ApiToken]:
    """Return the token string (shown once, never stored) and its record."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1 to {MAX_DAYS}")
    if kind == ApiToken.Kind.ORGANISATION and (organisation_id is None or role is None):
        raise ValueError("an organisation token needs an organisation and a role")
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken.objects.create(
        name=name,
        kind=kind,
        user=user,
        organisation_id=organisation_id,
        role=role.value if role else "",
        prefix=prefix,
        digest=_digest(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, record


def issuer_may_carry(user: User, organisation_id: Any, role: str) -> bool:
    """May `user` give an organisation token with `role` for that organisation? Only an
    ORG_ADMIN there who also holds `role` there, or a system administrator. Checked when
    the token is issued and again every time it is used."""
    if getattr(user, "is_superuser", False):
        return True
    held = set(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    if any(held_role == Role.SYSTEM_ADMIN.value for _, held_role in held):
        return True
    here = {
        held_role for organisation, held_role in held if str(organisation) == str(organisation_id)
    }
    return {Role.ORG_ADMIN.value, role} <= here


def authenticate(token: str) -> ApiToken:
    parts = token.split("_", 2)  # the secret itself may contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise TokenError("Malformed API token.")
    record = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    # Compare digests in constant time even when no row was found.
    expected = record.digest if record else _digest("")
    if not hmac.compare_digest(expected, _digest(token)) or record is None:
        raise TokenError("Unknown API token.")
    now = timezone.now()
    if record.revoked_at is not None:
        raise TokenError("This API token was revoked.")
    if record.expires_at <= now:
        raise TokenError("This API token has expired.")
    if not record.user.is_active:
        raise TokenError("The user of this API token is inactive.")
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record


def revoke(*, token_id: int) -> ApiToken:
    with transaction.atomic():
        record = ApiToken.objects.select_for_update().get(pk=token_id)
        if record.revoked_at is None:
            record.revoked_at = timezone.now()
            record.save(update_fields=["revoked_at"])
    return record
