"""Sign-in (rate-limited), and choosing the language and the organisation to act for."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from referral_hub.accounts import members
from referral_hub.accounts.authentication import SESSION_ORGANISATION, limit_key
from referral_hub.accounts.language import remember
from referral_hub.accounts.models import Membership
from referral_hub.core import ratelimit
from referral_hub.core.errors import FieldError, PublicError, ValidationFailed

LOGIN_ATTEMPTS = 5
LOGIN_WINDOW_SECONDS = 300


class LoginView(allauth_views.LoginView):
    """allauth's sign-in (password, then the second factor), behind the hub's own limit on
    guesses: kept in Redis, so every process counts the same attempts."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("login", ""))
        try:
            # Per address and per account: one guesser cannot lock out a whole office.
            ratelimit.hit(
                "login-ip",
                limit_key(request),
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
    assert request.user.is_authenticated  # login_required let no one else in
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


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, secret: str) -> HttpResponse:
    """An invitation link: create an account (or, signed in, join with the one you
    have). The link works once; an unknown, used or expired one says so and nothing more."""
    invitation = members.invitation_for(secret)
    if invitation is None:
        return render(request, "accounts/invitation_gone.html", status=404)
    signed_in = request.user.is_authenticated
    errors: dict[str, FieldError] = {}
    if request.method == "POST":
        try:
            ratelimit.hit("invitation", limit_key(request), limit=20, window_seconds=300)
            members.accept(
                secret,
                # `signed_in`, said again so that mypy narrows request.user to a person
                user=request.user if request.user.is_authenticated else None,
                username=str(request.POST.get("username", "")),
                password=str(request.POST.get("password", "")),
                password2=str(request.POST.get("password2", "")),
            )
        except ValidationFailed as refused:
            errors = {(e.field or "form"): e for e in refused.errors}
        except PublicError as refused:
            errors = {"form": FieldError(None, refused.code, refused.message)}
        else:
            if signed_in:
                messages.success(request, _("You joined the organisation."))
                return redirect("/")
            messages.success(
                request,
                _("Your account is ready. Sign in, then set up your second factor."),
            )
            return redirect("account_login")
    context = {
        "invitation": invitation,
        "signed_in": signed_in,
        "errors": errors,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "accounts/invitation.html", context, status=422 if errors else 200)


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """Replaces the Django admin's sign-in form, which would take a password alone: people
    sign in at /accounts/login/ (password, then the second factor), and a POST here signs
    nobody in, whoever is signed in already."""
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect("admin:index")
        return HttpResponseForbidden("The admin is for the service's administrators.")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    return redirect_to_login(target)


def not_offered(request: HttpRequest) -> HttpResponse:
    raise Http404("not offered")
