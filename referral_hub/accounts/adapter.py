"""How django-allauth behaves here: no self sign-up (members are invited by their
organisation's admin), the language a person chose follows them to any browser, and
ending one's other sessions ("where am I signed in") is audited."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from referral_hub.accounts.authentication import client_address
from referral_hub.accounts.language import SUPPORTED
from referral_hub.accounts.models import Preference
from referral_hub.accounts.second_factor import is_fresh, session_proved_at
from referral_hub.accounts.signals import session_ended_elsewhere

if TYPE_CHECKING:
    # settings.AUTH_USER_MODEL is Django's own User, and mypy types the foreign keys to it
    # as that model, so a user stored in one is annotated with it (not AbstractBaseUser).
    from django.contrib.auth.models import User

ACCOUNT_REAUTHENTICATION_TIMEOUT = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
QUIET = frozenset({"account/messages/logged_in.txt", "account/messages/logged_out.txt"})


class HubAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's own limit on failed sign-ins per address and the list of one's sessions
        # name the client the hub's limits and audit name (HUB_TRUSTED_PROXIES), not the
        # proxy in front; allauth's answer (it refuses a request with no address) otherwise.
        return client_address(request) or super().get_client_ip(request)

    def post_login(self, request: HttpRequest, user: User, **kwargs: Any) -> Any:
        response = super().post_login(request, user, **kwargs)
        chosen = Preference.objects.filter(user=user).values_list("language", flat=True)
        if chosen and chosen[0] in SUPPORTED:  # this person's choice, on any browser
            set_language_cookie(response, chosen[0])
        else:  # no choice yet: the browser's language decides, not the previous user's
            response.delete_cookie(
                settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH
            )
        return response

    def is_reauthentication_required(self, app: str | None = None) -> bool:
        # allauth asks again before one's own factors change unless the person just
        # re-authenticated. Here a second factor proved in the last minutes counts too (at
        # sign-in, or by enrolling one), and so does the password alone for someone who
        # has no factor yet: enrolling the first follows the password straight away.
        request = context.request
        if app == "allauth.mfa" and request is not None and request.user.is_authenticated:
            now = time.time()
            proved = session_proved_at(request, request.user)
            if is_fresh(proved, now, ACCOUNT_REAUTHENTICATION_TIMEOUT):
                return False
            if not Authenticator.objects.filter(user=request.user).exists():
                signed_in = [
                    r["at"]
                    for r in get_authentication_records(request, request.user)
                    if r.get("method") == "password"
                ]
                if signed_in and is_fresh(signed_in[-1], now, ACCOUNT_REAUTHENTICATION_TIMEOUT):
                    return False
        return super().is_reauthentication_required(app=app)

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        # "Successfully signed in as …" tells a person nothing the page does not.
        if message_template in QUIET:
            return
        super().add_message(request, level, message_template, *args, **kwargs)


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class HubUserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions: Any) -> None:
        for tracked in list(sessions):
            tracked_id = tracked.pk
            tracked.end()
            session_ended_elsewhere(context.request, tracked.user, tracked_id)
