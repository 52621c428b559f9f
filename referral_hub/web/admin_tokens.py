"""The organisation admin's machine access: API tokens (issue — the secret shown on this
one answer only — and revoke) and the webhook (register or replace, its signing secret
shown once; the record of what was delivered). Named GraphQL documents run as the admin;
the API asks for a recent second factor before a token is issued."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from referral_hub.web import gates, labels, operations
from referral_hub.web.operations import Answer, FieldError
from referral_hub.web.views import refused

TOKEN_ROLES = ("COUNSELLOR", "CASEWORKER", "COORDINATOR")
DAYS_MAX = 366


def _issue_variables(post: Any) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """The form as issueApiToken takes it; only a number typed as text is checked here."""
    kind = "ORGANISATION" if post.get("kind") == "ORGANISATION" else "PERSONAL"
    variables: dict[str, Any] = {"name": post.get("name", "").strip(), "kind": kind}
    if kind == "ORGANISATION":
        variables["role"] = post.get("role", "")
    days = post.get("days", "").strip()
    errors: dict[str, FieldError] = {}
    if days:
        if days.isascii() and days.isdigit() and len(days) <= 3:
            variables["days"] = int(days)
        else:
            errors["days"] = FieldError("days", "INVALID", _("Give a whole number of days."))
    return variables, errors


def _page(request: HttpRequest, *, shown: dict[str, Any], status: int = 200) -> HttpResponse:
    answer = operations.run(request, "AdminTokens")
    if answer.refused is not None:
        return refused(request, answer.refused)
    return render(
        request,
        "web/admin_tokens.html",
        {
            "nav": "tokens",
            "me": answer.data["me"],
            "tokens": answer.data["apiTokens"],
            "deliveries": answer.data["notificationDeliveries"],
            # An organisation token acts in a role its issuer holds here (the API's rule).
            "roles": {
                code: labels.label("role", code)
                for code in TOKEN_ROLES
                if code in (answer.data["me"]["roles"] or ())
            },
            "days_max": DAYS_MAX,
            **shown,
        },
        status=status,
    )


@never_cache  # a secret shown once must not stay in any cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    admin = gates.organisation_admin(request)  # before any action, GET or POST
    if isinstance(admin, HttpResponse):
        return admin
    if request.method == "GET":
        return _page(request, shown={})
    back = reverse("web:admin-tokens")
    intent = request.POST.get("intent", "")
    answer: Answer
    if intent == "issue":
        variables, errors = _issue_variables(request.POST)
        posted = {**variables, "days": request.POST.get("days", "")}
        if errors:
            return _page(request, shown={"errors": errors, "posted": posted}, status=422)
        answer = operations.run(request, "IssueApiToken", variables)
        if answer.refused is not None:
            return refused(request, answer.refused, back=back)
        failures = answer.errors_of("issueApiToken")
        if failures:
            errors = operations.errors_by_field(failures)
            return _page(request, shown={"errors": errors, "posted": posted}, status=422)
        issued = answer.data["issueApiToken"]
        return _page(request, shown={"issued": issued})
    if intent == "revoke":
        answer = operations.run(request, "RevokeApiToken", {"id": request.POST.get("id", "")})
        if answer.refused is not None:
            return refused(request, answer.refused, back=back)
        failures = answer.errors_of("revokeApiToken")
        for failure in failures:
            messages.error(request, failure.message)
        if not failures:
            messages.success(request, _("The token is revoked: it no longer works."))
        return redirect("web:admin-tokens")
    if intent == "webhook":
        url = request.POST.get("url", "").strip()
        answer = operations.run(request, "RegisterWebhook", {"url": url})
        if answer.refused is not None:
            return refused(request, answer.refused, back=back)
        failures = answer.errors_of("registerWebhook")
        if failures:
            errors = {"url": failures[0]}
            return _page(request, shown={"hook_errors": errors, "hook_url": url}, status=422)
        return _page(request, shown={"webhook": answer.data["registerWebhook"]})
    return refused(request, FieldError("intent", "INVALID", _("Unknown action.")))
