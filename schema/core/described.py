"""Enums that document every value: the schema describes itself (issue 21), so an enum
is made with a description for each member and refused at import if one is missing
(graphene would otherwise print its placeholder "An enumeration.")."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

import graphene


def described_enum(
    py_enum: type[Enum],
    description: str,
    values: Mapping[Any, str],
    *,
    name: str | None = None,
) -> Any:
    """graphene's Enum of `py_enum`, described as a whole and member by member."""
    missing = [member.name for member in py_enum if member not in values]
    if missing:
        raise ValueError(f"{py_enum.__name__}: no description for {', '.join(missing)}")
    return graphene.Enum.from_enum(
        py_enum,
        name=name,
        description=lambda value: description if value is None else values[value],
    )
