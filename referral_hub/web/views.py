"""The counsellor's and the caseworker's pages.

Every view runs named documents (referral_hub/web/operations/) as the signed-in user
through the API's entry point, and nothing else: what a page shows or does is exactly
what that user could see or do through `/graphql`, audited the same way. Views only
translate between form fields and GraphQL variables, and between answers and templates.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from referral_hub.accounts import second_factor
from referral_hub.web import labels, operations, presenters
from referral_hub.web.operations import Answer, FieldError

_REFUSAL_STATUS = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "RATE_LIMITED": 429,
    "GRAPH_UNAVAILABLE": 503,
    "INTERNAL_ERROR": 500,
}


def refused(request: HttpRequest, refusal: FieldError, *, back: str | None = None) -> HttpResponse:
    """A whole request the API refused, said plainly; the code is shown for support.
    `back` is the page to return to after re-authenticating (a POST's own address is
    not one)."""
    if refusal.code == "UNAUTHENTICATED":
        return redirect_to_login(request.get_full_path())
    if refusal.code == "REAUTHENTICATION_REQUIRED":
        messages.info(request, _("Confirm it is you with your second factor, then do it again."))
        target = second_factor.reauthentication_url(request.user, back or request.get_full_path())
        return second_factor.redirect_page(request, target)
    return render(
        request,
        "web/refused.html",
        {"refusal": refusal},
        status=_REFUSAL_STATUS.get(refusal.code, 400),
    )


def download(body: str, filename: str, content_type: str) -> HttpResponse:
    """A file to save, not a page. CSV starts with a byte-order mark, so the spreadsheet
    programs municipal offices use read it as UTF-8."""
    if content_type.startswith("text/csv"):
        body = "\ufeff" + body
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _roles(answer: Answer) -> set[str]:
    return set((answer.data.get("me") or {}).get("roles") or [])


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role's own start: a counsellor's referrals, a caseworker's inbox, an auditor's
    access log, an organisation admin's members, a coordinator's network map."""
    me = operations.run(request, "Me")  # answered from the session: no database work
    if me.refused is not None:
        return refused(request, me.refused)
    roles = _roles(me)
    if "COUNSELLOR" not in roles and "CASEWORKER" in roles:
        return redirect("web:inbox")
    if "COUNSELLOR" not in roles and "AUDITOR" in roles:
        return redirect("web:audit")
    if "COUNSELLOR" not in roles and "ORG_ADMIN" in roles:
        return redirect("web:members")
    if "COUNSELLOR" not in roles and "COORDINATOR" in roles:
        return redirect("web:network")
    if "COUNSELLOR" not in roles:
        return render(request, "web/other_roles.html", {"me": me.data["me"]})
    after = request.GET.get("after")
    answer = operations.run(request, "CounsellorHome", {"after": after} if after else {})
    if answer.refused is not None:
        return refused(request, answer.refused)
    outbox = answer.data["outbox"]
    return render(
        request,
        "web/counsellor_home.html",
        {
            "nav": "home",
            "me": answer.data["me"],
            "groups": presenters.by_state(presenters.nodes(outbox)),
            "page": outbox["pageInfo"],
            "older": bool(after),
        },
    )


_INBOX_FILTERS = ("state", "urgency", "overdue")


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    variables: dict[str, Any] = {}
    for name in _INBOX_FILTERS:
        value = request.GET.get(name, "")
        if value:
            variables[name] = {"true": True, "false": False}.get(value, value)
    if request.GET.get("after"):
        variables["after"] = request.GET["after"]
    answer = operations.run(request, "Inbox", variables)
    if answer.refused is not None:
        return refused(request, answer.refused)
    context = {
        "nav": "inbox",
        "me": answer.data["me"],
        "rows": presenters.nodes(answer.data["inbox"]),
        "page": answer.data["inbox"]["pageInfo"],
        "filters": {name: request.GET.get(name, "") for name in _INBOX_FILTERS},
        "states": labels.STATES,
        "urgencies": labels.URGENCIES,
    }
    template = "web/inbox_rows.html" if request.headers.get("HX-Target") == "inbox-rows" else None
    return render(request, template or "web/inbox.html", context)


def _referral_context(request: HttpRequest, referral_id: str) -> dict[str, Any] | HttpResponse:
    answer = operations.run(request, "Referral", {"id": referral_id})
    if answer.refused is not None:
        return refused(request, answer.refused)
    referral = answer.data.get("referral")
    if referral is None:
        return refused(
            request, FieldError("id", "NOT_FOUND", _("There is no such referral for you."))
        )
    me = answer.data["me"]
    side = presenters.side_of(referral, me.get("organisationId"))
    categories = referral["categories"]
    flags = (
        {"contact": True, "family": True, "notes": True}
        if side == presenters.Side.SENDER
        else presenters.include_flags(categories)
    )
    subject_answer = operations.run(
        request, "ReferralSubject", {"id": referral["subjectId"], **flags}
    )
    return {
        "me": me,
        "referral": referral,
        "side": side,
        "actions": presenters.actions_for(referral["state"], side),
        "subject": subject_answer.data.get("subject"),
        "hidden": [] if side == presenters.Side.SENDER else presenters.hidden_fields(categories),
        "reasons": labels.DECLINE_REASONS,
        "outcomes": labels.outcomes_for(referral.get("purpose")),
        "errors": {},
    }


def uuid_or_none(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


@login_required
@require_GET
def referral(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    context = _referral_context(request, str(referral_id))
    if isinstance(context, HttpResponse):
        return context
    return render(request, "web/referral.html", context)


@login_required
@require_POST
def referral_act(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """One move of the handoff; the API decides, and its errors are shown by their field."""
    form = request.POST
    variables: dict[str, Any] = {"id": str(referral_id), "action": form.get("action", "")}
    errors: list[FieldError] = []
    try:
        variables["version"] = int(form.get("version", ""))
    except ValueError:
        errors.append(FieldError("version", "INVALID", _("Reload the page and try again.")))
    for name in ("reason", "outcome", "note"):
        if form.get(name):
            variables[name] = form[name]
    if form.get("suggestedServiceId"):
        variables["suggestedServiceId"] = form["suggestedServiceId"]
    status = 422
    if not errors:
        answer = operations.run(request, "TransitionReferral", variables)
        if answer.refused is not None:
            if answer.refused.field is None:
                return refused(request, answer.refused)
            errors = [answer.refused]
        else:
            errors = answer.errors_of("transitionReferral")
            if not errors:
                done = labels.label("action", variables["action"])
                messages.success(request, _("Done: %(action)s.") % {"action": done})
                return redirect("web:referral", referral_id=referral_id)
            if any(error.code == "CONFLICT" for error in errors):
                status = 409
    context = _referral_context(request, str(referral_id))
    if isinstance(context, HttpResponse):
        return context
    context["errors"] = operations.errors_by_field(errors)
    context["failed_action"] = variables["action"]
    context["conflict"] = status == 409
    context["posted"] = form
    return render(request, "web/referral.html", context, status=status)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    consent_id = uuid_or_none(request.POST.get("consentId", ""))
    answer = operations.run(request, "WithdrawConsent", {"id": consent_id or ""})
    if answer.refused is not None:
        back = reverse("web:referral", kwargs={"referral_id": referral_id})
        return refused(request, answer.refused, back=back)
    errors = answer.errors_of("withdrawConsent")
    if errors:
        messages.error(request, "; ".join(error.message for error in errors))
    else:
        messages.success(request, _("The consent is withdrawn; open referrals under it closed."))
    return redirect("web:referral", referral_id=referral_id)


@login_required
@require_GET
def service_search(request: HttpRequest) -> HttpResponse:
    """Services to suggest with a decline (an htmx fragment of radio buttons)."""
    query = request.GET.get("q", "").strip()
    rows: list[dict[str, Any]] = []
    error = None
    if query:
        answer = operations.run(request, "ServiceSearch", {"search": query})
        if answer.refused is not None:
            error = answer.refused
        else:
            rows = presenters.nodes(answer.data["services"])
    return render(
        request, "web/service_choices.html", {"rows": rows, "error": error, "query": query}
    )


@login_required
def capacity(request: HttpRequest) -> HttpResponse:
    """One control per service of the caseworker's organisation: AVAILABLE/WAITLIST/FULL."""
    me = operations.run(request, "Me")
    if me.refused is not None:
        return refused(request, me.refused)
    errors: dict[str, FieldError] = {}
    if request.method == "POST":
        service_id = request.POST.get("serviceId", "")
        answer = operations.run(
            request,
            "UpdateCapacity",
            {"serviceId": service_id, "status": request.POST.get("status", "")},
        )
        if answer.refused is not None and answer.refused.field is None:
            return refused(request, answer.refused)
        failures = [answer.refused] if answer.refused else answer.errors_of("updateServiceCapacity")
        if not failures:
            messages.success(request, _("Capacity saved."))
            return redirect("web:capacity")
        errors[service_id] = failures[0]
    organisation_id = me.data["me"].get("organisationId") or ""
    services = operations.run(request, "OwnServices", {"organisationId": organisation_id})
    if services.refused is not None:
        return refused(request, services.refused)
    return render(
        request,
        "web/capacity.html",
        {
            "nav": "capacity",
            "me": me.data["me"],
            "services": presenters.nodes(services.data["services"]),
            "statuses": labels.CAPACITY,
            "errors": errors,
        },
        status=422 if errors else 200,
    )
