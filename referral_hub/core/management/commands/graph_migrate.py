from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from graph import migrate
from graph.errors import GraphError
from referral_hub.directory import reference_data


class Command(BaseCommand):
    help = (
        "Apply pending Neo4j schema migrations from graph/migrations, then sync the shipped "
        "reference data (areas, tags). Both are idempotent."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="List pending migrations and exit 1 if there are any.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        try:
            if check:
                pending = migrate.pending_migrations()
                for migration in pending:
                    self.stdout.write(f"pending: {migration.path.name}")
                if pending:
                    raise CommandError(f"{len(pending)} graph migration(s) pending")
                self.stdout.write("graph schema is up to date")
                return
            applied = migrate.migrate()
            synced = reference_data.sync()
        except GraphError as exc:
            raise CommandError(str(exc)) from exc
        for name in applied:
            self.stdout.write(f"applied {name}")
        for name, rows in synced.items():
            if rows:
                self.stdout.write(f"reference data: {rows} {name} synced")
        self.stdout.write(
            self.style.SUCCESS(f"graph schema up to date ({len(applied)} applied now)")
        )
