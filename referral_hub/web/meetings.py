"""Support meeting pages (支援会議, issue 20): the coordinator convenes and runs a meeting;
an invited member acknowledges the duty of confidentiality, then sees the meeting's content;
an auditor sees every meeting of the area with its participants and reads. Every page runs
named documents (operations/) through the API's entry point: what a participant may see is
decided by the API, in the statement that reads it, never here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from referral_hub.web import gates, operations
from referral_hub.web.operations import FieldError
from referral_hub.web.views import refused

MEETING_ROLES = frozenset({"COORDINATOR", "COUNSELLOR", "CASEWORKER", "AUDITOR"})
STATES = {"CONVENED": gettext_lazy("Convened"), "CLOSED": gettext_lazy("Closed")}

Run = Callable[[HttpRequest, dict[str, Any]], operations.Answer]

# What each form on the meeting page asks of the API: the document it runs, its mutation
# and the form fields it takes (beside the meeting's id).
_ACTIONS: dict[str, tuple[Run, str, tuple[str, ...]]] = {
    "acknowledge": (
        lambda request, data: operations.run(request, "AcknowledgeConfidentiality", data),
        "acknowledgeConfidentiality",
        (),
    ),
    "invite": (
        lambda request, data: operations.run(request, "InviteToSupportMeeting", data),
        "inviteToSupportMeeting",
        ("organisationIds",),
    ),
    "subject": (
        lambda request, data: operations.run(request, "AddMeetingSubject", data),
        "addMeetingSubject",
        ("subjectId",),
    ),
    "minutes": (
        lambda request, data: operations.run(request, "RecordMeetingMinutes", data),
        "recordMeetingMinutes",
        ("text",),
    ),
    "decision": (
        lambda request, data: operations.run(request, "RecordMeetingDecision", data),
        "recordMeetingDecision",
        ("subjectId", "text"),
    ),
    "close": (
        lambda request, data: operations.run(request, "CloseSupportMeeting", data),
        "closeSupportMeeting",
        (),
    ),
}


def _person(request: HttpRequest) -> Any:
    return gates.person_with(
        request, MEETING_ROLES, _("This page is for the members of a support meeting.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    me = _person(request)
    if isinstance(me, HttpResponse):
        return me
    form = {"title": "", "areaCode": "", "durationMinutes": "120"}
    errors: list[FieldError] = []
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in form}
        duration = form["durationMinutes"]
        data: dict[str, Any] = {"title": form["title"], "areaCode": form["areaCode"]}
        if duration:  # left empty: the API's default length
            data["durationMinutes"] = int(duration) if duration.isdigit() else 0
        answer = operations.run(request, "ConveneSupportMeeting", {"input": data})
        if answer.refused is not None:
            return refused(request, answer.refused)
        errors = answer.errors_of("conveneSupportMeeting")
        if not errors:
            meeting = answer.data["conveneSupportMeeting"]["meeting"]["id"]
            messages.success(request, _("The support meeting is convened."))
            return redirect("web:meeting", meeting_id=meeting)
    listed = operations.run(request, "SupportMeetings")
    if listed.refused is not None:
        return refused(request, listed.refused)
    return render(
        request,
        "web/meetings.html",
        {
            "nav": "meetings",
            "me": listed.data["me"],
            "meetings": listed.data["supportMeetings"],
            "states": STATES,
            "form": form,
            "errors": operations.errors_by_field(errors),
        },
        status=422 if errors else 200,
    )


def _act(request: HttpRequest, meeting_id: str) -> list[FieldError] | HttpResponse:
    """Run the form's action; its typed errors, or the response that ends the request."""
    action = _ACTIONS.get(request.POST.get("do", ""))
    if action is None:
        return [FieldError("form", "INVALID", _("Unknown action."))]
    run, mutation, fields = action
    data: dict[str, Any] = {"meetingId": meeting_id}
    for name in fields:
        value = request.POST.get(name, "").strip()
        data[name] = [value] if name == "organisationIds" else value
    answer = run(request, {"input": data})
    if answer.refused is not None and answer.refused.field is None:
        return refused(request, answer.refused)
    errors = [answer.refused] if answer.refused else answer.errors_of(mutation)
    if not errors:
        return redirect("web:meeting", meeting_id=meeting_id)
    return errors


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    me = _person(request)
    if isinstance(me, HttpResponse):
        return me
    key = str(meeting_id)
    errors: list[FieldError] = []
    if request.method == "POST":
        acted = _act(request, key)
        if isinstance(acted, HttpResponse):
            return acted
        errors = acted
    found = operations.run(request, "SupportMeeting", {"id": key})
    if found.refused is not None:
        return refused(request, found.refused)
    shown = found.data["supportMeeting"]
    if shown is None:
        return refused(request, FieldError(None, "NOT_FOUND", _("No such support meeting.")))
    return render(
        request,
        "web/meeting.html",
        {
            "nav": "meetings",
            "me": found.data["me"],
            "meeting": shown,
            "states": STATES,
            "errors": errors,
        },
        status=422 if errors else 200,
    )
