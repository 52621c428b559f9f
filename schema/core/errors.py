"""Error shapes shared by every domain's mutation payloads."""

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


def payload_errors(
    error_type: type[graphene.ObjectType], errors: Iterable[FieldError]
) -> list[Any]:
    return [error_type(field=e.field, code=e.code.value, message=e.message) for e in errors]
