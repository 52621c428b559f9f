"""The murmur button (つぶやき, issue 19): staff at an open place record, in ten seconds,
that they heard a concern — an age band, then one press on the need. No text field: the
page can send nothing but codes. The area is the organisation's own and the month this
one; the API decides who may record and refuses everyone else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from referral_hub.web import gates, labels, operations
from referral_hub.web.operations import FieldError
from referral_hub.web.views import refused

# and a welfare volunteer (民生委員, issue 20), for a concern heard on their rounds
STAFF_ROLES = frozenset({"COUNSELLOR", "CASEWORKER", "ORG_ADMIN", "WELFARE_VOLUNTEER"})


@login_required
@require_http_methods(["GET", "POST"])
def murmur(request: HttpRequest) -> HttpResponse:
    me = gates.person_with(
        request,
        STAFF_ROLES,
        _("This page is for the staff of an open place."),
        for_organisation=True,
    )
    if isinstance(me, HttpResponse):
        return me
    organisation_id = me.data["me"]["organisationId"]
    choices = operations.run(request, "MurmurChoices", {"organisationId": organisation_id})
    if choices.refused is not None:
        return refused(request, choices.refused)
    area = (choices.data.get("organisation") or {}).get("areaCode")
    if not area:
        return refused(request, FieldError(None, "FORBIDDEN", _("Your organisation has no area.")))
    needs = {tag["code"]: tag for tag in choices.data["tags"]}
    age_band = request.POST.get("ageBand", "UNKNOWN")
    error = None
    if request.method == "POST":
        answer = operations.run(
            request,
            "RecordConcernSignal",
            {"needTag": request.POST.get("needTag", ""), "areaCode": area, "ageBand": age_band},
        )
        if answer.refused is not None and answer.refused.field is None:
            return refused(request, answer.refused)
        failures = [answer.refused] if answer.refused else answer.errors_of("recordConcernSignal")
        if not failures:
            stored = answer.data["recordConcernSignal"]["concernSignal"]
            need = needs.get(stored["needTag"], {"code": stored["needTag"]})
            messages.success(
                request,
                _("Recorded: a concern about %(need)s (%(band)s). Thank you.")
                % {
                    "need": need.get("labelEn" if request.LANGUAGE_CODE == "en" else "labelJa")
                    or need["code"],
                    "band": labels.AGE_BANDS.get(stored["ageBand"], stored["ageBand"]),
                },
            )
            return redirect("web:murmur")
        error = failures[0]
    return render(
        request,
        "web/murmur.html",
        {
            "nav": "murmur",
            "me": me.data["me"],
            "organisation": choices.data["organisation"],
            "needs": list(needs.values()),
            "age_bands": labels.AGE_BANDS,
            "age_band": age_band,
            "error": error,
        },
        status=422 if error else 200,
    )
