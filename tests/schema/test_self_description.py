"""The schema documents itself (issue 21), checked on the running schema without Node.js:
every type, field, argument, input field and enum value has a description, none is
graphene's placeholder, and every mutation takes one `input` object (the loose argument
shapes of before stay for one release, optional and deprecated with a reason)."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
)

from schema.schema import schema

GRAPHQL = schema.graphql_schema
PLACEHOLDER = "An enumeration."
# Mutations whose input object changes a record named beside it by `id` (an update):
# their one input object is `input`, and `id` says which record it changes.
ID_BESIDE_INPUT = {"amendConsent", "updateOrganisation", "updateLocation", "updateService"}


def _described(description: str | None) -> bool:
    return bool(description and description.strip()) and description.strip() != PLACEHOLDER


def _undescribed() -> list[str]:
    missing = []
    for name, kind in GRAPHQL.type_map.items():
        if name.startswith("__"):
            continue
        if not _described(kind.description):
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in kind.fields.items():
                if not _described(field.description):
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({arg})"
                    for arg, argument in field.args.items()
                    if not _described(argument.description)
                ]
        elif isinstance(kind, GraphQLInputObjectType):
            missing += [
                f"{name}.{field_name}"
                for field_name, field in kind.fields.items()
                if not _described(field.description)
            ]
        elif isinstance(kind, GraphQLEnumType):
            missing += [
                f"{name}.{value}"
                for value, definition in kind.values.items()
                if not _described(definition.description)
            ]
        else:
            assert isinstance(kind, GraphQLScalarType)
    return missing


def test_everything_is_described():
    assert _undescribed() == []


def test_every_mutation_takes_one_input_object():
    wrong = []
    for name, field in GRAPHQL.mutation_type.fields.items():
        if "input" not in field.args:
            wrong.append(f"{name}: no input")
        for arg, argument in field.args.items():
            beside = arg == "id" and name in ID_BESIDE_INPUT
            if arg != "input" and not beside and not argument.deprecation_reason:
                wrong.append(f"{name}({arg}) is neither input nor deprecated")
    assert wrong == []


def test_a_deprecated_argument_is_optional_and_says_what_replaces_it():
    for field in GRAPHQL.mutation_type.fields.values():
        for arg, argument in field.args.items():
            if argument.deprecation_reason:
                assert argument.default_value is not None or not str(argument.type).endswith("!")
                assert f"input.{arg}" in argument.deprecation_reason
                input_type = field.args["input"].type
                assert arg in input_type.fields
