"""schema/core/execution.py: the lean path answers exactly as graphql-core's own execution,
data and errors alike, and leaves alone every field it must not short-cut."""

from __future__ import annotations

import enum
import json
from typing import Any

import graphene
import pytest
from graphql import ExecutionContext, execute, parse

from schema.core.execution import LeanExecutionContext, plain_leaf


class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


ColourEnum = graphene.Enum.from_enum(Colour)


class Thing(graphene.ObjectType):
    name = graphene.String(required=True)
    count = graphene.Int()
    ratio = graphene.Float()
    colour = graphene.Field(ColourEnum)
    shouted = graphene.String()
    sized = graphene.String(size=graphene.Int())
    tags = graphene.List(graphene.NonNull(graphene.String))
    child = graphene.Field(lambda: Thing)

    @staticmethod
    def resolve_shouted(root: Any, info: Any) -> str:
        return str(root["name"]).upper()

    @staticmethod
    def resolve_sized(root: Any, info: Any, size: int | None = None) -> str:
        return str(root["name"])[: size or 1]


class AsObject:
    name = "object"
    count = 3


class Query(graphene.ObjectType):
    things = graphene.List(Thing)
    name = graphene.String()

    @staticmethod
    def resolve_things(root: Any, info: Any) -> list[Any]:
        return info.context["things"]


SCHEMA = graphene.Schema(query=Query).graphql_schema

DOCUMENT = parse(
    """
    { name things {
        __typename name count ratio colour shouted sized(size: 2) tags
        alias: name child { name colour child { name } } second: count
        again: child { __typename shouted }
    } }
    """
)

SOURCES = {
    "plain": [
        {"name": "a", "count": 1, "ratio": 0.5, "colour": "RED", "tags": ["x"], "child": None},
        {"name": "b", "count": None, "colour": Colour.BLUE, "child": {"name": "c"}},
    ],
    "an object record": [AsObject()],
    "a null where it may not be": [{"name": None}],
    "an Int that is not one": [{"name": "d", "count": "many"}],
    "an enum value it does not know": [{"name": "e", "colour": "GREEN"}],
    "a float for an Int": [{"name": "f", "count": 1.5}],
    "a text where a record belongs": [{"name": "g", "child": "not a record"}],
    "a null item in a list of non-nulls": [{"name": "h", "tags": ["x", None]}],
    "a text where a list belongs": [{"name": "i", "tags": "abc"}],
    "a child whose own non-null field is null": [{"name": "j", "child": {"name": None}}],
    "an object record inside a dict record": [{"name": "k", "child": AsObject()}],
    "nested records three deep": [
        {"name": "l", "child": {"name": "m", "child": {"name": "n", "colour": "BLUE"}}}
    ],
}


def _run(context_class: type[ExecutionContext], things: list[Any]) -> Any:
    result = execute(
        SCHEMA,
        DOCUMENT,
        root_value={"name": "root"},
        context_value={"things": things},
        execution_context_class=context_class,
    )
    # As JSON, so that the order of the keys (the selection's) is compared too.
    return json.dumps(result.data), [(e.message, e.path) for e in result.errors or []]


@pytest.mark.parametrize("case", SOURCES)
def test_answers_as_graphql_core_does(case: str) -> None:
    assert _run(LeanExecutionContext, SOURCES[case]) == _run(ExecutionContext, SOURCES[case])


def test_only_plain_leaves_with_the_default_resolver_are_short_cut() -> None:
    thing = SCHEMA.get_type("Thing")
    assert plain_leaf(thing, "name") == ("name", None, SCHEMA.get_type("String"))
    assert plain_leaf(thing, "colour") is not None
    assert plain_leaf(thing, "shouted") is None  # its own resolver
    assert plain_leaf(thing, "sized") is None  # arguments
    assert plain_leaf(thing, "tags") is None  # a list
    assert plain_leaf(thing, "child") is None  # an object
    assert plain_leaf(thing, "__typename") is None


def _through_a_recording_middleware(document: str, root: Any, things: Any) -> tuple[Any, list]:
    """The lean execution's answer, and the path of every field the middleware saw."""
    seen: list[str] = []

    def middleware(next_: Any, root: Any, info: Any, **args: Any) -> Any:
        seen.append(".".join(str(key) for key in info.path.as_list()))
        return next_(root, info, **args)

    result = execute(
        SCHEMA,
        parse(document),
        root_value=root,
        context_value={"things": things},
        middleware=[middleware],
        execution_context_class=LeanExecutionContext,
    )
    assert result.errors is None
    return result, seen


def test_root_fields_take_the_ordinary_path_through_the_middleware() -> None:
    result, seen = _through_a_recording_middleware(
        "{ name things { name shouted } }", {"name": "root"}, [{"name": "a"}]
    )
    assert result.data == {"name": "root", "things": [{"name": "a", "shouted": "A"}]}
    # The root's plain leaf and every resolver of its own went through the middleware.
    assert seen == ["name", "things", "things.0.shouted"]


def test_a_plain_object_field_is_completed_without_the_middleware_its_resolvers_with_it() -> None:
    result, seen = _through_a_recording_middleware(
        "{ things { child { name shouted sized(size: 1) } tags } }",
        {},
        [{"name": "a", "child": {"name": "bc"}, "tags": ["t"]}],
    )
    assert result.data == {
        "things": [{"child": {"name": "bc", "shouted": "BC", "sized": "b"}, "tags": ["t"]}]
    }
    # `child` and `tags` are read from the record (neither has a resolver or arguments,
    # and the project's middlewares act only on root fields and arguments).
    assert seen == ["things", "things.0.child.shouted", "things.0.child.sized"]
