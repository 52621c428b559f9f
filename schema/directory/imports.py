"""directoryImport, directoryImports, startDirectoryImport: an organisation admin's HSDS
upload, imported in the background (referral_hub/directory/imports.py)."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.directory import imports
from referral_hub.directory.models import DirectoryImport as ImportRow
from schema.core.permissions import require_actor
from schema.core.upload import Upload
from schema.directory.mutations.base import DirectoryMutation

DirectoryImportState = graphene.Enum.from_enum(ImportRow.State)


class DirectoryImportProblem(graphene.ObjectType):
    table = graphene.String(required=True, description="The HSDS table, e.g. service.")
    row = graphene.Int(description="1-based row in that table, when the file gives one.")
    record_id = graphene.String()
    message = graphene.String(required=True)


class DirectoryImportCounts(graphene.ObjectType):
    locations = graphene.Int(required=True)
    services = graphene.Int(required=True)


class DirectoryImport(graphene.ObjectType):
    id = graphene.ID(required=True)
    filename = graphene.String(required=True)
    state = DirectoryImportState(required=True)
    skip_invalid = graphene.Boolean(required=True)
    dry_run = graphene.Boolean(required=True)
    done = graphene.Int(required=True, description="Rows written so far (of total).")
    total = graphene.Int(required=True)
    counts = graphene.Field(
        DirectoryImportCounts, description="What was (or, on a dry run, would be) imported."
    )
    problem_count = graphene.Int(required=True)
    problems = graphene.List(
        graphene.NonNull(DirectoryImportProblem),
        required=True,
        description=f"Refused records, the first {imports.PROBLEMS_KEPT}.",
    )
    warnings = graphene.List(graphene.NonNull(DirectoryImportProblem), required=True)
    message = graphene.String(description="Why a FAILED import failed.")
    username = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    finished_at = graphene.DateTime()


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
    directory_import = graphene.Field(DirectoryImport, id=graphene.ID(required=True))
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

    directory_import = graphene.Field(DirectoryImport)

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
