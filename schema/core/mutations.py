"""The one mutation contract: validate, act, and report bad input as `errors`, never raise.

Subclasses declare `Arguments`, their payload fields and `error_type`, and implement
`perform`. A ValidationFailed from the service layer becomes `errors { field code
message }` with every other payload field null; nothing was written in that case,
because services validate before they write and write in one transaction.
"""

from __future__ import annotations

from typing import Any, ClassVar

import graphene

from referral_hub.core.errors import ValidationFailed
from schema.core.errors import payload_errors


def camel_input(data: dict[str, Any]) -> dict[str, Any]:
    """graphene hands us snake_case keys; error fields and specs use the GraphQL names."""

    def camel(key: str) -> str:
        head, *rest = key.split("_")
        return head + "".join(part.title() for part in rest)

    return {camel(key): getattr(value, "value", value) for key, value in data.items()}


class DomainMutation(graphene.Mutation):
    class Meta:
        abstract = True

    error_type: ClassVar[type[graphene.ObjectType]]

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def mutate(cls, root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        try:
            payload = cls.perform(info, **arguments)
        except ValidationFailed as failed:
            return cls(errors=payload_errors(cls.error_type, failed.errors))
        return cls(errors=[], **payload)
