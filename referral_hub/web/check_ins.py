"""The caseworker's check-ins (issue 20, つながりフレイル): the organisation's due and
overdue check-ins, each with a form to record what was found. Thin: the named documents
CheckIns and RecordCheckIn run through the API's entry point, which decides who may see
and record (the receiving organisation's caseworkers) and checks every field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from referral_hub.web import operations, presenters
from referral_hub.web.operations import FieldError
from referral_hub.web.views import refused

# The answers, in the order the form offers them (CheckInAnswer in the API).
ANSWERS = {
    "STILL_ATTENDING": gettext_lazy("Still attending"),
    "STOPPED": gettext_lazy("Stopped attending"),
    "MOVED_ON": gettext_lazy("Moved on"),
    "COULD_NOT_REACH": gettext_lazy("Could not reach"),
}


@login_required
@require_http_methods(["GET", "POST"])
def check_ins(request: HttpRequest) -> HttpResponse:
    error: FieldError | None = None
    failed_row = None
    if request.method == "POST":
        posted = request.POST
        failed_row = posted.get("checkInId", "")
        answer = operations.run(
            request,
            "RecordCheckIn",
            {
                "referralId": posted.get("referralId", ""),
                "checkInId": failed_row,
                "answer": posted.get("answer", ""),
                "note": posted.get("note") or None,
            },
        )
        if answer.refused is not None and answer.refused.field is None:
            return refused(request, answer.refused)
        failures = [answer.refused] if answer.refused else answer.errors_of("recordCheckIn")
        if not failures:
            chosen = ANSWERS.get(posted.get("answer", ""), posted.get("answer", ""))
            messages.success(request, _("Recorded: %(answer)s.") % {"answer": chosen})
            return redirect("web:check-ins")
        error = failures[0]
    return _page(request, error=error, failed_row=failed_row)


def _page(request: HttpRequest, *, error: FieldError | None, failed_row: str | None) -> Any:
    variables: dict[str, Any] = {}
    overdue = request.GET.get("overdue", "")
    if overdue in ("true", "false"):
        variables["overdue"] = overdue == "true"
    if request.GET.get("after"):
        variables["after"] = request.GET["after"]
    listed = operations.run(request, "CheckIns", variables)
    if listed.refused is not None:
        return refused(request, listed.refused)
    return render(
        request,
        "web/check_ins.html",
        {
            "nav": "check-ins",
            "me": listed.data["me"],
            "rows": presenters.nodes(listed.data["checkIns"]),
            "page": listed.data["checkIns"]["pageInfo"],
            "overdue": overdue,
            "answers": ANSWERS,
            "error": error,
            "failed_row": failed_row,
        },
        status=422 if error else 200,
    )
