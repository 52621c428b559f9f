"""An organisation admin's HSDS upload: accepted at once, imported by a worker in the
background with its progress and every refused record kept, scoped to the admin's own
organisation (import_scope.py). The operator's whole-file import is interchange.py.

The write is one Neo4j transaction that first reads who holds the file's ids, so the
ownership check and the write cannot be split by another request; nothing is written when
any record is refused (unless the admin asked to import the valid ones) or on a dry run.
A worker killed mid-import loses nothing: the task is acknowledged late, runs again, and
an import is idempotent (records are matched on their ids).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.utils import timezone
from neo4j.exceptions import Neo4jError

from graph import audit_log, bulk, session
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.core import ratelimit
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid, normalise_text
from referral_hub.directory import hsds, selectors
from referral_hub.directory.import_scope import scope_to_organisation
from referral_hub.directory.interchange import plan_against_graph
from referral_hub.directory.models import DirectoryImport

log = logging.getLogger(__name__)

FILENAME_MAX = 200
# What the page lists and what a job keeps of its refused records (the count is whole).
RECENT = 20
PROBLEMS_KEPT = 500
# Rows per write inside the one transaction: the progress bar moves between them.
STEP = 200
IMPORTS_PER_HOUR = 30
# Sent by name (tasks.py defines it and imports this module, not the other way round).
IMPORT_TASK = "hub.directory.import"


def _organisation(actor: Actor) -> str:
    if actor.organisation_id is None or not actor.has_role(Role.ORG_ADMIN):
        raise PublicError(ErrorCode.FORBIDDEN, "Imports are run by the organisation's ORG_ADMIN.")
    return actor.organisation_id


def start(*, actor: Actor, file: Any, skip_invalid: bool, dry_run: bool) -> DirectoryImport:
    """Keep the upload (a Django UploadedFile) and queue its import."""
    organisation = _organisation(actor)
    errors = []
    name = normalise_text(getattr(file, "name", "") or "").strip()
    if not name:
        errors.append(FieldError("file", ErrorCode.REQUIRED, "The file needs a name."))
    elif len(name) > FILENAME_MAX:
        errors.append(
            FieldError(
                "file", ErrorCode.TOO_LONG, f"A file name of at most {FILENAME_MAX} characters."
            )
        )
    elif not name.isprintable():
        errors.append(
            FieldError("file", ErrorCode.INVALID, "The file name holds control characters.")
        )
    limit = hsds.UPLOAD_MAX_BYTES
    data = file.read(limit + 1)
    if not data:
        errors.append(FieldError("file", ErrorCode.REQUIRED, "The file is empty."))
    elif len(data) > limit:
        errors.append(
            FieldError("file", ErrorCode.TOO_LONG, f"A file may be at most {limit} bytes.")
        )
    if errors:
        raise ValidationFailed(errors[:1])  # one error for the one field
    ratelimit.hit("directory-import", organisation, limit=IMPORTS_PER_HOUR, window_seconds=3600)
    job = DirectoryImport.objects.create(
        organisation_id=organisation,
        user_id=actor.user_id,
        username=actor.username,
        filename=name,
        content=data,
        skip_invalid=bool(skip_invalid),
        dry_run=bool(dry_run),
    )
    # Queued once the row is committed (so the worker always finds it), and at once or not
    # at all: with the broker down the row goes too, rather than waiting for ever.
    try:
        current_app.send_task(IMPORT_TASK, args=[str(job.pk)], retry=False, ignore_result=True)
    except Exception:  # any broker failure
        log.warning("broker unavailable: directory import %s not queued", job.pk, exc_info=True)
        job.delete()
        raise PublicError(
            ErrorCode.QUEUE_UNAVAILABLE, "The import cannot be queued now; try again shortly."
        ) from None
    return job


def visible(*, actor: Actor, import_id: Any) -> DirectoryImport:
    """One of the organisation's imports; another's id answers as an unknown one."""
    organisation = _organisation(actor)
    wanted = checked_uuid(import_id, "id")
    job = (
        DirectoryImport.objects.filter(pk=wanted, organisation_id=organisation)
        .defer("content")
        .first()
    )
    if job is None:
        raise ValidationFailed.one("id", ErrorCode.NOT_FOUND, "No such import.")
    return job


def recent(*, actor: Actor) -> list[DirectoryImport]:
    organisation = _organisation(actor)
    return list(
        DirectoryImport.objects.filter(organisation_id=organisation)
        .defer("content")
        .order_by("-created_at")[:RECENT]
    )


class _TakenMeanwhile(Exception):
    """Another organisation came to hold an id this import wrote: undo the whole write."""


def run(import_id: str) -> str:
    """The worker's part. Returns the state it ended in. Whatever goes wrong ends the job
    FAILED with the file dropped, never RUNNING for ever: the write is one transaction, so
    an error before its commit wrote nothing."""
    job = DirectoryImport.objects.filter(pk=import_id).first()
    if job is None or job.state in DirectoryImport.FINISHED:
        return job.state if job else "GONE"
    DirectoryImport.objects.filter(pk=job.pk).update(state=DirectoryImport.State.RUNNING)
    try:
        return _run(job)
    except Exception:  # a defect or an outage: said as such, and the job still ends
        log.exception("directory import %s failed", job.pk)
        return _finish(
            job,
            DirectoryImport.State.FAILED,
            message="The import stopped on an unexpected error; nothing was written.",
        )


def _run(job: DirectoryImport) -> str:
    """Authority, file, plan, then the one transaction: each step may end the job."""
    if not _uploader_still_admin(job):
        # Removed, or no longer ORG_ADMIN here, since the upload: their authority went too.
        return _finish(
            job,
            DirectoryImport.State.FAILED,
            message="Its uploader is no longer an admin of the organisation; nothing was written.",
        )
    try:
        tables = hsds.read_upload(bytes(job.content or b""), name=job.filename)
    except hsds.HsdsFileError as exc:
        return _finish(job, DirectoryImport.State.FAILED, message=str(exc))
    # The admin's own organisation may be referred to without being in the file.
    plan = plan_against_graph(tables, also_organisations=[str(job.organisation_id)])
    try:
        scoped, wrote = session.write_once(lambda tx: _scope_and_write(tx, job, plan))
    except _TakenMeanwhile as taken:
        return _finish(
            job,
            DirectoryImport.State.FAILED,
            message=f"Another organisation holds {taken} now; nothing was written.",
        )
    except Neo4jError:
        log.warning("directory import %s rolled back", job.pk, exc_info=True)
        return _finish(
            job,
            DirectoryImport.State.FAILED,
            message="The graph refused the write; it was rolled back and nothing was written.",
        )
    if wrote:
        selectors.known_tags.forget()
        state = DirectoryImport.State.DONE
    elif job.dry_run:
        state = DirectoryImport.State.VALIDATED
    else:
        state = DirectoryImport.State.REFUSED
    return _finish(job, state, plan=scoped)


def _scope_and_write(
    tx: session.Tx, job: DirectoryImport, plan: hsds.ImportPlan
) -> tuple[hsds.ImportPlan, bool]:
    """Inside the one transaction: who holds the ids now, what of the plan is ours, and —
    unless refused or a dry run — its write in steps (the progress bar), checked again."""
    organisation = str(job.organisation_id)
    named = sorted({t for s in plan.services for t in s["tags"]} | {t["code"] for t in plan.tags})
    held = bulk.holders(
        tx,
        services=[s["id"] for s in plan.services],
        locations=[loc["id"] for loc in plan.locations]
        + [i for s in plan.services for i in s["location_ids"]],
    )
    scoped = scope_to_organisation(
        plan,
        organisation_id=organisation,
        holders=held,
        known_tags=set(named) - set(selectors.known_tags.unknown(named)),
    )
    if job.dry_run or (scoped.problems and not job.skip_invalid):
        return scoped, False
    rows = [("locations", r) for r in scoped.locations] + [("services", r) for r in scoped.services]
    DirectoryImport.objects.filter(pk=job.pk).update(total=len(rows), done=0)
    for first in range(0, len(rows), STEP):
        chunk = rows[first : first + STEP]
        bulk.upsert(
            tx,
            locations=[r for table, r in chunk if table == "locations"],
            services=[r for table, r in chunk if table == "services"],
        )
        DirectoryImport.objects.filter(pk=job.pk).update(done=first + len(chunk))
    # Reads take no locks: another import may have taken a new id since the read above.
    after = bulk.holders(
        tx,
        services=[s["id"] for s in scoped.services],
        locations=[loc["id"] for loc in scoped.locations],
    )
    taken = {
        record_id
        for held_ids in after.values()
        for record_id, owners in held_ids.items()
        if any(owner != organisation for owner in owners)
    }
    if taken:
        raise _TakenMeanwhile(", ".join(sorted(taken)[:5]))
    uploader = Actor(
        username=job.username,
        user_id=job.user_id,
        organisation_id=organisation,
        roles=frozenset({Role.ORG_ADMIN}),
    )
    audit_log.append(tx, audit_record(uploader, "DIRECTORY_IMPORT", "DirectoryImport", str(job.pk)))
    return scoped, True


def _uploader_still_admin(job: DirectoryImport) -> bool:
    if job.user_id is None:
        return False
    held = Membership.objects.filter(user_id=job.user_id).values_list("organisation_id", "role")
    return any(
        role == Role.SYSTEM_ADMIN.value
        or (str(org) == str(job.organisation_id) and role == Role.ORG_ADMIN.value)
        for org, role in held
    )


def _finish(
    job: DirectoryImport,
    state: str,
    *,
    plan: hsds.ImportPlan | None = None,
    message: str = "",
) -> str:
    fields: dict[str, Any] = {
        "state": state,
        "content": None,  # the file is not kept once read
        "message": message[:500],
        "finished_at": timezone.now(),
    }
    if plan is not None:
        fields |= {
            "counts": {"locations": len(plan.locations), "services": len(plan.services)},
            "problems": [_problem(p) for p in plan.problems[:PROBLEMS_KEPT]],
            "problem_count": len(plan.problems),
            "warnings": [_problem(p) for p in plan.warnings[:PROBLEMS_KEPT]],
        }
    DirectoryImport.objects.filter(pk=job.pk).update(**fields)
    return state


def _problem(problem: hsds.Problem) -> dict[str, Any]:
    return {
        "table": problem.table,
        "row": problem.row or None,
        "recordId": (problem.record_id or "")[:100] or None,
        "message": problem.message[:500],
    }
