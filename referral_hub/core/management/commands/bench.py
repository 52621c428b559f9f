from __future__ import annotations

from argparse import ArgumentTypeError
from io import StringIO
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from graph import organisation_repo
from referral_hub.accounts import tokens
from referral_hub.accounts.models import ApiToken
from referral_hub.benchmarks import (
    audit,
    directory,
    documents,
    inbox,
    load,
    network,
    pages,
    pathways,
    server,
)
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
            "inbox group's subjects: run `inbox` once before it on a new bench store. "
            "`server`: the API under gunicorn over HTTP against raw Cypher",
        )
        parser.add_argument(
            "--concurrency",
            type=concurrency_levels,
            default=server.CONCURRENCY,
            help="server group: client threads, comma-separated (default: 1,8)",
        )
        parser.add_argument(
            "--rounds",
            type=positive,
            default=3,
            help="server group: interleaved raw/HTTP rounds per question and concurrency",
        )

    def handle(
        self,
        *args: Any,
        count: int,
        warmup: int,
        scale: str,
        only: list[str] | None = None,
        concurrency: tuple[int, ...] = server.CONCURRENCY,
        rounds: int = 3,
        **options: Any,
    ) -> None:
        chosen = set(only or GROUPS)
        call_command("migrate", verbosity=0)
        call_command("graph_migrate", stdout=StringIO())
        token = _bench_token()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
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
        if samples:
            self.stdout.write("")
            self.stdout.write(table(samples))
        if "server" in chosen:
            self._server(token, count, warmup, concurrency, rounds)

    def _server(
        self, token: str, count: int, warmup: int, concurrency: tuple[int, ...], rounds: int
    ) -> None:
        """The server group: its own table, with issue 17's targets beside the ratios."""
        # The inbox rows append 50 audit events a page: fewer of them, as the inbox group.
        questions = [
            *server.directory_questions(count=count, warmup=warmup, token=token),
            server.inbox_question(count=min(count, 100), warmup=min(warmup, 10)),
        ]
        rows = server.run(questions=questions, rounds=rounds, concurrency=concurrency)
        self.stdout.write("")
        self.stdout.write(server.heading(rounds=rounds))
        self.stdout.write(load.table(rows, server.TARGETS))


GROUPS = ("documents", "directory", "pathways", "inbox", "audit", "pages", "network", "server")


def positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise ArgumentTypeError(f"{text} is not a positive number")
    return number


def concurrency_levels(text: str) -> tuple[int, ...]:
    """`1,8` → (1, 8): client threads for the server group, each level measured apart."""
    try:
        levels = tuple(positive(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers") from None
    if not levels:
        raise ArgumentTypeError("name at least one concurrency level")
    return levels


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
