"""Turn a request into an Actor: bearer token or session, and the organisation acted for."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from referral_hub.accounts import second_factor, tokens
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role
from referral_hub.core import forwarding, ratelimit
from referral_hub.core.errors import ErrorCode, PublicError

ORGANISATION_HEADER = "X-Organisation-Id"
SESSION_ORGANISATION = "organisation_id"


def client_address(request: HttpRequest) -> str | None:
    """The address the limits count and the audit records: the peer's, or, from a proxy
    in HUB_TRUSTED_PROXIES, the client's as the trusted proxies forwarded it."""
    return forwarding.client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.HUB_TRUSTED_PROXIES,
    )


def limit_key(request: HttpRequest) -> str:
    """What the per-address limits count for this request: the client's address, an IPv6
    client's /64 (forwarding.limit_key)."""
    return forwarding.limit_key(client_address(request))


# Failed bearer-token attempts per client address (docs/identity-and-audit.md: request limits).
BEARER_FAILURES = {"limit": 20, "window_seconds": 300}


def _issuer_still_holds(bearer: tokens.Bearer) -> None:
    """An organisation token acts with its issuer's authority: it works only while the
    issuer may still carry it (tokens.issuer_may_carry); removing a membership disables it."""
    if not tokens.holds(
        bearer.memberships, bearer.organisation_id, bearer.role, superuser=bearer.superuser
    ):
        raise tokens.TokenError("The issuer of this API token no longer holds its role.")


def uses_bearer_token(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").startswith("Bearer ")


def actor_for(request: HttpRequest, *, require_second_factor: bool = True) -> Actor | None:
    """The request's Actor, or None when it carries no credentials at all.

    Raises PublicError(UNAUTHENTICATED) for a bad token, FORBIDDEN for an organisation
    the user is not a member of, and SECOND_FACTOR_REQUIRED for a session of someone who
    must use a second factor and has not proved one (second_factor.py).
    """
    header = request.headers.get("Authorization")
    if header is not None:
        bearer = _bearer(request, header)
        if bearer.kind == ApiToken.Kind.ORGANISATION:
            return _organisation_token_actor(request, bearer)
        username, user_id, superuser = bearer.username, bearer.user_id, bearer.superuser
        memberships: Sequence[tuple[Any, str]] = bearer.memberships
        token_id: int | None = bearer.token_id
        proved = None
    elif getattr(request, "user", None) is not None and request.user.is_authenticated:
        user = request.user
        username, user_id, superuser = user.get_username(), user.pk, user.is_superuser
        memberships = list(
            Membership.objects.filter(user=user).values_list("organisation_id", "role")
        )
        token_id = None
        proved = second_factor.session_proved_at(request, user)
    else:
        return None

    global_admin = superuser or any(role == Role.SYSTEM_ADMIN for _, role in memberships)
    if (
        require_second_factor
        and token_id is None
        and proved is None
        and second_factor.required([role for _, role in memberships], superuser=superuser)
    ):
        raise PublicError(
            ErrorCode.SECOND_FACTOR_REQUIRED,
            "Sign in with a second factor first (an authenticator app or a security key).",
        )
    chosen = _chosen_organisation(request, {str(org) for org, _ in memberships}, global_admin)
    roles = {Role(role) for org, role in memberships if str(org) == chosen}
    if global_admin:
        roles.add(Role.SYSTEM_ADMIN)
    return Actor(
        username=username,
        user_id=user_id,
        organisation_id=chosen,
        roles=frozenset(roles),
        token_id=token_id,
        request_id=getattr(request, "request_id", None),
        client_address=client_address(request),
        session=token_id is None,
        second_factor_at=proved,
    )


def _bearer(request: HttpRequest, header: str) -> tokens.Bearer:
    scheme, _, raw = header.partition(" ")
    if scheme != "Bearer" or not raw:
        raise PublicError(ErrorCode.UNAUTHENTICATED, "Use 'Authorization: Bearer <token>'.")
    try:
        token = tokens.identify(raw.strip())
        if token.kind == ApiToken.Kind.ORGANISATION:
            _issuer_still_holds(token)
    except tokens.TokenError as exc:
        # Failed attempts are counted per address like password guesses; past the
        # limit they answer RATE_LIMITED. Valid tokens never touch the counter, so a
        # Redis outage does not lock out the agencies' systems.
        ratelimit.hit("bearer-failure", limit_key(request), **BEARER_FAILURES)
        raise PublicError(ErrorCode.UNAUTHENTICATED, str(exc)) from None
    return token


def _organisation_token_actor(request: HttpRequest, token: tokens.Bearer) -> Actor:
    """An organisation's system: the token's one role in its one organisation."""
    return Actor(
        username=f"token:{token.name}",
        user_id=token.user_id,
        organisation_id=str(token.organisation_id),
        roles=frozenset({Role(token.role)}),
        token_id=token.token_id,
        request_id=getattr(request, "request_id", None),
        client_address=client_address(request),
        machine=True,
    )


def _chosen_organisation(
    request: HttpRequest, organisations: set[str], global_admin: bool
) -> str | None:
    """The organisation the request acts for: named by the header or the session, or
    the only one the user belongs to; a SYSTEM_ADMIN may name any."""
    chosen = request.headers.get(ORGANISATION_HEADER) or (
        request.session.get(SESSION_ORGANISATION) if hasattr(request, "session") else None
    )
    if chosen is None and len(organisations) == 1:
        chosen = next(iter(organisations))
    if chosen is None:
        return None
    try:
        chosen = str(uuid.UUID(str(chosen)))
    except ValueError:
        raise PublicError(
            ErrorCode.INVALID,
            f"{ORGANISATION_HEADER} is not a UUID.",
            field=ORGANISATION_HEADER,
        ) from None
    if chosen not in organisations and not global_admin:
        raise PublicError(ErrorCode.FORBIDDEN, "You are not a member of that organisation.")
    return chosen
