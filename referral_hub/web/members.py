"""The organisation admin's members page: who is a member, with which roles, who has a
second factor; invite by e-mail, change a member's roles, reset a member's factors, remove
a member, withdraw an invitation. Every action is a named GraphQL document run as the
admin; the API refuses anyone else, and asks for a recent second factor before each
change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from referral_hub.web import labels, operations
from referral_hub.web.operations import Answer, FieldError
from referral_hub.web.views import refused

INVITABLE = ("COUNSELLOR", "CASEWORKER", "COORDINATOR", "AUDITOR", "ORG_ADMIN")


def _row_action(request: HttpRequest, intent: str, row_id: str) -> tuple[Answer, str] | None:
    """A row's action: its document's answer and the mutation to read, or None."""
    if intent == "reset":
        answer = operations.run(request, "ResetMemberFactors", {"userId": row_id})
        return answer, "resetMemberFactors"
    if intent == "remove":
        return operations.run(request, "RemoveMember", {"userId": row_id}), "removeMember"
    if intent == "roles":
        roles = [role for role in request.POST.getlist("roles") if role]
        answer = operations.run(request, "SetMemberRoles", {"userId": row_id, "roles": roles})
        return answer, "setMemberRoles"
    if intent == "revoke":
        answer = operations.run(request, "RevokeMemberInvitation", {"id": row_id})
        return answer, "revokeMemberInvitation"
    return None


def _done(intent: str) -> str:
    return {
        "invite": _("The invitation is on its way."),
        "reset": _(
            "Their second factors are removed and their sessions ended; they set up a new "
            "one at their next sign-in."
        ),
        "remove": _("The member is removed; their sessions and tokens here have ended."),
        "revoke": _("The invitation is withdrawn."),
        "roles": _("The member's roles are changed; they count from their next page."),
    }[intent]


@login_required
@require_http_methods(["GET", "POST"])
def members_page(request: HttpRequest) -> HttpResponse:
    errors: list[FieldError] = []
    posted: dict[str, str] = {}
    if request.method == "POST":
        intent = request.POST.get("intent", "")
        if intent == "invite":
            posted = {"email": request.POST.get("email", ""), "role": request.POST.get("role", "")}
            answer = operations.run(request, "InviteMember", posted)
            mutation = "inviteMember"
        else:
            acted = _row_action(request, intent, request.POST.get("id", ""))
            if acted is None:
                return refused(request, FieldError("intent", "INVALID", _("Unknown action.")))
            answer, mutation = acted
        if answer.refused is not None:
            return refused(request, answer.refused, back=reverse("web:members"))
        errors = answer.errors_of(mutation)
        if not errors:
            messages.success(request, _done(intent))
            return redirect("web:members")
        if intent != "invite":  # a row's action: said at the top, the list shown again
            for error in errors:
                messages.error(request, error.message)
            return redirect("web:members")
    answer = operations.run(request, "Members")
    if answer.refused is not None:
        return refused(request, answer.refused)
    return render(
        request,
        "web/members.html",
        {
            "nav": "members",
            "me": answer.data["me"],
            "members": answer.data["members"],
            "invitations": answer.data["memberInvitations"],
            "roles": {code: labels.label("role", code) for code in INVITABLE},
            "errors": operations.errors_by_field(errors),
            "posted": posted,
        },
        status=422 if errors else 200,
    )
