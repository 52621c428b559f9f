"""Session login (rate-limited), logout, and choosing the organisation to act for."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from referral_hub.accounts.authentication import SESSION_ORGANISATION, client_address
from referral_hub.accounts.language import SUPPORTED, remember
from referral_hub.accounts.models import Membership, Preference
from referral_hub.core import ratelimit
from referral_hub.core.errors import PublicError

LOGIN_ATTEMPTS = 5
LOGIN_WINDOW_SECONDS = 300


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        try:
            # Per address and per account: one guesser cannot lock out a whole office.
            ratelimit.hit(
                "login-ip",
                client_address(request) or "?",
                limit=LOGIN_ATTEMPTS * 4,
                window_seconds=LOGIN_WINDOW_SECONDS,
            )
            ratelimit.hit(
                "login-user",
                username.lower(),
                limit=LOGIN_ATTEMPTS,
                window_seconds=LOGIN_WINDOW_SECONDS,
            )
        except PublicError as refused:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, refused.message)
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        chosen = Preference.objects.filter(user=form.get_user()).values_list("language", flat=True)
        if chosen and chosen[0] in SUPPORTED:  # this person's choice, on any browser
            _set_language_cookie(response, chosen[0])
        else:  # no choice yet: the browser's language decides, not the previous user's
            response.delete_cookie(
                settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH
            )
        return response


class LogoutView(auth_views.LogoutView):
    pass


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and for a signed-in person also their lasting choice: the
    language of their e-mail and of their next sign-in on another browser."""
    response = set_language(request)
    if request.user.is_authenticated:
        remember(request.user, request.POST.get("language", ""))
    return response


@require_POST
@login_required
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """Store the organisation a person acts for in the session (one of their memberships)."""
    try:
        chosen = uuid.UUID(request.POST.get("organisation_id", ""))
    except ValueError:
        return HttpResponseBadRequest("organisation_id is not a UUID")
    if not (
        request.user.is_superuser
        or Membership.objects.filter(user=request.user, organisation_id=chosen).exists()
    ):
        return HttpResponseBadRequest("not a member of that organisation")
    request.session[SESSION_ORGANISATION] = str(chosen)
    # A page flow (a new referral half done) belongs to the organisation it began for.
    stored = list(request.session.keys())  # a session is not iterable itself
    for key in stored:
        if key.startswith("flow:"):
            del request.session[key]
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"  # never a redirect to another site
    return redirect(target)
