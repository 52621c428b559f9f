"""The directory's background work: an organisation admin's HSDS import (imports.py)."""

from __future__ import annotations

from celery import shared_task

from referral_hub.directory import imports


# Acknowledged late (the project default): a worker killed mid-import leaves the row
# RUNNING and the message unacknowledged, so another worker runs it again; the import is
# one transaction and idempotent, so running twice writes it once.
@shared_task(name=imports.IMPORT_TASK, ignore_result=True)
def run_import(import_id: str) -> str:
    return imports.run(import_id)
