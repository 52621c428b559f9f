"""The organisation admin's opportunities (issue 19): the roles it offers, a new one, a
change, archiving one. Named GraphQL documents run as the admin; the API decides who may
change which opportunity (ORG_ADMIN of its organisation) and every rule about the values."""

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

from referral_hub.web import gates, operations, opportunity_form, presenters
from referral_hub.web.operations import Answer, FieldError
from referral_hub.web.views import refused


def _form_errors() -> dict[str, str]:
    return {
        "number": _("Give a whole number, like 12."),
        "service": _("Choose one of your services."),
        "location": _("Choose one of your places, or none."),
        "tags": _("Choose interests from the list."),
        "characters": _("Remove the control characters (invisible ones, like NUL)."),
    }


@login_required
@require_GET
def opportunities(request: HttpRequest) -> HttpResponse:
    me = gates.organisation_admin(request)
    if isinstance(me, HttpResponse):
        return me
    organisation = me.data["me"]["organisationId"]
    answer = operations.run(request, "AdminOpportunities", {"organisationId": organisation})
    if answer.refused is not None:
        return refused(request, answer.refused)
    return render(
        request,
        "web/admin_opportunities.html",
        {
            "nav": "opportunities",
            "me": answer.data["me"],
            "opportunities": presenters.nodes(answer.data["opportunities"]),
        },
    )


def _choices(data: dict[str, Any]) -> dict[str, Any]:
    organisation = data.get("organisation") or {}
    return {
        "services": organisation.get("services") or [],
        "locations": organisation.get("locations") or [],
        "tags": data.get("tags") or [],
        "area_code": organisation.get("areaCode") or "",
    }


def _read(request: HttpRequest, choices: dict[str, Any]) -> opportunity_form.OpportunityForm:
    return opportunity_form.read(
        request.POST,
        services={s["id"] for s in choices["services"]},
        locations={location["id"] for location in choices["locations"]},
        interests={tag["code"] for tag in choices["tags"]},
    )


def _form_page(
    request: HttpRequest,
    *,
    me: dict[str, Any],
    choices: dict[str, Any],
    shown: dict[str, Any],
    errors: dict[str, FieldError],
    opportunity: dict[str, Any] | None,
) -> HttpResponse:
    return render(
        request,
        "web/admin_opportunity_form.html",
        {
            "nav": "opportunities",
            "me": me,
            "opportunity": opportunity,
            **choices,
            "values": shown,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _shown(opportunity: dict[str, Any]) -> dict[str, Any]:
    """A stored opportunity as its form shows it."""
    return {
        "title": opportunity["title"],
        "description": opportunity.get("description") or "",
        "schedule": opportunity.get("schedule") or "",
        "areaCode": opportunity["areaCode"],
        "ageMin": "" if opportunity.get("ageMin") is None else str(opportunity["ageMin"]),
        "ageMax": "" if opportunity.get("ageMax") is None else str(opportunity["ageMax"]),
        "serviceId": opportunity["service"]["id"],
        "locationId": (opportunity.get("location") or {}).get("id", ""),
        "interestTags": [tag["code"] for tag in opportunity.get("interestTags") or ()],
    }


def _failures(answer: Answer, mutation: str) -> list[FieldError]:
    return [] if answer.refused is not None else answer.errors_of(mutation)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest) -> HttpResponse:
    admin = gates.organisation_admin(request)
    if isinstance(admin, HttpResponse):
        return admin
    organisation = admin.data["me"]["organisationId"]
    answer = operations.run(request, "OpportunityChoices", {"organisationId": organisation})
    if answer.refused is not None:
        return refused(request, answer.refused)
    me, choices = answer.data["me"], _choices(answer.data)
    shown: dict[str, Any] = {"areaCode": choices["area_code"], "interestTags": []}
    errors: dict[str, FieldError] = {}
    if request.method == "POST":
        form = _read(request, choices)
        shown = form.shown
        errors = operations.form_errors(form.errors, _form_errors())
        if not errors:
            created = operations.run(
                request,
                "CreateOpportunity",
                {"input": {**form.values, "organisationId": organisation}},
            )
            if created.refused is not None:
                back = reverse("web:admin-opportunity-new")
                return refused(request, created.refused, back=back)
            failures = _failures(created, "createOpportunity")
            if not failures:
                title = created.data["createOpportunity"]["opportunity"]["title"]
                messages.success(request, _("%(title)s is published.") % {"title": title})
                return redirect("web:admin-opportunities")
            errors = operations.errors_by_field(failures)
    return _form_page(request, me=me, choices=choices, shown=shown, errors=errors, opportunity=None)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, opportunity_id: uuid.UUID) -> HttpResponse:
    admin = gates.organisation_admin(request)
    if isinstance(admin, HttpResponse):
        return admin
    organisation = admin.data["me"]["organisationId"]
    answer = operations.run(
        request, "EditOpportunity", {"id": str(opportunity_id), "organisationId": organisation}
    )
    if answer.refused is not None:
        return refused(request, answer.refused)
    me, opportunity = answer.data["me"], answer.data["opportunity"]
    mine = opportunity is not None and opportunity["organisation"]["id"] == organisation
    if not mine or not opportunity["active"]:
        # Another organisation's role is not this admin's to change: the same answer as
        # one that does not exist.
        return refused(request, FieldError("id", "NOT_FOUND", _("No such opportunity of yours.")))
    choices = _choices(answer.data)
    shown, errors = _shown(opportunity), {}
    if request.method == "POST":
        form = _read(request, choices)
        shown = form.shown
        errors = operations.form_errors(form.errors, _form_errors())
        if not errors:
            updated = operations.run(
                request,
                "UpdateOpportunity",
                {"input": {**form.values, "id": str(opportunity_id)}},
            )
            if updated.refused is not None:
                back = reverse("web:admin-opportunity-edit", args=[opportunity_id])
                return refused(request, updated.refused, back=back)
            failures = _failures(updated, "updateOpportunity")
            if not failures:
                messages.success(request, _("The changes are saved."))
                return redirect("web:admin-opportunities")
            errors = operations.errors_by_field(failures)
    return _form_page(
        request, me=me, choices=choices, shown=shown, errors=errors, opportunity=opportunity
    )


@login_required
@require_POST
def opportunity_archive(request: HttpRequest, opportunity_id: uuid.UUID) -> HttpResponse:
    answer = operations.run(request, "ArchiveOpportunity", {"id": str(opportunity_id)})
    if answer.refused is not None:
        return refused(request, answer.refused, back=reverse("web:admin-opportunities"))
    failures = answer.errors_of("archiveOpportunity")
    if failures:
        for failure in failures:
            messages.error(request, failure.message)
    else:
        title = answer.data["archiveOpportunity"]["opportunity"]["title"]
        messages.success(
            request,
            _("%(title)s is archived; the referrals that offered it keep it.") % {"title": title},
        )
    return redirect("web:admin-opportunities")
