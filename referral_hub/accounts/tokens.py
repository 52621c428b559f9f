"""API tokens: issue, authenticate, revoke. Only a SHA-256 digest is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role

if TYPE_CHECKING:
    # settings.AUTH_USER_MODEL is Django's own User, and mypy types the foreign keys to it
    # as that model, so a user stored in one is annotated with it (not AbstractBaseUser).
    from django.contrib.auth.models import User

TOKEN_PREFIX = "tsu"  # noqa: S105 - a label, not a secret
_PREFIX = re.compile(r"[0-9a-f]{12}")  # secrets.token_hex(6), as issue() makes it
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
    held = Membership.objects.filter(user=user).values_list("organisation_id", "role")
    return holds(held, organisation_id, role, superuser=bool(getattr(user, "is_superuser", False)))


@dataclass(frozen=True)
class Bearer:
    """What a request needs of a valid token: the token, its user and the user's roles."""

    token_id: int
    kind: str
    name: str
    organisation_id: str | None  # an ORGANISATION token's
    role: str  # an ORGANISATION token's
    user_id: int
    username: str
    superuser: bool
    memberships: tuple[tuple[str, str], ...]  # the user's (organisation id, role) pairs


# Every API request names its token, and the ORM took about 0.6 ms to build, run and turn
# into objects its two queries (the token with its user, then the user's memberships):
# as much as the whole rest of a small read's GraphQL work (issue 17). This is the same
# question as one SQL statement, built once from the models' own table and column
# names, with the token's prefix as its only input (a parameter): about 0.02 ms. The
# database compares the times (`now` as each backend stores it), so no value read back
# needs the ORM's conversions except the UUIDs (text on SQLite, UUID on PostgreSQL).
_IDENTIFY = """
SELECT t.{token_id}, t.{kind}, t.{name}, t.{digest}, t.{organisation}, t.{role},
       t.{revoked} IS NOT NULL, t.{expires} <= %s,
       t.{last_used} IS NULL OR t.{last_used} < %s,
       u.{user_id}, u.{username}, u.{active}, u.{superuser},
       m.{member_organisation}, m.{member_role}
FROM {tokens} t
JOIN {users} u ON u.{user_id} = t.{user}
LEFT JOIN {memberships} m ON m.{member_user} = t.{user}
WHERE t.{prefix} = %s
ORDER BY m.{member_id}
"""


@cache
def _identify_sql() -> str:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()

    def column(model: Any, field: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(field).column)

    return _IDENTIFY.format(
        tokens=connection.ops.quote_name(ApiToken._meta.db_table),
        users=connection.ops.quote_name(user_model._meta.db_table),
        memberships=connection.ops.quote_name(Membership._meta.db_table),
        token_id=column(ApiToken, "id"),
        kind=column(ApiToken, "kind"),
        name=column(ApiToken, "name"),
        digest=column(ApiToken, "digest"),
        organisation=column(ApiToken, "organisation_id"),
        role=column(ApiToken, "role"),
        revoked=column(ApiToken, "revoked_at"),
        expires=column(ApiToken, "expires_at"),
        last_used=column(ApiToken, "last_used_at"),
        user=column(ApiToken, "user"),
        prefix=column(ApiToken, "prefix"),
        user_id=column(user_model, "id"),
        username=column(user_model, user_model.USERNAME_FIELD),
        active=column(user_model, "is_active"),
        superuser=column(user_model, "is_superuser"),
        member_id=column(Membership, "id"),
        member_user=column(Membership, "user"),
        member_organisation=column(Membership, "organisation_id"),
        member_role=column(Membership, "role"),
    )


def _uuid_text(value: Any) -> str | None:
    return None if value is None else str(uuid.UUID(str(value)))


def identify(token: str) -> Bearer:
    """The token's bearer, or TokenError (the same checks, in the same order, with the
    same messages as `authenticate`). Marks the token used, to the minute."""
    parts = token.split("_", 2)  # the secret itself may contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise TokenError("Malformed API token.")
    if not _PREFIX.fullmatch(parts[1]) or not token.isascii():
        # No row has such a prefix (issue() writes 12 hex digits) or such a token (ASCII
        # only); a NUL or a megabyte of text is not sent to the database (PostgreSQL
        # refuses a NUL in a parameter), and a lone surrogate never reaches the digest.
        raise TokenError("Unknown API token.")
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_identify_sql(), [adapt(now), adapt(now - LAST_USED_RESOLUTION), parts[1]])
        rows = cursor.fetchall()
    # Compare digests in constant time even when no row was found.
    expected = rows[0][3] if rows else _digest("")
    if not hmac.compare_digest(expected, _digest(token)) or not rows:
        raise TokenError("Unknown API token.")
    first = rows[0]
    token_id, kind, name, _, organisation, role, revoked, expired, stale = first[:9]
    user_id, username, active, superuser = first[9:13]
    if revoked:
        raise TokenError("This API token was revoked.")
    if expired:
        raise TokenError("This API token has expired.")
    if not active:
        raise TokenError("The user of this API token is inactive.")
    if stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return Bearer(
        token_id=token_id,
        kind=kind,
        name=name,
        organisation_id=_uuid_text(organisation),
        role=role,
        user_id=user_id,
        username=username,
        superuser=bool(superuser),
        memberships=tuple(
            (str(_uuid_text(member_organisation)), member_role)
            for *_, member_organisation, member_role in rows
            if member_organisation is not None
        ),
    )


def authenticate(token: str) -> ApiToken:
    """The token's record, with its user (commands and tests; a request uses `identify`)."""
    return ApiToken.objects.select_related("user").get(pk=identify(token).token_id)


def holds(
    memberships: Iterable[tuple[Any, str]], organisation_id: Any, role: str, *, superuser: bool
) -> bool:
    """Whether a user with these (organisation, role) pairs may carry an organisation token
    with `role` for that organisation (issuer_may_carry, without asking the database)."""
    if superuser:
        return True
    held = {(str(organisation), held_role) for organisation, held_role in memberships}
    if any(held_role == Role.SYSTEM_ADMIN.value for _, held_role in held):
        return True
    here = {held_role for organisation, held_role in held if organisation == str(organisation_id)}
    return {Role.ORG_ADMIN.value, role} <= here


def revoke(*, token_id: int) -> ApiToken:
    with transaction.atomic():
        record = ApiToken.objects.select_for_update().get(pk=token_id)
        if record.revoked_at is None:
            record.revoked_at = timezone.now()
            record.save(update_fields=["revoked_at"])
    return record
