"""The pupil's own choices about being connected (つながらないことも権利), beside the new
referral flow: the counsellor records them with the pupil or guardian, or lifts them.

Like every page, it runs named documents through the API's entry point; the API
checks and audits, and its errors are shown beside the fields they name. The pupil is
the one chosen in the flow (kept in the session, never in the address).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from referral_hub.web import labels, operations
from referral_hub.web.new_referral import pupil_or_refusal
from referral_hub.web.operations import FieldError
from referral_hub.web.views import refused


def _choices(form: QueryDict, subject_id: str, errors: list[FieldError]) -> dict[str, Any]:
    """setSubjectPreference's input from the form: an unticked box is false, an empty
    field is left out (the API then says if nothing was chosen)."""
    data: dict[str, Any] = {
        "subjectId": subject_id,
        "givenBy": form.get("givenBy") or None,
        "doNotRefer": form.get("doNotRefer") == "1",
        "exchangeOnly": form.get("exchangeOnly") == "1",
    }
    day = form.get("noContactBefore", "").strip()
    if day:
        try:
            data["noContactBefore"] = date.fromisoformat(day).isoformat()
        except ValueError:
            errors.append(
                FieldError("noContactBefore", "INVALID", _("Enter a date, such as 2027-04-01."))
            )
    if form.get("contactRoute") in labels.CONTACT_ROUTES:
        data["contactRoute"] = form["contactRoute"]
    if form.get("avoidMentioning", "").strip():
        data["avoidMentioning"] = form["avoidMentioning"]
    return data


@login_required
def preference(request: HttpRequest) -> HttpResponse:
    """Show the pupil's active preference; record a new one, or lift it."""
    context = pupil_or_refusal(request)
    if isinstance(context, HttpResponse):
        return context
    subject = context["subject"]
    context.update(
        nav="new",
        step=2,
        errors={},
        posted=None,
        routes=labels.CONTACT_ROUTES,
        # A preference is the person's or a parent's word (PreferenceGiver): not a legal
        # guardian's, whom GIVEN_BY also names for consent since issue 20.
        givers={code: labels.GIVEN_BY[code] for code in ("SUBJECT", "GUARDIAN")},
        route_label=labels.CONTACT_ROUTES.get(
            str((subject.get("preference") or {}).get("contactRoute"))
        ),
    )
    if request.method != "POST":
        return render(request, "web/new_preference.html", context)
    errors: list[FieldError] = []
    answer: operations.Answer | None
    if request.POST.get("intent") == "lift":
        name, done = "liftSubjectPreference", _("The pupil's preference is lifted.")
        answer = operations.run(request, "LiftSubjectPreference", {"subjectId": subject["id"]})
    else:
        name, done = "setSubjectPreference", _("The pupil's preference is recorded.")
        data = _choices(request.POST, subject["id"], errors)
        answer = (
            None if errors else operations.run(request, "SetSubjectPreference", {"input": data})
        )
    if answer is not None and answer.refused is not None:
        return refused(request, answer.refused)
    if answer is not None:
        errors = answer.errors_of(name)
    if not errors:
        messages.success(request, done)
        return redirect("web:new-preference")
    context.update(errors=operations.errors_by_field(errors), posted=request.POST)
    return render(request, "web/new_preference.html", context, status=422)
