"""The checked-in SDL is what clients code against; it must match the running schema."""

from pathlib import Path

from graphql import print_schema

from schema.schema import schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_checked_in_sdl_is_current():
    assert SDL.read_text(encoding="utf-8").strip() == print_schema(schema.graphql_schema).strip(), (
        "schema/schema.graphql is stale: run `make schema` and commit it"
    )
