"""directoryImport, directoryImports, startDirectoryImport: an organisation admin's HSDS
upload, imported in the background (referral_hub/directory/imports.py)."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.directory import imports
from referral_hub.directory.models import DirectoryImport as ImportRow
from schema.core.described import described_enum
from schema.core.permissions import require_actor
from schema.core.upload import Upload
from schema.directory.mutations.base import DirectoryMutation

DirectoryImportState = described_enum(
    ImportRow.State,
    "Where a directory import stands.",
    {
        ImportRow.State.QUEUED: "Waiting for a worker.",
        ImportRow.State.RUNNING: "Being read and written.",
        ImportRow.State.VALIDATED: "A dry run finished: nothing written.",
        ImportRow.State.REFUSED: "Invalid records and skipInvalid off: nothing written.",
        ImportRow.State.DONE: "Written.",
        ImportRow.State.FAILED: "Not an HSDS file, or the write was rolled back: nothing written.",
    },
    name="DirectoryImportState",
)


class DirectoryImportProblem(graphene.ObjectType):
    """A record the import refused (or warns about), and why."""

    table = graphene.String(required=True, description="The HSDS table, e.g. service.")
    row = graphene.Int(description="1-based row in that table, when the file gives one.")
    record_id = graphene.String(description="The record's id in the file.")
    message = graphene.String(required=True, description="What is wrong with it.")


class DirectoryImportCounts(graphene.ObjectType):
    """How many records an import wrote (or would write)."""

    locations = graphene.Int(required=True, description="Locations.")
    services = graphene.Int(required=True, description="Services.")


class DirectoryImport(graphene.ObjectType):
    """An HSDS 3.0 import of your organisation's services and locations, run in the background."""

    id = graphene.ID(required=True, description="The import's id.")
    filename = graphene.String(required=True, description="The uploaded file's name.")
    state = DirectoryImportState(required=True, description="Where the import stands.")
    skip_invalid = graphene.Boolean(
        required=True, description="Valid records are imported and the others reported."
    )
    dry_run = graphene.Boolean(required=True, description="Validate only; nothing is written.")
    done = graphene.Int(required=True, description="Rows written so far (of total).")
    total = graphene.Int(required=True, description="Rows to write.")
    counts = graphene.Field(
        DirectoryImportCounts, description="What was (or, on a dry run, would be) imported."
    )
    problem_count = graphene.Int(required=True, description="Refused records, all of them.")
    problems = graphene.List(
        graphene.NonNull(DirectoryImportProblem),
        required=True,
        description=f"Refused records, the first {imports.PROBLEMS_KEPT}.",
    )
    warnings = graphene.List(
        graphene.NonNull(DirectoryImportProblem),
        required=True,
        description="Records imported with something left out, and why.",
    )
    message = graphene.String(description="Why a FAILED import failed.")
    username = graphene.String(required=True, description="Who started it.")
    created_at = graphene.DateTime(required=True, description="When it was started.")
    finished_at = graphene.DateTime(description="When it finished.")


def _job(row: ImportRow) -> DirectoryImport:
    finished = row.state in ImportRow.FINISHED and row.state != ImportRow.State.FAILED
    return DirectoryImport(
        id=row.pk,
        filename=row.filename,
        state=row.state,
        skip_invalid=row.skip_invalid,
        dry_run=row.dry_run,
        done=row.done,
        total=row.total,
        counts=DirectoryImportCounts(**row.counts) if finished and row.counts else None,
        problem_count=row.problem_count,
        problems=[DirectoryImportProblem(**_problem(p)) for p in row.problems],
        warnings=[DirectoryImportProblem(**_problem(p)) for p in row.warnings],
        message=row.message or None,
        username=row.username,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


def _problem(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "table": stored["table"],
        "row": stored.get("row"),
        "record_id": stored.get("recordId"),
        "message": stored["message"],
    }


class DirectoryImportQueries(graphene.ObjectType):
    directory_import = graphene.Field(
        DirectoryImport,
        id=graphene.ID(required=True, description="The import's id (from startDirectoryImport)."),
        description="One of your organisation's imports, with its progress and problems.",
    )
    directory_imports = graphene.List(
        graphene.NonNull(DirectoryImport),
        required=True,
        description=f"Your organisation's last {imports.RECENT} imports, newest first.",
    )

    @staticmethod
    def resolve_directory_import(root: Any, info: graphene.ResolveInfo, id: str) -> Any:
        return _job(imports.visible(actor=require_actor(info), import_id=id))

    @staticmethod
    def resolve_directory_imports(root: Any, info: graphene.ResolveInfo) -> list[Any]:
        return [_job(row) for row in imports.recent(actor=require_actor(info))]


class DirectoryImportStart(DirectoryMutation):
    """Import services and locations of YOUR organisation from an HSDS 3.0 file (JSON, or a
    zip of the CSV tables), in the background: poll directoryImport(id) for progress and the
    refused records. By default one refused record means nothing is written."""

    class Arguments:
        file = Upload(required=True, description="The HSDS file, at most 2 MiB.")
        skip_invalid = graphene.Boolean(
            default_value=False, description="Import the valid records, report the others."
        )
        dry_run = graphene.Boolean(default_value=False, description="Validate only.")

    directory_import = graphene.Field(DirectoryImport, description="The import started.")

    @classmethod
    def perform(
        cls,
        info: graphene.ResolveInfo,
        file: Any,
        skip_invalid: bool = False,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        row = imports.start(
            actor=require_actor(info),
            file=file,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
        )
        return {"directory_import": _job(row)}
