"""The one mutation contract: validate, act, and report bad input as `errors`, never raise.

Subclasses declare `Arguments`, their payload fields and `error_type`, and implement
`perform`. A ValidationFailed from the service layer, or a PublicError that refuses
the request on its merits (CONSENT_REQUIRED, INVALID_TRANSITION, CONFLICT, ...), becomes
`errors { field code message }` with every other payload field null; nothing was written
in that case, because services validate before they write and write in one transaction.
Who may call at all (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED) and an unavailable graph
stay top-level GraphQL errors: they are about the request, not its input.
"""

from __future__ import annotations

from typing import Any, ClassVar

import graphene

from referral_hub.core.errors import REQUEST_LEVEL, FieldError, PublicError, ValidationFailed
from referral_hub.core.validation import api_name, enum_value
from schema.core.errors import payload_errors


def input_values(data: dict[str, Any]) -> dict[str, Any]:
    """An input as the services take it: graphene's Python names, enum members as their
    values; only the fields the caller sent (a partial update leaves the rest alone)."""
    return {key: enum_value(value) for key, value in data.items()}


def camel_input(data: dict[str, Any]) -> dict[str, Any]:
    """registerSubject's input by the GraphQL names, which are also the names its personal
    fields are sealed under (api_name: the rule errors name fields by, which a test holds
    to graphene's, so these are the names the schema shows)."""
    return {api_name(key): enum_value(value) for key, value in data.items()}


class DomainMutation(graphene.Mutation):
    class Meta:
        abstract = True

    error_type: ClassVar[type[graphene.ObjectType]]

    @classmethod
    def perform(cls, *args: Any, **arguments: Any) -> dict[str, Any]:
        """`perform(info, **arguments)`: each mutation names its own arguments (a gradual
        signature, so mypy lets every mutation narrow it)."""
        raise NotImplementedError

    @classmethod
    def mutate(cls, root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        try:
            payload = cls.perform(info, **arguments)
        except ValidationFailed as failed:
            return cls(errors=payload_errors(cls.error_type, failed.errors))
        except PublicError as refused:
            if refused.code in REQUEST_LEVEL:
                raise
            error = FieldError(refused.field, refused.code, str(refused))
            return cls(errors=payload_errors(cls.error_type, [error]))
        return cls(errors=[], **payload)
