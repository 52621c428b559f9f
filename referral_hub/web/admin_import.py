"""The organisation admin's HSDS import: upload a file (JSON, or a zip of the CSV tables),
watch its progress, read every record it refused. The upload is given to the API's
Upload argument by a named document (startDirectoryImport) run as the admin; a worker
imports it, and the status part of the page asks the API again every second until the
import has finished."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from referral_hub.web import gates, operations
from referral_hub.web.operations import FieldError
from referral_hub.web.views import refused

FINISHED = ("VALIDATED", "REFUSED", "DONE", "FAILED")


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    me = gates.organisation_admin(request)
    if isinstance(me, HttpResponse):
        return me
    errors: list[FieldError] = []
    posted = {"skipInvalid": False, "dryRun": False}
    if request.method == "POST":
        posted = {
            "skipInvalid": request.POST.get("skipInvalid") == "1",
            "dryRun": request.POST.get("dryRun") == "1",
        }
        upload = request.FILES.get("file")
        if upload is None:
            errors.append(FieldError("file", "REQUIRED", _("Choose a file.")))
        else:
            answer = operations.run(request, "StartDirectoryImport", {"file": upload, **posted})
            if answer.refused is not None:
                return refused(request, answer.refused)
            errors = answer.errors_of("startDirectoryImport")
            if not errors:
                job = answer.data["startDirectoryImport"]["directoryImport"]
                return redirect("web:admin-import", import_id=job["id"])
    answer = operations.run(request, "DirectoryImports")
    if answer.refused is not None:
        return refused(request, answer.refused)
    return render(
        request,
        "web/admin_imports.html",
        {
            "nav": "imports",
            "jobs": answer.data["directoryImports"],
            "errors": operations.errors_by_field(errors),
            "posted": posted,
        },
        status=422 if errors else 200,
    )


@login_required
@require_GET
def import_status(request: HttpRequest, import_id: object) -> HttpResponse:
    me = gates.organisation_admin(request)
    if isinstance(me, HttpResponse):
        return me
    answer = operations.run(request, "DirectoryImport", {"id": str(import_id)})
    if answer.refused is not None:  # another organisation's import is NOT_FOUND too
        return refused(request, answer.refused)
    job = answer.data["directoryImport"]
    running = job["state"] not in FINISHED
    if request.headers.get("HX-Request") == "true":
        # 286 tells htmx to stop asking once the import has finished.
        return render(
            request,
            "web/admin_import_status.html",
            {"job": job, "running": running},
            status=200 if running else 286,
        )
    return render(
        request, "web/admin_import.html", {"nav": "imports", "job": job, "running": running}
    )
