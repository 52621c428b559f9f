"""The lean execution answers as graphql-core does for every object type of the hub's own
schema, whatever a record holds: each argument-less field (leaves, objects and lists, each
selected twice under two names) over records of odd values, data and errors compared with
the keys' order (found by an outside review of schema/core/execution.py, issue 17)."""

from __future__ import annotations

import datetime
import decimal
import enum
import json
import uuid
from typing import Any

import pytest
from graphql import (
    ExecutionContext,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    execute,
    get_named_type,
    is_leaf_type,
    is_object_type,
    parse,
)

from schema.core.execution import LeanExecutionContext, plain_read
from schema.schema import schema as project_schema

HUB = project_schema.graphql_schema
TYPES = sorted(
    name
    for name, kind in HUB.type_map.items()
    if is_object_type(kind) and not name.startswith("__") and name not in {"Query", "Mutation"}
)


class Odd(enum.Enum):
    A = "A"


ODD: list[Any] = [
    None,
    "",
    "x",
    0,
    1,
    -1,
    2**31,
    2**53 + 1,
    1.5,
    float("inf"),
    True,
    False,
    [],
    ["a"],
    [None],
    {},
    {"a": 1},
    [{}],
    b"bytes",
    datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(2026, 1, 1),
    datetime.date(2026, 1, 1),
    decimal.Decimal("1.5"),
    uuid.UUID(int=1),
    Odd.A,
    "2026-01-01T00:00:00+09:00",
]


def _selection(kind: GraphQLObjectType) -> str:
    parts = []
    for name, field in kind.fields.items():
        if field.args:
            continue
        inner = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
        parts.append(f"{name}{inner} again_{name}: {name}{inner}")
    return " ".join(parts)


def _answer(
    context_class: type[ExecutionContext], schema: GraphQLSchema, document: str, records: Any
) -> Any:
    result = execute(
        schema, parse(document), context_value=records, execution_context_class=context_class
    )
    return json.dumps(result.data, default=repr), [(e.message, e.path) for e in result.errors or []]


@pytest.mark.parametrize("type_name", TYPES)
def test_every_type_answers_as_graphql_core_does(type_name: str) -> None:
    kind = HUB.get_type(type_name)
    assert isinstance(kind, GraphQLObjectType)
    keys = {
        name: (plain_read(kind, name) or (name, None))[0]
        for name, field in kind.fields.items()
        if not field.args
    }
    if not keys:
        pytest.skip("no field without arguments")
    query = GraphQLObjectType(
        "Probe", {"records": GraphQLField(GraphQLList(kind), resolve=lambda _r, info: info.context)}
    )
    probe = GraphQLSchema(query=query)
    document = "{ records { __typename " + _selection(kind) + " } }"
    records = [{key: value for key in keys.values()} for value in ODD] + [{}]

    assert _answer(LeanExecutionContext, probe, document, records) == _answer(
        ExecutionContext, probe, document, records
    )
