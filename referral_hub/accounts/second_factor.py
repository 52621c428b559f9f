"""Who must prove a second factor, whether this session has, and how recently.

Everyone signs in with a password *and* a second factor — every role reads subject data
or administers; COORDINATOR, once aggregates only, convenes support meetings and reads
their subjects and minutes (issue 20): a TOTP app,
a WebAuthn security key, or a one-time recovery code (django-allauth's MFA does the
protocol). Someone who has none yet is sent to enrol one before any other page, and
the API refuses their session with SECOND_FACTOR_REQUIRED.

A session has proved a factor when allauth recorded an "mfa" authentication in it (at
sign-in or re-authentication), or when a factor was enrolled in it. The most sensitive
actions ask for a proof no older than HUB_REAUTHENTICATE_SECONDS.

Bearer tokens are the machine equivalent of a second factor (256 random bits, hashed,
expiring, scoped) and are not asked for one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role

# Set when a factor is enrolled in this session: it proved possession of the new factor.
ENROLLED_AT = "hub:second_factor_enrolled_at"
REQUIRED_ROLES = frozenset(Role)
# Pages a person without a factor may still open: enrolment itself, signing out,
# the language, health checks, metrics and the files those pages load.
OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/readyz",
    "/livez",
    "/metrics",
    # The public place finder: the same page for everyone, signed in or not.
    "/places/",
)


def required(roles: Iterable[str], *, superuser: bool) -> bool:
    """Pure: must a person holding `roles` (in any organisation) use a second factor?"""
    return superuser or any(Role(role) in REQUIRED_ROLES for role in roles)


def proved_at(records: Iterable[dict[str, Any]], enrolled_at: float | None) -> float | None:
    """Pure: when this session last proved a second factor, or None if it never did."""
    times = [float(r["at"]) for r in records if r.get("method") == "mfa" and "at" in r]
    if enrolled_at is not None:
        times.append(float(enrolled_at))
    return max(times, default=None)


def is_fresh(proved: float | None, now: float, window_seconds: float) -> bool:
    """Pure: was the factor proved within the window (for the most sensitive actions)?"""
    return proved is not None and 0 <= now - proved <= window_seconds


def session_proved_at(request: HttpRequest, user: Any) -> float | None:
    if not hasattr(request, "session"):
        return None
    return proved_at(get_authentication_records(request, user), request.session.get(ENROLLED_AT))


def has_factor(user: Any) -> bool:
    """An authenticator app or a security key (recovery codes come with one of them)."""
    return (
        Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


def user_roles(user: Any) -> list[str]:
    return list(Membership.objects.filter(user=user).values_list("role", flat=True))


def redirect_page(request: HttpRequest, target: str) -> HttpResponse:
    """A redirect an htmx request follows as well (a swap would put the page in a part)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def reauthentication_url(user: Any, back: str) -> str:
    """Where a person confirms their second factor again, then returns to `back`: the
    code form, or the security-key page for someone who has only keys."""
    methods = [
        method["url"]
        for method in get_account_adapter().get_reauthentication_methods(user)
        if method["id"].startswith("mfa_reauthenticate")
    ]
    return f"{methods[0] if methods else reverse('mfa_index')}?{urlencode({'next': back})}"


class SecondFactorMiddleware:
    """Sends a signed-in person who must use a second factor, and has not proved one in
    this session, to enrolment (their first sign-in) before any other page. The API
    answers the same session with SECOND_FACTOR_REQUIRED (authentication.actor_for)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (
            user.is_authenticated
            and session_proved_at(request, user) is None
            and required(user_roles(user), superuser=user.is_superuser)
        ):
            return self.get_response(request)
        if has_factor(user):
            # Signed in without the factor they have (the hub's sign-in has no such way):
            # never let near enrolment or anything else; signed out, on every path.
            logout(request)
            if request.path == "/graphql" or request.path.startswith("/places/"):
                # Now anonymous: the API answers UNAUTHENTICATED, the public finder as usual.
                return self.get_response(request)
            return redirect_to_login(request.get_full_path())
        # The API answers such a session itself (SECOND_FACTOR_REQUIRED, actor_for).
        if request.path != "/graphql" and not request.path.startswith(OPEN_PREFIXES):
            messages.info(
                request,
                _(
                    "Set up a second factor to continue: an authenticator app or a "
                    "security key. You will be asked for it each time you sign in."
                ),
            )
            return redirect_page(request, reverse("mfa_index"))
        return self.get_response(request)
