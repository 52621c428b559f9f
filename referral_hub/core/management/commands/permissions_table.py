from typing import Any

from django.core.management.base import BaseCommand

from schema.permissions import markdown_table


class Command(BaseCommand):
    help = (
        "Print the role × operation table for docs/identity-and-audit.md, generated from "
        "the declarations."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(markdown_table())
