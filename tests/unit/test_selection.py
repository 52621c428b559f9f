"""schema/core/selection.py: what a document selects below a field, as execution sees it."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import build_schema, graphql_sync

from schema.core.selection import Selection, selection_of

SDL = """
interface Node { id: ID! }
type Tag { code: String! label: String }
type Service implements Node { id: ID! name: String! tags: [Tag!]! }
type Area { code: String! name: String! }
type Organisation implements Node {
  id: ID! name: String! area: Area services: [Service!]! partners: [Organisation!]!
  anything: Node
}
type Query { organisation: Organisation node: Node }
"""

SCHEMA = build_schema(SDL)


def selection(document: str, *, as_type: str | None = None, **variables: Any) -> Selection:
    """The selection the resolver of the root field sees."""
    seen: list[Selection] = []

    def resolve(root: Any, info: Any) -> None:
        seen.append(selection_of(info, as_type=as_type))

    root_type = SCHEMA.query_type
    assert root_type is not None
    for root_field in root_type.fields.values():
        root_field.resolve = resolve
    result = graphql_sync(SCHEMA, document, variable_values=variables)
    assert result.errors is None, result.errors
    assert len(seen) == 1
    return seen[0]


def test_plain_fields_and_absent_ones() -> None:
    # Given a selection of scalars only, when the resolver asks, then neighbours are absent.
    chosen = selection("{ organisation { id name } }")
    assert chosen.has("id")
    assert chosen.has("name")
    assert not chosen.has("services")
    assert not chosen.has("services", "tags")
    assert chosen.at("area") is None


def test_typename_only_selects_no_field_of_the_type() -> None:
    chosen = selection("{ organisation { __typename } }")
    assert chosen.has("__typename")
    assert not any(chosen.has(name) for name in ("id", "area", "services", "partners"))


def test_nested_paths() -> None:
    chosen = selection("{ organisation { services { name tags { code } } area { code } } }")
    assert chosen.has("services", "tags", "code")
    assert chosen.has("area", "code")
    assert not chosen.has("services", "id")
    assert not chosen.has("partners")
    below = chosen.at("services")
    assert below is not None
    assert below.has("tags")


def test_aliases_merge_by_field_name() -> None:
    # The same field under two aliases: selected once, with both aliases' fields below.
    chosen = selection(
        "{ organisation { first: services { name } second: services { tags { code } } } }"
    )
    assert chosen.has("services", "name")
    assert chosen.has("services", "tags")
    assert not chosen.has("first")
    assert not chosen.has("second")


def test_named_fragment_spreads() -> None:
    chosen = selection(
        """
        query { organisation { id ...Offer } }
        fragment Offer on Organisation { services { ...Tagged } }
        fragment Tagged on Service { tags { code } }
        """
    )
    assert chosen.has("services", "tags", "code")
    assert not chosen.has("area")


def test_inline_fragments_with_and_without_type_condition() -> None:
    chosen = selection(
        "{ organisation { ... on Organisation { partners { id } } ... { area { name } } } }"
    )
    assert chosen.has("partners", "id")
    assert chosen.has("area", "name")
    assert not chosen.has("services")


@pytest.mark.parametrize(("show", "expected"), [(True, True), (False, False)])
def test_include_and_skip_follow_the_variables(show: bool, expected: bool) -> None:
    document = """
      query ($show: Boolean!) {
        organisation { id services @include(if: $show) { id } area @skip(if: $show) { code } }
      }
    """
    chosen = selection(document, show=show)
    assert chosen.has("services") is expected
    assert chosen.has("area") is not expected


def test_below_an_interface_everything_counts_as_selected() -> None:
    # It cannot tell which fields the value's own type will be asked for: it fetches.
    chosen = selection("{ organisation { anything { id } } }")
    assert chosen.has("anything", "services", "tags")


def test_as_type_reads_the_fragments_for_that_type() -> None:
    # node(id): the field's own type is the interface; the resolver names the object type.
    document = """
      { node { id ... on Organisation { partners { id } } ... on Service { tags { code } } } }
    """
    as_organisation = selection(document, as_type="Organisation")
    assert as_organisation.has("id")
    assert as_organisation.has("partners")
    assert not as_organisation.has("services")
    assert not as_organisation.has("tags")
    as_service = selection(document, as_type="Service")
    assert as_service.has("tags", "code")
    assert not as_service.has("partners")
    # Without a type, the interface cannot say: everything is selected.
    assert selection(document).has("services", "tags")
