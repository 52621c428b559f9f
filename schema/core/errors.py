"""The one error shape of every domain's mutation payloads.

Each domain's payloads list their errors under a type of the domain's name
(`ReferralError`, `DirectoryError`, …): generated clients (graphql-codegen, Apollo's
codegen) name their classes after these types, so the names stay. They are one
definition, made here: the Error interface with one ErrorCode enum.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import graphene

from referral_hub.core.errors import ErrorCode, FieldError

ErrorCodeEnum = graphene.Enum.from_enum(ErrorCode, description="Stable error codes.")


class Error(graphene.Interface):
    field = graphene.String(
        description="Input field the error is about, as named in the input (null: the whole input)."
    )
    message = graphene.String(required=True, description="Human-readable explanation.")


def domain_error(name: str, domain: str) -> type[graphene.ObjectType]:
    """`name`: an Error of `domain`'s mutations, with its code."""
    meta = type("Meta", (), {"interfaces": (Error,), "description": f"An error of {domain}."})
    fields = {"Meta": meta, "code": graphene.Field(ErrorCodeEnum, required=True)}
    return type(name, (graphene.ObjectType,), fields)


def errors_field(error_type: type[graphene.ObjectType]) -> graphene.List:
    """A payload's `errors`: empty when the mutation did what it was asked."""
    return graphene.List(graphene.NonNull(error_type), required=True)


def payload_errors(
    error_type: type[graphene.ObjectType], errors: Iterable[FieldError]
) -> list[Any]:
    return [error_type(field=e.field, code=e.code.value, message=e.message) for e in errors]
