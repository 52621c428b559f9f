"""HSDS import and export against the graph (the mapping itself is in hsds/)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from neo4j.exceptions import Neo4jError

from graph import audit_log, bulk, session, snapshot_repo
from referral_hub.accounts.actor import SYSTEM
from referral_hub.core.audit import audit_record
from referral_hub.directory import hsds, reference_data, selectors


class ImportFailed(Exception):
    """The server refused the write (e.g. the file needs more transaction memory than it
    allows); the transaction was rolled back, so nothing was imported."""


class ImportRefused(Exception):
    """The file had invalid records and --skip-invalid was not given: nothing was written."""

    def __init__(self, plan: hsds.ImportPlan) -> None:
        self.plan = plan
        super().__init__(f"{len(plan.problems)} invalid record(s); nothing was imported")


def plan_against_graph(
    tables: hsds.Tables, *, also_organisations: Iterable[str] = ()
) -> hsds.ImportPlan:
    """The file's plan, checked against what the graph already holds: its organisations
    (and `also_organisations`), the locations it defines or places services at, its tags."""
    existing = snapshot_repo.existing(
        organisations=[
            *also_organisations,
            *(str(r.get("id")) for r in tables.get("organization", [])),
            # Records may belong to organisations the graph already holds.
            *(str(r.get("organization_id")) for r in tables.get("service", [])),
            *(str(r.get("organization_id")) for r in tables.get("location", [])),
        ],
        locations=[str(r.get("id")) for r in tables.get("location", [])]
        + [str(r.get("location_id")) for r in tables.get("service_at_location", [])],
        tags=[str(r.get("code")) for r in tables.get("taxonomy_term", [])],
    )
    return hsds.plan_import(
        tables,
        known_area_codes=reference_data.known_area_codes(),
        existing=existing,
        area_names=reference_data.area_names(),
        area_offices=reference_data.area_offices(),
    )


def hsds_export(*, path: Path) -> dict[str, int]:
    tables = hsds.to_hsds(
        snapshot_repo.directory_snapshot(), area_names=reference_data.area_names()
    )
    hsds.write(tables, path)
    return {name: len(rows) for name, rows in tables.items()}


def hsds_import(
    *,
    path: Path,
    skip_invalid: bool = False,
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> hsds.ImportPlan:
    """Validate the whole file first; then write all valid records in ONE transaction.

    Raises hsds.HsdsFileError for a file that is not HSDS at all, and ImportRefused when
    records are invalid and skip_invalid is off. Re-importing the same file is a no-op.
    """
    plan = plan_against_graph(hsds.read(path))
    if plan.problems and not skip_invalid:
        raise ImportRefused(plan)
    if dry_run:
        return plan
    total = sum(plan.counts().values())

    def work(tx: session.Tx) -> None:
        done = 0
        for name, rows in plan.counts().items():
            bulk.upsert(tx, **{name: getattr(plan, name)})
            done += rows
            if on_progress:
                on_progress(done, total)
        audit_log.append(tx, audit_record(SYSTEM, "DIRECTORY_IMPORT", "HsdsFile", path.name))

    try:
        session.write_once(work)
    except Neo4jError as exc:
        raise ImportFailed(str(exc)) from exc
    selectors.known_tags.forget()
    return plan
