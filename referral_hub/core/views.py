"""HTTP endpoints: the GraphQL view that never leaks internals, and /healthz."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.http import require_GET
from graphene_django.views import GraphQLView
from graphql import (
    GraphQLError,
    GraphQLSyntaxError,
    NoSchemaIntrospectionCustomRule,
    ValidationRule,
    specified_rules,
)

from graph.errors import GraphUnavailable
from referral_hub.accounts.authentication import uses_bearer_token
from referral_hub.core import health
from referral_hub.core.errors import ErrorCode, PublicError
from schema.core.limits import limits_rule

log = logging.getLogger("referral_hub.graphql")


def _error_response(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status=status
    )


def _validation_rules() -> list[type[ValidationRule]]:
    rules = [
        *specified_rules,
        limits_rule(
            max_depth=settings.GRAPHQL_MAX_DEPTH,
            max_aliases=settings.GRAPHQL_MAX_ALIASES,
            max_operations=settings.GRAPHQL_MAX_OPERATIONS,
            max_cost=settings.GRAPHQL_MAX_COST,
            page_max=settings.GRAPHQL_PAGE_SIZE_MAX,
        ),
    ]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


class HubGraphQLView(GraphQLView):
    """GraphQL endpoint whose errors always carry a code and never an internal message.

    It also bounds each request (body size, depth, aliases, operations, cost) and checks
    CSRF for cookie-authenticated POSTs; bearer-token requests carry no ambient
    credential, so they need no CSRF token.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validation_rules = _validation_rules()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > settings.GRAPHQL_MAX_BODY_BYTES:
            return _error_response(
                413,
                "REQUEST_TOO_LARGE",
                f"Requests are limited to {settings.GRAPHQL_MAX_BODY_BYTES} bytes.",
            )
        if (
            request.method == "POST"
            and not uses_bearer_token(request)
            and request.user.is_authenticated
        ):
            refusal = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if refusal is not None:
                return _error_response(
                    403, "CSRF_FAILED", "Cookie-authenticated requests need the CSRF token."
                )
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, request: HttpRequest) -> HttpRequest:
        return request

    def execute_graphql_request(self, request, data, query, variables, operation_name, *args):  # type: ignore[no-untyped-def]
        self._current_request = request
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, *args
        )

    def format_error(self, error: Exception) -> dict[str, Any]:  # type: ignore[override]
        request_id = getattr(getattr(self, "_current_request", None), "request_id", None)
        return format_public_error(error, request_id=request_id)


def format_public_error(error: Exception, *, request_id: str | None) -> dict[str, Any]:
    original = getattr(error, "original_error", None)
    if isinstance(error, GraphQLError) and (original is None or isinstance(original, GraphQLError)):
        # Syntax, validation and variable errors describe the caller's request, not our code.
        return _document_error(error)
    if isinstance(original, PublicError):
        formatted = error.formatted if isinstance(error, GraphQLError) else {}
        formatted["message"] = original.message
        extensions = {"code": original.code.value}
        if original.field is not None:
            extensions["field"] = original.field
        formatted["extensions"] = extensions
        return formatted
    if isinstance(original, GraphUnavailable):
        log.error("graph unavailable (request %s): %s", request_id, original)
        return _masked(
            error,
            ErrorCode.GRAPH_UNAVAILABLE.value,
            request_id,
            "The graph database is unavailable; try again shortly.",
        )
    log.error(
        "internal error (request %s)",
        request_id,
        exc_info=(type(original or error), original or error, (original or error).__traceback__),
    )
    return _masked(error, "INTERNAL_ERROR", request_id, "Internal error.")


_VARIABLE_PATH = re.compile(r"got invalid value .* at '(?P<path>[\w.\[\]]+)'")


def _document_error(error: GraphQLError) -> dict[str, Any]:
    formatted = error.formatted
    extensions = formatted.setdefault("extensions", {})
    if "code" in extensions:
        pass  # our own validation rules name their code (QUERY_TOO_DEEP, …)
    elif isinstance(error, GraphQLSyntaxError):
        extensions["code"] = "GRAPHQL_PARSE_FAILED"
    elif error.original_error is not None:
        # A variable that does not fit its type, e.g. an enum value the schema does not have.
        extensions["code"] = "BAD_USER_INPUT"
        match = _VARIABLE_PATH.search(error.message)
        if match:
            extensions["field"] = match["path"].split(".")[-1]
    else:
        extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
    return formatted


def _masked(error: Exception, code: str, request_id: str | None, message: str) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": message, "extensions": {"code": code}}
    if request_id:
        formatted["extensions"]["requestId"] = request_id
    path = getattr(error, "path", None)
    if path:
        formatted["path"] = path
    return formatted


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the graph and the broker answer, 503 otherwise."""
    state = health.check_all(include_celery=request.GET.get("celery") == "1")
    body = {
        "ok": state.ok,
        "neo4j": {
            "reachable": state.neo4j.reachable,
            "version": state.neo4j.version,
            "edition": state.neo4j.edition,
        },
        "redis": state.redis,
    }
    if request.GET.get("celery") == "1":
        body["celery"] = state.celery
    return JsonResponse(body, status=200 if state.ok else 503)
