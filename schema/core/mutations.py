"""The one mutation contract: validate, act, and report bad input as `errors`, never raise.

Subclasses declare `Arguments`, their payload fields and `error_type`, and implement
`perform`. A ValidationFailed from the service layer, or a PublicError that refuses
the request on its merits (CONSENT_REQUIRED, INVALID_TRANSITION, CONFLICT, ...), becomes
`errors { field code message }` with every other payload field null; nothing was written
in that case, because services validate before they write and write in one transaction.
Who may call at all (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED) and an unavailable graph
stay top-level GraphQL errors: they are about the request, not its input.

Every mutation takes one input object (issue 21). A mutation that declares loose
`Arguments` (anything but a single `input`) is given `input: <Payload>Input` made of
exactly those fields; the loose arguments stay for one release, optional and
`@deprecated`, and mean the same. Both at once, or a required field missing from the
old shape, is refused as `errors` like any other bad input.
"""

from __future__ import annotations

from typing import Any, ClassVar

import graphene
from graphene.utils.props import props
from graphql import Undefined

from referral_hub.core.errors import (
    REQUEST_LEVEL,
    ErrorCode,
    FieldError,
    PublicError,
    ValidationFailed,
)
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


# The loose argument shapes stay, deprecated, through the release that brings `input`
# (0.2.0) and go in the next (docs/api.md, "Deprecations").
LOOSE_ARGUMENTS_UNTIL = "0.3.0"


def _deprecated(name: str, declared: Any) -> graphene.Argument:
    """A loose argument as it stays for one release: optional, described, deprecated."""
    return graphene.Argument(
        declared.get_type(),
        description=declared.kwargs.get("description") or f"Deprecated: input.{api_name(name)}.",
        deprecation_reason=f"Use input.{api_name(name)}; removed in {LOOSE_ARGUMENTS_UNTIL}.",
    )


def _one_input(
    name: str, fields: dict[str, Any], doc: str | None
) -> type[graphene.InputObjectType]:
    meta = type("Meta", (), {"description": f"The input of {name}: " + (doc or name)})
    return type(f"{name}Input", (graphene.InputObjectType,), {**fields, "Meta": meta})


class DomainMutation(graphene.Mutation):
    class Meta:
        abstract = True

    error_type: ClassVar[type[graphene.ObjectType]]
    # The loose arguments a mutation declared, when it was given an input object for them.
    loose_arguments: ClassVar[dict[str, Any] | None] = None

    @classmethod
    def __init_subclass_with_meta__(cls, arguments: Any = None, **options: Any) -> None:
        declared = getattr(cls, "Arguments", None)
        fields = props(declared) if declared is not None and arguments is None else {}
        if fields and "input" not in fields:
            cls.loose_arguments = fields
            doc = " ".join((cls.__doc__ or "").split()) or None
            one = _one_input(cls.__name__, fields, doc)
            arguments = {
                "input": graphene.Argument(
                    one,
                    description="Everything the mutation needs, in one object (the arguments "
                    "beside it are the deprecated shape of the same).",
                ),
                **{key: _deprecated(key, value) for key, value in fields.items()},
            }
        super().__init_subclass_with_meta__(arguments=arguments, **options)

    @classmethod
    def arguments_from_input(cls, arguments: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments `perform` takes, from `input` or from the deprecated loose
        arguments (never both); a field's declared default stands in for a null."""
        fields = cls.loose_arguments
        if fields is None:
            return arguments
        given = arguments.pop("input", None)
        loose = {key: value for key, value in arguments.items() if value is not None}
        if given is not None and loose:
            raise ValidationFailed.one(
                "input", ErrorCode.INVALID, "Give input, or the deprecated arguments, not both."
            )
        values = dict(given) if given is not None else loose
        missing = []
        for key, declared in fields.items():
            default = declared.kwargs.get("default_value", Undefined)
            if values.get(key) is None and default is not Undefined and default is not None:
                values[key] = default
            elif key not in values and declared.kwargs.get("required"):
                missing.append(key)
        if missing:
            raise ValidationFailed(
                [
                    FieldError(api_name(key), ErrorCode.REQUIRED, f"{api_name(key)} is required.")
                    for key in missing
                ]
            )
        return values

    @classmethod
    def perform(cls, *args: Any, **arguments: Any) -> dict[str, Any]:
        """`perform(info, **arguments)`: each mutation names its own arguments (a gradual
        signature, so mypy lets every mutation narrow it)."""
        raise NotImplementedError

    @classmethod
    def mutate(cls, root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        try:
            payload = cls.perform(info, **cls.arguments_from_input(arguments))
        except ValidationFailed as failed:
            return cls(errors=payload_errors(cls.error_type, failed.errors))
        except PublicError as refused:
            if refused.code in REQUEST_LEVEL:
                raise
            error = FieldError(refused.field, refused.code, str(refused))
            return cls(errors=payload_errors(cls.error_type, [error]))
        return cls(errors=[], **payload)
