"""Session login (rate-limited), logout, and choosing the organisation to act for."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from referral_hub.accounts.authentication import SESSION_ORGANISATION, client_address
from referral_hub.accounts.models import Membership
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


class LogoutView(auth_views.LogoutView):
    pass


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
    return redirect(request.POST.get("next") or "/")
