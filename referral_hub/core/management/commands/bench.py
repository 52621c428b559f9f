from __future__ import annotations

from io import StringIO
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from graph import organisation_repo
from referral_hub.accounts import tokens
from referral_hub.accounts.models import ApiToken
from referral_hub.benchmarks import audit, directory, documents, inbox, network, pages, pathways
from referral_hub.benchmarks.timing import Sample, table
from referral_hub.directory.demo import Scale


class Command(BaseCommand):
    help = (
        "Benchmarks (make bench): seeds the demo network into the configured Neo4j if it is "
        "not there, then prints p50/p99 latency through /graphql and as raw Cypher."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=300, help="measured requests per row")
        parser.add_argument("--warmup", type=int, default=50)
        parser.add_argument(
            "--scale",
            choices=[Scale.PREFECTURE.value, Scale.NATIONAL.value],
            default=Scale.NATIONAL.value,
            help="the network seeded for routes and recommend (national: ~124,000 "
            "organisations, about 2.5 minutes to seed once)",
        )

        parser.add_argument(
            "--only",
            choices=GROUPS,
            action="append",
            help="measure these groups only (repeatable; default: all). `audit` reads the "
            "inbox group's subjects: run `inbox` once before it on a new bench store",
        )

    def handle(
        self,
        *args: Any,
        count: int,
        warmup: int,
        scale: str,
        only: list[str] | None = None,
        **options: Any,
    ) -> None:
        chosen = set(only or GROUPS)
        call_command("migrate", verbosity=0)
        call_command("graph_migrate", stdout=StringIO())
        headers = {"HTTP_AUTHORIZATION": f"Bearer {_bench_token()}"}
        if organisation_repo.organisation_count() < _ORGANISATIONS[scale]:
            self.stdout.write(f"seeding the {scale} demo network (it contains the city one)…")
            call_command("seed_demo", scale=scale, stdout=self.stdout)
        samples: list[Sample] = []
        if "documents" in chosen:
            samples += documents.run(count=count, warmup=warmup)
        if "directory" in chosen:
            samples += directory.run(
                scales=[Scale.CITY, Scale.PREFECTURE], count=count, warmup=warmup, headers=headers
            )
        if "pathways" in chosen:
            samples += pathways.run(scale=scale, count=count, warmup=warmup, headers=headers)
        if "inbox" in chosen:
            samples += inbox.run(count=min(count, 100), warmup=min(warmup, 10))
        if "audit" in chosen:
            samples += audit.run(count=min(count, 50), warmup=min(warmup, 5))
        if "pages" in chosen:
            samples += pages.run(count=min(count, 100), warmup=min(warmup, 10))
        if "network" in chosen:
            samples += network.run(
                area=network.YOKOHAMA, count=min(count, 100), warmup=min(warmup, 10)
            )
            samples += network.run_in_chromium(
                area=network.YOKOHAMA, count=min(count, 20), warmup=min(warmup, 3)
            )
        self.stdout.write("")
        self.stdout.write(table(samples))


GROUPS = ("documents", "directory", "pathways", "inbox", "audit", "pages", "network")

# Organisations each seeded scale holds (seed 1): fewer means it still has to be seeded.
_ORGANISATIONS = {Scale.PREFECTURE.value: 6236, Scale.NATIONAL.value: 123845}


def _bench_token() -> str:
    """A personal token of the bench's own administrator, issued afresh for each run."""
    user, created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    token, _ = tokens.issue(user=user, name="bench", kind=ApiToken.Kind.PERSONAL)
    return token
