"""The one way a GraphQL document runs: `/graphql` and every web page call `run`.

In order, each step refusing before the next costs anything: the document is parsed
(at most GRAPHQL_MAX_TOKENS tokens); the request limits run alone (linear in the
document, schema/core/limits.py); then the specification's rules, within a time budget;
then execution with the permission middleware and the argument defaults. A document
refused at any step does no database work. A document that passed is kept by its hash
(document_cache.py), so its next request goes straight to execution. A persisted
operation (persisted.py: the documents the hub ships, named by the SHA-256 of their text)
passed the same checks once, when the registry was built, and goes straight to execution
from its first request.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)

from schema.core import characters
from schema.core.arguments import NullArgumentsMiddleware
from schema.core.document_cache import DocumentCache
from schema.core.execution import LeanExecutionContext
from schema.core.limits import ValidationOverBudget, limits_rule, time_budget_rule
from schema.core.persisted import BadPersistedQuery, Registry, requested_hash, text_hash
from schema.permissions import DeclaredPermissions
from schema.schema import schema as root_schema

log = logging.getLogger("referral_hub.graphql")


def refusal(code: str, message: str) -> ExecutionResult:
    """A request refused as a whole: no data, one error with its code."""
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])


@cache
def _schema() -> GraphQLSchema:
    return root_schema.graphql_schema


@cache
def documents() -> DocumentCache:
    return DocumentCache(settings.GRAPHQL_DOCUMENT_CACHE_SIZE)


def _checked_under() -> tuple[object, ...]:
    """Every setting a document's checks depend on: part of its cache key."""
    return (
        settings.GRAPHQL_MAX_TOKENS,
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_MAX_OPERATIONS,
        settings.GRAPHQL_MAX_COST,
        settings.GRAPHQL_PAGE_SIZE_MAX,
        settings.GRAPHQL_MAX_FIELDS,
        settings.GRAPHQL_INTROSPECTION,
        settings.GRAPHQL_MAX_INTROSPECTION_DEPTH,
    )


def checked_document(query: str) -> DocumentNode | ExecutionResult:
    """The parsed document if it passes every check, else the ExecutionResult refusing it."""
    cache_key = documents().key(query, _checked_under())
    kept = documents().get(cache_key)
    if kept is not None:
        return kept
    document = _checks(query)
    if isinstance(document, DocumentNode):
        documents().put(cache_key, document, chars=len(query))
    return document


def _checks(query: str) -> DocumentNode | ExecutionResult:
    try:
        document = parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError as error:
        return ExecutionResult(data=None, errors=[error])
    if characters.bad_literal(document):  # an escape such as "\u0000" in a literal
        return refusal("INVALID_CHARACTERS", "A string holds a control character.")
    errors = validation_errors(document)
    if errors:
        return ExecutionResult(data=None, errors=errors)
    return document


def _persisted_checks(query: str) -> DocumentNode | ExecutionResult:
    """What `run` does to a submitted text before execution, the text's own character
    check included."""
    if characters.FORBIDDEN.search(query):
        return refusal("INVALID_CHARACTERS", "The document holds a control character.")
    return _checks(query)


# Keyed like the document cache by the settings the checks depend on, so a changed limit
# checks the shipped documents afresh; in a deployment the settings never change and the
# registry is built once per process, at its first use. A few keys at most (the tests
# change limits), as each registry holds every shipped document.
@lru_cache(maxsize=4)
def _registry(directories: tuple[str, ...], checked_under: tuple[object, ...]) -> Registry:
    return Registry.from_directories(directories, check=_persisted_checks)


def persisted() -> Registry:
    """The persisted operations, checked under the current settings."""
    directories = tuple(str(d) for d in settings.GRAPHQL_PERSISTED_OPERATION_DIRS)
    return _registry(directories, _checked_under())


def persisted_id(text: str) -> str:
    """The id a persisted operation is named by: the SHA-256 of its text, in hex."""
    return text_hash(text)


PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"


def _document_for(query: str | None, sha: str | None) -> DocumentNode | ExecutionResult:
    """The checked document a request names: by its text, its persisted id, or both (then
    they must agree). Nothing a client sends is ever added to the persisted registry."""
    if sha is None:
        assert query is not None
        return checked_document(query)
    if query is not None and text_hash(query) != sha:
        return refusal(
            "PERSISTED_QUERY_HASH_MISMATCH",
            "`persistedQuery.sha256Hash` is not the SHA-256 of `query`.",
        )
    entry = persisted().get(sha)
    if entry is not None:
        return entry.checked
    if query is not None:
        return checked_document(query)  # an unknown but honest hash: the text runs as text
    return refusal(
        PERSISTED_QUERY_NOT_FOUND,
        "No persisted operation has this sha256Hash; send the document in `query`.",
    )


def _limits() -> list[type[ValidationRule]]:
    return [
        limits_rule(
            max_depth=settings.GRAPHQL_MAX_DEPTH,
            max_aliases=settings.GRAPHQL_MAX_ALIASES,
            max_operations=settings.GRAPHQL_MAX_OPERATIONS,
            max_cost=settings.GRAPHQL_MAX_COST,
            page_max=settings.GRAPHQL_PAGE_SIZE_MAX,
            max_fields=settings.GRAPHQL_MAX_FIELDS,
            introspection_depth=(
                settings.GRAPHQL_MAX_INTROSPECTION_DEPTH if settings.GRAPHQL_INTROSPECTION else None
            ),
        )
    ]


# graphql-core types its specified_rules as ASTValidationRule (ValidationRule's base).
def _specification_rules() -> list[type[ASTValidationRule]]:
    rules = [*specified_rules]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoSchemaIntrospectionCustomRule)
    rules.append(time_budget_rule(settings.GRAPHQL_VALIDATION_BUDGET_SECONDS))
    return rules


def validation_errors(document: Any) -> list[GraphQLError]:
    """The limits first and alone (a costly document never reaches the other rules),
    then the specification's rules; an exhausted time budget is an error too."""
    try:
        errors = validate(_schema(), document, _limits())
        if errors:
            return list(errors)
        return list(validate(_schema(), document, _specification_rules(), max_errors=20))
    except ValidationOverBudget:
        return [
            GraphQLError(
                "The document took too long to validate; send a simpler one.",
                extensions={"code": "VALIDATION_TOO_SLOW"},
            )
        ]
    except (ValueError, RecursionError) as refused:
        # A document no rule expected (a rule's own arithmetic failed on it): the
        # caller's document is at fault, and it is refused like any invalid one.
        log.warning("document refused in validation: %s", refused)
        return [
            GraphQLError(
                "The document could not be validated.",
                extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
            )
        ]


def run(
    request: HttpRequest,
    *,
    query: Any = None,
    variables: Any = None,
    operation_name: Any = None,
    extensions: Any = None,
    allow_mutations: bool = True,
) -> ExecutionResult:
    """Run `query`, or the persisted operation `extensions` names, as the caller `request`
    authenticates (session or bearer token)."""
    try:
        sha = requested_hash(extensions)
    except BadPersistedQuery as malformed:
        return refusal("BAD_PERSISTED_QUERY", str(malformed))
    if (sha is None or query is not None) and (not isinstance(query, str) or not query.strip()):
        return refusal("MISSING_QUERY", "Send a GraphQL document in `query`.")
    if variables is not None and not isinstance(variables, Mapping):
        return refusal("BAD_VARIABLES", "`variables` must be a JSON object.")
    if operation_name is not None and (
        not isinstance(operation_name, str) or characters.FORBIDDEN.search(operation_name)
    ):
        return refusal("BAD_OPERATION_NAME", "`operationName` must be a plain string.")
    if query is not None and characters.FORBIDDEN.search(query):
        return refusal("INVALID_CHARACTERS", "The document holds a control character.")
    bad = characters.bad_variable(variables or {})
    if bad is not None:
        return ExecutionResult(
            data=None,
            errors=[
                GraphQLError(
                    f"{bad} holds a control character or a lone surrogate.",
                    extensions={"code": "INVALID_CHARACTERS", "field": bad.split(".")[-1]},
                )
            ],
        )
    document = _document_for(query, sha)
    if isinstance(document, ExecutionResult):
        return document
    operation = get_operation_ast(document, operation_name)
    if (
        isinstance(operation, OperationDefinitionNode)
        and operation.operation != OperationType.QUERY
        and not allow_mutations
    ):
        return refusal("METHOD_NOT_ALLOWED", "Mutations need a POST request.")
    result = execute(
        _schema(),
        document,
        context_value=request,
        variable_values=dict(variables) if variables is not None else None,
        operation_name=operation_name,
        middleware=[DeclaredPermissions(), NullArgumentsMiddleware()],
        execution_context_class=LeanExecutionContext,
    )
    assert isinstance(result, ExecutionResult)  # every resolver is synchronous
    return result
