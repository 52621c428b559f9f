"""The organisation admin's partnerships: who the organisation works with (the edges of
the coordinator's network map, and a reason `recommend` ranks a place higher), a search
by name to add one, and ending one. Named GraphQL documents run as the admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from referral_hub.web import gates, operations, presenters
from referral_hub.web.operations import FieldError
from referral_hub.web.views import refused

SEARCH_MAX = 100


@login_required
@require_http_methods(["GET", "POST"])
def partners(request: HttpRequest) -> HttpResponse:
    me = gates.organisation_admin(request)
    if isinstance(me, HttpResponse):
        return me
    organisation = me.data["me"]["organisationId"]
    if request.method == "POST":
        intent = request.POST.get("intent", "")
        partner = request.POST.get("partnerId", "")
        variables = {"organisationId": organisation, "partnerId": partner}
        if intent == "add":
            variables["sharesData"] = request.POST.get("sharesData") == "1"
            answer = operations.run(request, "AddPartnership", variables)
            mutation, done = "addPartnership", _("The partnership is recorded.")
        elif intent == "remove":
            answer = operations.run(request, "RemovePartnership", variables)
            mutation, done = "removePartnership", _("The partnership is ended.")
        else:
            return refused(request, FieldError("intent", "INVALID", _("Unknown action.")))
        if answer.refused is not None:
            return refused(request, answer.refused, back=reverse("web:admin-partners"))
        failures = answer.errors_of(mutation)
        for failure in failures:
            messages.error(request, failure.message)
        if intent == "remove" and not failures and not answer.data[mutation]["removed"]:
            messages.info(request, _("There was no such partnership."))
        elif not failures:
            messages.success(request, done)
        return redirect("web:admin-partners")
    search = request.GET.get("q", "").strip()[:SEARCH_MAX]
    answer = operations.run(
        request,
        "AdminPartners",
        {"id": organisation, "search": search or None, "searching": bool(search)},
    )
    if answer.refused is not None:
        return refused(request, answer.refused)
    own = answer.data["organisation"] or {"partners": []}
    current = {p["organisation"]["id"] for p in own["partners"]}
    found = presenters.nodes(answer.data["organisations"]) if search else []
    return render(
        request,
        "web/admin_partners.html",
        {
            "nav": "partners",
            "me": answer.data["me"],
            "partners": own["partners"],
            "search": search,
            "found": [o for o in found if o["id"] != organisation and o["id"] not in current],
        },
    )
