from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from graph import audit_log
from referral_hub.accounts.actor import SYSTEM
from referral_hub.core.audit import audit_record
from referral_hub.core.spreadsheet import safe_cell
from referral_hub.directory import reference_data

COLUMNS = [
    "at",
    "chain",
    "seq",
    "id",
    "action",
    "targetType",
    "targetId",
    "actorUser",
    "actorUserId",
    "actorOrganisation",
    "actorRole",
    "purpose",
    "legalBasis",
    "statutory",
    "consentId",
    "categories",
    "fields",
    "requestId",
    "clientAddress",
    "areaCode",
    "outcome",
    "prevHash",
    "hash",
]


class Command(BaseCommand):
    help = "Export the audit log for a regulator as CSV or JSON Lines (the export is audited)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["csv", "jsonl"], default="jsonl")
        parser.add_argument("--area", help="JIS code: this area and everything below it")

    def handle(
        self,
        *args: Any,
        path: Path,
        format: str,
        area: str | None,
        **options: Any,
    ) -> None:
        if area is not None and area not in reference_data.known_area_codes():
            raise CommandError(f"unknown area {area}")
        events = audit_log.audit_export(
            area_codes=reference_data.area_codes_within(area) if area else None,
            reader=audit_record(SYSTEM, "AUDIT_LOG_EXPORT", "AuditLog", area),
        )
        with path.open("w", encoding="utf-8", newline="") as handle:
            if format == "jsonl":
                for event in events:
                    handle.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
            else:
                writer = csv.DictWriter(
                    handle, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n"
                )
                writer.writeheader()
                # A list (categories, fields) is one cell, its items joined by spaces; text
                # a spreadsheet would run as a formula is quoted (the JSON Lines export
                # keeps every value exact, for recomputing the hashes).
                writer.writerows({k: safe_cell(v) for k, v in event.items()} for event in events)
        self.stdout.write(self.style.SUCCESS(f"{len(events)} audit events written to {path}"))
