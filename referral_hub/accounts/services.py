"""Account actions: issue and revoke API tokens, reset a person's second factors, end
their sessions. Each is audited in Neo4j.

The token row lives in Django's database and its audit event in Neo4j; the audit event
is written inside the SQL transaction before it commits, so a failed audit write
rolls the token back (an action is never left unaudited).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from graph import audit_log
from referral_hub.accounts import tokens
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.models import ApiToken
from referral_hub.accounts.reauthentication import require_recent_second_factor
from referral_hub.accounts.roles import Role
from referral_hub.core import ratelimit
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed

# Machine tokens act for an agency's system; administration stays with people.
MACHINE_ROLES = (Role.COUNSELLOR, Role.CASEWORKER, Role.COORDINATOR)


def token_issue(
    *, actor: Actor, name: str, kind: str, role: str | None = None, days: int = tokens.DEFAULT_DAYS
) -> tuple[str, ApiToken]:
    user_id = _issuer(actor)
    ratelimit.hit("token-issue", str(user_id), limit=10, window_seconds=3600)
    errors = []
    name = (name or "").strip()
    if not name or len(name) > 100:
        errors.append(FieldError("name", ErrorCode.REQUIRED, "name is required (up to 100)."))
    if not 1 <= days <= tokens.MAX_DAYS:
        errors.append(
            FieldError("days", ErrorCode.OUT_OF_RANGE, f"days must be 1 to {tokens.MAX_DAYS}.")
        )
    machine_role = (
        _machine_role(actor, role, errors) if kind == ApiToken.Kind.ORGANISATION else None
    )
    if errors:
        raise ValidationFailed(errors)
    user = get_user_model().objects.get(pk=user_id)
    with transaction.atomic():
        token, record = tokens.issue(
            user=user,
            name=name,
            kind=kind,
            days=days,
            role=machine_role,
            organisation_id=actor.organisation_id if machine_role else None,
        )
        audit_log.record_and_return(
            audit_record(actor, "API_TOKEN_ISSUE", "ApiToken", str(record.pk))
        )
    return token, record


def _issuer(actor: Actor) -> int:
    """The person issuing a token, in a browser session with a recent second factor."""
    if actor.user_id is None or actor.machine:
        raise PublicError(ErrorCode.FORBIDDEN, "Only a person can issue tokens.")
    if actor.token_id is not None or actor.second_factor_at is None:
        # A token is a second factor's equivalent, so it is minted only by someone who has
        # proved one: never by another token (which would outlive its own expiry).
        raise PublicError(
            ErrorCode.SECOND_FACTOR_REQUIRED,
            "Tokens are issued from a browser session signed in with a second factor.",
        )
    require_recent_second_factor(actor)
    return actor.user_id


def _machine_role(actor: Actor, role: str | None, errors: list[FieldError]) -> Role | None:
    """An organisation token's role: one the ORG_ADMIN issuing it holds there (an error
    is added to `errors` otherwise)."""
    if actor.organisation_id is None or not actor.has_role(Role.ORG_ADMIN):
        raise PublicError(
            ErrorCode.FORBIDDEN,
            "Organisation tokens are issued by that organisation's ORG_ADMIN.",
        )
    if role not in {r.value for r in MACHINE_ROLES}:
        errors.append(
            FieldError(
                "role",
                ErrorCode.INVALID,
                "role must be one of " + ", ".join(r.value for r in MACHINE_ROLES) + ".",
            )
        )
        return None
    if not actor.has_role(Role(role)):
        # A token never carries more than its issuer holds here (SYSTEM_ADMIN holds all).
        errors.append(
            FieldError(
                "role",
                ErrorCode.FORBIDDEN,
                f"You do not hold the role {role} in this organisation.",
            )
        )
        return None
    return Role(role)


def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    record = ApiToken.objects.filter(pk=token_id).first()
    own = record is not None and record.user_id == actor.user_id and not actor.machine
    org_admin = (
        record is not None
        and record.kind == ApiToken.Kind.ORGANISATION
        and actor.acts_for(str(record.organisation_id))
        and actor.has_role(Role.ORG_ADMIN)
    )
    if record is None or not (own or org_admin or actor.is_system_admin):
        # The same answer for "no such token" and "not yours": ids of others' tokens stay secret.
        raise ValidationFailed.one("id", ErrorCode.NOT_FOUND, "No such token.")
    with transaction.atomic():
        revoked = tokens.revoke(token_id=record.pk)
        audit_log.record_and_return(
            audit_record(actor, "API_TOKEN_REVOKE", "ApiToken", str(record.pk))
        )
    return revoked


def tokens_visible_to(actor: Actor) -> Any:
    """A machine token sees only itself; a person their own tokens, and an ORG_ADMIN also
    the organisation's machine tokens."""
    # Actors from authentication.py always carry these ids; one built without (None) sees
    # nothing of its own, as filtering on a NULL id would find nothing.
    if actor.machine:
        if actor.token_id is None:
            return ApiToken.objects.none()
        return ApiToken.objects.filter(pk=actor.token_id)
    query = (
        ApiToken.objects.none()
        if actor.user_id is None
        else ApiToken.objects.filter(user_id=actor.user_id)
    )
    if actor.organisation_id and actor.has_role(Role.ORG_ADMIN):
        query = query | ApiToken.objects.filter(organisation_id=actor.organisation_id)
    return query.order_by("-created_at")


def end_sessions(user: AbstractBaseUser) -> int:
    """End every browser session of `user` at once (allauth tracks them per user)."""
    ended = 0
    for tracked in UserSession.objects.filter(user=user):
        tracked.end()
        ended += 1
    return ended


def second_factors_reset(*, actor: Actor, user: AbstractBaseUser) -> int:
    """Remove every factor of `user` and end their sessions: they enrol again at their
    next sign-in. Returns how many factors were removed. The caller decides who may."""
    with transaction.atomic():
        removed, _ = Authenticator.objects.filter(user=user).delete()
        end_sessions(user)
        audit_log.record_and_return(
            audit_record(actor, "SECOND_FACTOR_RESET_BY_ADMIN", "User", str(user.pk))
        )
    return removed
