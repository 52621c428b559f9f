"""The organisation admin's services: the list, a new one, a change, taking one out of the
directory. Named GraphQL documents run as the admin; the API decides who may change which
service (ORG_ADMIN of its organisation) and every rule about the values."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from referral_hub.web import gates, operations, presenters, service_form
from referral_hub.web.operations import Answer, FieldError
from referral_hub.web.views import refused


def _form_errors() -> dict[str, str]:
    return {
        "number": _("Give a whole number, like 12."),
        "mode": _("Choose whether it is an open place or a support service."),
        "tags": _("Choose needs from the list."),
        "characters": _("Remove the control characters (invisible ones, like NUL)."),
    }


@login_required
@require_GET
def services(request: HttpRequest) -> HttpResponse:
    me = gates.organisation_admin(request)
    if isinstance(me, HttpResponse):
        return me
    organisation = me.data["me"]["organisationId"]
    answer = operations.run(request, "AdminServices", {"organisationId": organisation})
    if answer.refused is not None:
        return refused(request, answer.refused)
    return render(
        request,
        "web/admin_services.html",
        {
            "nav": "services",
            "me": answer.data["me"],
            "services": presenters.nodes(answer.data["services"]),
        },
    )


def _form_page(
    request: HttpRequest,
    *,
    me: dict[str, Any],
    tags: list[dict[str, Any]],
    shown: dict[str, Any],
    errors: dict[str, FieldError],
    service: dict[str, Any] | None,
) -> HttpResponse:
    return render(
        request,
        "web/admin_service_form.html",
        {
            "nav": "services",
            "me": me,
            "service": service,
            "tags": tags,
            "values": shown,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _shown(service: dict[str, Any]) -> dict[str, Any]:
    """A stored service as its form shows it."""
    return {
        "name": service["name"],
        "description": service.get("description") or "",
        "schedule": service.get("schedule") or "",
        "mode": service["mode"],
        "ageMin": "" if service.get("ageMin") is None else str(service["ageMin"]),
        "ageMax": "" if service.get("ageMax") is None else str(service["ageMax"]),
        "responseTargetHours": str(service["responseTargetHours"]),
        "acceptsReferrals": service["acceptsReferrals"],
        "tagCodes": [tag["code"] for tag in service.get("tags") or ()],
    }


def _failures(answer: Answer, mutation: str) -> list[FieldError]:
    return [] if answer.refused is not None else answer.errors_of(mutation)


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    admin = gates.organisation_admin(request)
    if isinstance(admin, HttpResponse):
        return admin
    answer = operations.run(request, "ServiceTags")
    if answer.refused is not None:
        return refused(request, answer.refused)
    me, tags = answer.data["me"], answer.data["tags"]
    shown: dict[str, Any] = {"mode": "SUPPORT", "acceptsReferrals": True, "tagCodes": []}
    errors: dict[str, FieldError] = {}
    if request.method == "POST":
        form = service_form.read(request.POST, known_tags={tag["code"] for tag in tags})
        shown = form.shown
        errors = operations.form_errors(form.errors, _form_errors())
        if not errors:
            created = operations.run(
                request,
                "CreateService",
                {"input": {**form.values, "organisationId": me["organisationId"]}},
            )
            failures = _failures(created, "createService")
            if created.refused is not None:
                return refused(request, created.refused, back=reverse("web:admin-service-new"))
            if not failures:
                name = created.data["createService"]["service"]["name"]
                messages.success(request, _("%(name)s is in the directory.") % {"name": name})
                return redirect("web:admin-services")
            errors = operations.errors_by_field(failures)
    return _form_page(request, me=me, tags=tags, shown=shown, errors=errors, service=None)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    admin = gates.organisation_admin(request)
    if isinstance(admin, HttpResponse):
        return admin
    answer = operations.run(request, "EditService", {"id": str(service_id)})
    if answer.refused is not None:
        return refused(request, answer.refused)
    me, tags, service = answer.data["me"], answer.data["tags"], answer.data["service"]
    mine = service is not None and service["organisation"]["id"] == me["organisationId"]
    if not mine or not service["active"]:
        # Another organisation's service is not this admin's to change: the same answer
        # as one that does not exist.
        return refused(request, FieldError("id", "NOT_FOUND", _("No such service of yours.")))
    shown, errors = _shown(service), {}
    if request.method == "POST":
        form = service_form.read(request.POST, known_tags={tag["code"] for tag in tags})
        shown = form.shown
        errors = operations.form_errors(form.errors, _form_errors())
        if not errors:
            updated = operations.run(
                request, "UpdateService", {"id": str(service_id), "input": form.values}
            )
            failures = _failures(updated, "updateService")
            if updated.refused is not None:
                back = reverse("web:admin-service-edit", args=[service_id])
                return refused(request, updated.refused, back=back)
            if not failures:
                messages.success(request, _("The changes are saved."))
                return redirect("web:admin-services")
            errors = operations.errors_by_field(failures)
    return _form_page(request, me=me, tags=tags, shown=shown, errors=errors, service=service)


@login_required
@require_POST
def service_deactivate(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    answer = operations.run(request, "DeactivateService", {"id": str(service_id)})
    if answer.refused is not None:
        return refused(request, answer.refused, back=reverse("web:admin-services"))
    failures = answer.errors_of("deactivateService")
    if failures:
        for failure in failures:
            messages.error(request, failure.message)
    else:
        name = answer.data["deactivateService"]["service"]["name"]
        messages.success(
            request,
            _("%(name)s is out of the directory; its referrals and history stay.") % {"name": name},
        )
    return redirect("web:admin-services")
