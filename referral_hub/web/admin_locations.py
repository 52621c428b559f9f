"""The organisation admin's locations: where its services happen (the network map places
the organisation by them, and `recommend` measures distance from them). List, add,
change, take out of the directory; named GraphQL documents run as the admin."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from referral_hub.web import gates, location_form, operations
from referral_hub.web.operations import Answer, FieldError
from referral_hub.web.views import refused


def _form_errors() -> dict[str, str]:
    return {
        "coordinate": _("Give a decimal number of degrees, like 35.5310."),
        "pair": _("Give both the latitude and the longitude, or neither."),
        "characters": _("Remove the control characters (invisible ones, like NUL)."),
    }


def _own(request: HttpRequest) -> Answer | HttpResponse:
    """The admin's organisation and its locations, or the page that refuses."""
    me = gates.organisation_admin(request)
    if isinstance(me, HttpResponse):
        return me
    organisation = me.data["me"]["organisationId"]
    answer = operations.run(request, "AdminLocations", {"id": organisation})
    return refused(request, answer.refused) if answer.refused is not None else answer


def _shown(value: object) -> str:
    """As the form shows it: coordinates to 7 decimals (about 1 cm), as its reader takes."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.7f}".rstrip("0").rstrip(".")
    return str(value)


def _locations(answer: Answer) -> list[dict[str, Any]]:
    return (answer.data.get("organisation") or {}).get("locations") or []


def _page(
    request: HttpRequest,
    answer: Answer,
    *,
    editing: dict[str, Any] | None = None,
    shown: dict[str, Any] | None = None,
    errors: dict[str, FieldError] | None = None,
) -> HttpResponse:
    return render(
        request,
        "web/admin_locations.html",
        {
            "nav": "locations",
            "me": answer.data["me"],
            "locations": _locations(answer),
            "editing": editing,
            "values": shown or {},
            "errors": errors or {},
        },
        status=422 if errors else 200,
    )


def _read(request: HttpRequest) -> tuple[location_form.LocationForm, dict[str, FieldError]]:
    form = location_form.read(request.POST)
    return form, operations.form_errors(form.errors, _form_errors())


@login_required
@require_http_methods(["GET", "POST"])
def locations(request: HttpRequest) -> HttpResponse:
    answer = _own(request)
    if isinstance(answer, HttpResponse):
        return answer
    if request.method == "GET":
        return _page(request, answer)
    form, errors = _read(request)
    if not errors:
        organisation = answer.data["me"]["organisationId"]
        created = operations.run(
            request, "CreateLocation", {"input": {**form.values, "organisationId": organisation}}
        )
        if created.refused is not None:
            return refused(request, created.refused, back=reverse("web:admin-locations"))
        failures = created.errors_of("createLocation")
        if not failures:
            name = created.data["createLocation"]["location"]["name"]
            messages.success(request, _("%(name)s is in the directory.") % {"name": name})
            return redirect("web:admin-locations")
        errors = operations.errors_by_field(failures)
    return _page(request, answer, shown=form.shown, errors=errors)


@login_required
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, location_id: uuid.UUID) -> HttpResponse:
    answer = _own(request)
    if isinstance(answer, HttpResponse):
        return answer
    current = next((x for x in _locations(answer) if x["id"] == str(location_id)), None)
    if current is None:  # another organisation's, gone, or none: the same answer
        return refused(request, FieldError("id", "NOT_FOUND", _("No such location of yours.")))
    shown = {k: _shown(v) for k, v in current.items()}
    errors: dict[str, FieldError] = {}
    if request.method == "POST":
        form, errors = _read(request)
        shown = form.shown
        if not errors:
            updated = operations.run(
                request, "UpdateLocation", {"id": str(location_id), "input": form.values}
            )
            if updated.refused is not None:
                back = reverse("web:admin-location-edit", args=[location_id])
                return refused(request, updated.refused, back=back)
            failures = updated.errors_of("updateLocation")
            if not failures:
                messages.success(request, _("The changes are saved."))
                return redirect("web:admin-locations")
            errors = operations.errors_by_field(failures)
    return _page(request, answer, editing=current, shown=shown, errors=errors)


@login_required
@require_POST
def location_deactivate(request: HttpRequest, location_id: uuid.UUID) -> HttpResponse:
    answer = operations.run(request, "DeactivateLocation", {"id": str(location_id)})
    if answer.refused is not None:
        return refused(request, answer.refused, back=reverse("web:admin-locations"))
    failures = answer.errors_of("deactivateLocation")
    for failure in failures:
        messages.error(request, failure.message)
    if not failures:
        name = answer.data["deactivateLocation"]["location"]["name"]
        messages.success(request, _("%(name)s is out of the directory.") % {"name": name})
    return redirect("web:admin-locations")
