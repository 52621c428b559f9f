"""The auditor's pages: the access log of the area (filtered, newest first, a page at a
time, each view itself audited by the API), the verification of the area's chains, a
subject's disclosure record (on screen, printed on A4, as CSV or JSON) and the
statutory review queue (read the justification, record a finding). Named GraphQL
documents run as the auditor."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from referral_hub.web import audit_filter, disclosure, operations, presenters
from referral_hub.web.labels import LEGAL_BASES
from referral_hub.web.operations import FieldError
from referral_hub.web.views import download, refused

FINDINGS = ("APPROPRIATE", "INAPPROPRIATE")


def _form_errors() -> dict[str, str]:
    return {
        "action": _("An action is written in capitals, like SUBJECT_READ."),
        "target": _("A target id is up to 100 characters."),
        "actor": _("A username is up to 150 characters."),
        "basis": _("Choose a basis from the list."),
        "organisation": _("An organisation id is a UUID."),
        "date": _("Give a date as YYYY-MM-DD, from the year 2000."),
        "order": _("The end comes on or after the start."),
    }


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = audit_filter.read(request.GET)
    errors = operations.form_errors(form.errors, _form_errors())
    variables: dict[str, object] = {"filter": form.filter}
    if request.GET.get("after"):
        variables["after"] = request.GET["after"]
    # An unreadable form asks nothing of the log: the page shows the form and its errors.
    if errors:
        answer = operations.run(request, "Me")
    else:
        answer = operations.run(request, "AuditEvents", variables)
    if answer.refused is not None:
        return refused(request, answer.refused)
    if errors and not {"AUDITOR", "SYSTEM_ADMIN"} & set(answer.data["me"]["roles"]):
        return refused(request, FieldError(None, "FORBIDDEN", _("This page is for auditors.")))
    connection = answer.data.get("auditEvents") or {"edges": [], "pageInfo": {}}
    page = connection["pageInfo"]
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "web/audit.html",
        {
            "nav": "audit",
            "me": answer.data["me"],
            "events": presenters.nodes(connection),
            "page": page,
            "query": query.urlencode(),
            "filters": request.GET,
            "bases": LEGAL_BASES,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Check every chain of the auditor's area now (a POST: it reads the whole area and
    writes its own audit event, so no link or prefetch may start it)."""
    answer = operations.run(request, "VerifyAuditLog")
    if answer.refused is not None:
        return refused(request, answer.refused, back=reverse("web:audit"))
    return render(
        request,
        "web/audit_verify.html",
        {"nav": "audit", "me": answer.data["me"], "result": answer.data["verifyAuditLog"]},
    )


@login_required
@require_GET
def disclosure_lookup(request: HttpRequest) -> HttpResponse:
    """The access log's "disclosure record of a subject" box: a pseudonymous id to its page."""
    text = request.GET.get("subject", "").strip()
    try:
        subject = uuid.UUID(text)
    except ValueError:
        messages.error(request, _("A subject's pseudonymous id is a UUID, as the log shows it."))
        return redirect("web:audit")
    return redirect("web:disclosure-record", subject_id=subject)


@login_required
@require_GET
def disclosure_record(request: HttpRequest, subject_id: uuid.UUID) -> HttpResponse:
    """第三者提供記録: one run of the document, whatever the format (each run audited)."""
    form = request.GET.get("format", "")
    answer = operations.run(request, "DisclosureRecord", {"subjectId": str(subject_id)})
    if answer.refused is not None:
        return refused(request, answer.refused)
    record = answer.data["disclosureRecord"]
    name = f"disclosure-{subject_id}"
    if form == "json":
        body = json.dumps(record, ensure_ascii=False, indent=2)
        return download(body, f"{name}.json", "application/json")
    if form == "csv":
        body = disclosure.record_csv(record["events"])
        return download(body, f"{name}.csv", "text/csv; charset=utf-8")
    events = [
        {**event, "label": disclosure.action_label(event["action"])} for event in record["events"]
    ]
    return render(
        request,
        "web/disclosure_record.html",
        {
            "nav": "audit",
            "me": answer.data["me"],
            "record": record,
            "events": events,
            "recipients": disclosure.recipients(record),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reviews(request: HttpRequest) -> HttpResponse:
    back = reverse("web:reviews")
    errors: dict[str, dict[str, FieldError]] = {}
    if request.method == "POST":
        referral_id = request.POST.get("id", "")
        finding = request.POST.get("finding", "")
        note = request.POST.get("note", "").strip() or None
        if finding not in FINDINGS:
            errors[referral_id] = {
                "finding": FieldError("finding", "REQUIRED", _("Choose a finding."))
            }
        else:
            answer = operations.run(
                request,
                "ReviewStatutoryReferral",
                {"id": referral_id, "finding": finding, "note": note},
            )
            if answer.refused is not None:
                return refused(request, answer.refused, back=back)
            failures = answer.errors_of("reviewStatutoryReferral")
            if not failures:
                messages.success(request, _("The finding is recorded."))
                return redirect("web:reviews")
            if any(f.field in (None, "id") for f in failures):  # not one of this queue's
                for failure in failures:
                    messages.error(request, failure.message)
                return redirect("web:reviews")
            errors[referral_id] = operations.errors_by_field(failures)
    reviewed = request.GET.get("reviewed") == "1"
    variables: dict[str, object] = {"reviewed": reviewed}
    after = request.GET.get("after", "")
    if after:
        variables["after"] = after
    answer = operations.run(request, "ReviewQueue", variables)
    if answer.refused is not None:
        return refused(request, answer.refused)
    connection = answer.data["statutoryReviewQueue"]
    return render(
        request,
        "web/reviews.html",
        {
            "nav": "reviews",
            "me": answer.data["me"],
            "items": presenters.nodes(connection),
            "reviewed": reviewed,
            "page": connection["pageInfo"],
            "errors": errors,
            "posted": request.POST,
        },
        status=422 if errors else 200,
    )
