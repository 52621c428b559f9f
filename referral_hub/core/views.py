"""HTTP endpoints: the GraphQL view that never leaks internals, the probes (/livez, /readyz,
/healthz) and /metrics."""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.http import require_GET
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError, GraphQLSyntaxError

from graph.errors import GraphUnavailable
from referral_hub.accounts.authentication import uses_bearer_token
from referral_hub.core import health, metrics, uploads
from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.core.refusals import Refused, one_operation
from referral_hub.core.uploads import MULTIPART_HELP as _MULTIPART_HELP
from schema.core import entry

log = logging.getLogger("referral_hub.graphql")


def _error_response(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status=status
    )


_JSON_TYPES = {"application/json", "application/graphql-response+json"}


def _never_called(request: HttpRequest) -> HttpResponseBase:
    """The response and the view CsrfViewMiddleware is given when only its process_view
    check is wanted: it calls neither (and this view is not marked csrf_exempt)."""
    raise AssertionError("CsrfViewMiddleware.process_view called its response or view")


class HubGraphQLView(GraphQLView):
    """GraphQL endpoint whose errors always carry a code and never an internal message.

    Every document runs through schema/core/entry.py `run`, the one entry point the web
    pages use too. Before that, this view refuses what is not a well-formed request
    (each with its own code, logged at WARNING without a traceback), bounds the body,
    takes documents over POST only (a cross-site GET link must not act in a signed-in
    user's name; a GET may name a persisted query, for callers without a session cookie),
    and checks CSRF for cookie-authenticated POSTs; bearer-token requests carry no ambient
    credential, so they need no CSRF token.
    """

    _persisted_not_found = False  # set per request (Django makes a view object per request)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            self._admit(request)
            response = super().dispatch(request, *args, **kwargs)
            if self._persisted_not_found:
                # A cache in front (GET) must not keep the miss: the hash may ship later.
                response["Cache-Control"] = "private, no-cache, must-revalidate"
            return response
        except Refused as refused:
            log.warning(
                "refused request %s: %s %s",
                getattr(request, "request_id", None),
                refused.code,
                refused.message,
            )
            return _error_response(refused.status, refused.code, refused.message)

    def _admit(self, request: HttpRequest) -> None:
        length = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not length:
            raise Refused(411, "LENGTH_REQUIRED", "Send the body with a Content-Length.")
        limit = (
            settings.GRAPHQL_MAX_UPLOAD_BODY_BYTES
            if self.get_content_type(request) == "multipart/form-data"
            else settings.GRAPHQL_MAX_BODY_BYTES
        )
        if length and (not length.isdigit() or int(length) > limit):
            raise Refused(413, "REQUEST_TOO_LARGE", f"Requests are limited to {limit} bytes.")
        if request.method == "GET":
            self._admit_get(request)
        if request.method not in ("GET", "POST"):
            raise Refused(405, "METHOD_NOT_ALLOWED", "Send GraphQL operations with POST.")
        if (
            request.method == "POST"
            and not uses_bearer_token(request)
            and request.user.is_authenticated
        ):
            try:  # a multipart body is parsed here, for its csrfmiddlewaretoken field
                refusal = CsrfViewMiddleware(_never_called).process_view(
                    request, _never_called, (), {}
                )
            except uploads.UNREADABLE:
                raise Refused(400, "MALFORMED_MULTIPART", _MULTIPART_HELP) from None
            if refusal is not None:
                raise Refused(
                    403, "CSRF_FAILED", "Cookie-authenticated requests need the CSRF token."
                )

    @staticmethod
    def _admit_get(request: HttpRequest) -> None:
        """A GET runs a persisted query and nothing else: a document's text comes by POST.

        Only for a caller without ambient credentials (anonymous, or a bearer token): a
        signed-in browser's cookie rides along on a cross-site link, and even a read may
        write an audit event in the user's name, so its GETs run nothing (the pages run
        their documents in the server, and a browser client POSTs with the CSRF token).
        """
        limit = settings.GRAPHQL_MAX_BODY_BYTES  # measured before the parameters are parsed
        if len(request.META.get("QUERY_STRING", "")) > limit:
            raise Refused(413, "REQUEST_TOO_LARGE", f"Requests are limited to {limit} bytes.")
        if "extensions" not in request.GET:
            if any(key in request.GET for key in ("query", "variables", "operationName")):
                raise Refused(405, "METHOD_NOT_ALLOWED", "Send GraphQL operations with POST.")
            return
        if "query" in request.GET:
            raise Refused(
                405, "METHOD_NOT_ALLOWED", "A GET names a persisted query; POST documents."
            )
        if request.user.is_authenticated and not uses_bearer_token(request):
            raise Refused(
                405,
                "METHOD_NOT_ALLOWED",
                "A signed-in browser sends operations with POST and the CSRF token.",
            )

    @staticmethod
    def _get_params(request: HttpRequest) -> dict[str, Any]:
        """Apollo's GET shape: `extensions` and `variables` as JSON, each parameter once."""
        params: dict[str, Any] = {}
        for key in ("extensions", "variables", "operationName"):
            values = request.GET.getlist(key)
            if len(values) > 1:
                raise Refused(400, "BAD_REQUEST", f"Give `{key}` once.")
            if values:
                params[key] = values[0]
        try:
            params["extensions"] = json.loads(params["extensions"])
        except (ValueError, RecursionError):
            raise Refused(400, "BAD_PERSISTED_QUERY", "`extensions` is not valid JSON.") from None
        return params

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.method == "GET" and "extensions" in request.GET:
            return self._get_params(request)
        if request.method != "POST":
            return {}
        content_type = self.get_content_type(request)
        if content_type == "multipart/form-data":
            return uploads.operations_with_files(request)
        # JSON, a bare document, or a file upload by the multipart request spec: other form
        # encodings would bring their own parsers and decoding rules to a GraphQL endpoint.
        if content_type not in _JSON_TYPES and content_type != "application/graphql":
            raise Refused(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request as application/json.")
        try:
            body = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "INVALID_ENCODING", "The body is not valid UTF-8.") from None
        if content_type == "application/graphql":
            return {"query": body}
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            raise Refused(400, "MALFORMED_JSON", "The body is not valid JSON.") from None
        return one_operation(data, what="The body")

    @staticmethod
    def get_graphql_params(request: HttpRequest, data: dict[str, Any]) -> tuple[Any, ...]:
        variables = data.get("variables")
        if isinstance(variables, str):
            try:
                variables = json.loads(variables) if variables.strip() else None
            except ValueError:
                raise Refused(400, "BAD_VARIABLES", "`variables` is not valid JSON.") from None
        operation_name = data.get("operationName")
        return data.get("query"), variables, operation_name, None

    def get_context(self, request: HttpRequest) -> HttpRequest:
        return request

    def can_display_graphiql(self, request: HttpRequest, data: dict[str, Any]) -> bool:
        # GraphiQL works by introspection, so it is offered exactly when introspection is
        # allowed (GRAPHQL_INTROSPECTION, which follows DEBUG), decided per request.
        return bool(settings.GRAPHQL_INTROSPECTION) and super().can_display_graphiql(request, data)

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        self._current_request = request
        if not query and show_graphiql:
            return None
        result = entry.run(
            request,
            query=query,
            variables=variables,
            operation_name=operation_name,
            extensions=data.get("extensions"),
            allow_mutations=request.method == "POST",
        )
        self._persisted_not_found = _code(result) == entry.PERSISTED_QUERY_NOT_FOUND
        return result

    def get_response(
        self, request: HttpRequest, data: dict[str, Any], show_graphiql: bool = False
    ) -> tuple[str | None, int]:
        body, status = super().get_response(request, data, show_graphiql)
        if self._persisted_not_found:
            # Apollo's status for it: a client that retries with the document must not
            # meet an HTTP error first (graphene answers 400 for any error without a path).
            status = 200
        return body, status

    def format_error(self, error: Exception) -> dict[str, Any]:
        request_id = getattr(getattr(self, "_current_request", None), "request_id", None)
        return format_public_error(error, request_id=request_id)


def _code(result: Any) -> object:
    """The code of a result's first error (None without one)."""
    errors = getattr(result, "errors", None)
    if not errors:
        return None
    return (getattr(errors[0], "extensions", None) or {}).get("code")


def format_public_error(error: Exception, *, request_id: str | None) -> dict[str, Any]:
    original = getattr(error, "original_error", None)
    if isinstance(error, GraphQLError) and not error.path and not isinstance(original, PublicError):
        # Before execution (parsing, validation, coercing variables) every error is about the
        # caller's document, even when a library raised it (a 5,000-digit integer literal).
        return _document_error(error)
    if isinstance(error, GraphQLError) and (original is None or isinstance(original, GraphQLError)):
        # Syntax, validation and variable errors describe the caller's request, not our code.
        return _document_error(error)
    if isinstance(original, PublicError):
        # A copy as a plain dict: graphql-core builds `formatted` afresh on every read.
        formatted: dict[str, Any] = dict(error.formatted) if isinstance(error, GraphQLError) else {}
        formatted["message"] = original.message
        extensions = {"code": original.code.value}
        if original.field is not None:
            extensions["field"] = original.field
        formatted["extensions"] = extensions
        return formatted
    if isinstance(error, HttpError):  # graphene's own refusals, should any remain
        log.warning("refused request %s: %s", request_id, error)
        return {"message": "Bad request.", "extensions": {"code": "BAD_REQUEST"}}
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


# graphql-core's "Did you mean …?" names fields, arguments and enum values, hidden ones
# included; without introspection a caller must not learn the schema from them.
_SUGGESTION = re.compile(r" Did you mean [^\n]*\?")


def _document_error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)  # built afresh on every read
    if not settings.GRAPHQL_INTROSPECTION:
        formatted["message"] = _SUGGESTION.sub("", formatted["message"])
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
def livez(request: HttpRequest) -> JsonResponse:
    """Liveness: the process serves requests. It asks no other part, so a graph or broker
    outage never makes an orchestrator restart healthy web processes."""
    return JsonResponse({"ok": True})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Health for load balancers: 200 when the graph and the broker answer, and a worker
    when `?celery=1` (or `?worker=1`) asks about one; 503 when any part asked about is down."""
    asked = request.GET.get("celery") == "1" or request.GET.get("worker") == "1"
    return _health_response(health.check_all(include_celery=asked), worker=asked)


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: this process can do its work — Neo4j and Redis answer AND a worker's
    heartbeat is alive (a write's notifications and every scheduled task need one). 503
    names the parts that are down in `down`. (`?worker=1` is accepted and changes nothing.)"""
    return _health_response(health.check_all(include_celery=True), worker=True)


def _health_response(state: health.Health, *, worker: bool) -> JsonResponse:
    body: dict[str, Any] = {
        "ok": state.ok,
        "neo4j": {
            "reachable": state.neo4j.reachable,
            "version": state.neo4j.version,
            "edition": state.neo4j.edition,
        },
        "redis": state.redis,
    }
    if worker:
        body["celery"] = state.celery
    if not state.ok:
        body["down"] = state.down
    return JsonResponse(body, status=200 if state.ok else 503)


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus's scrape (docs/serving.md#metrics): refused (403) unless the request
    carries HUB_METRICS_TOKEN as a bearer token, or, with no token set, comes from this
    machine directly."""
    if not _may_scrape(request):
        return _error_response(403, "FORBIDDEN", "Metrics need the metrics token.")
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


_LOOPBACK = frozenset({"127.0.0.1", "::1"})
# A proxy on this machine connects from loopback too; what it forwarded is not local. Any
# header a proxy adds counts (nginx's proxy_pass adds none by itself; a TLS proxy sets at
# least the scheme's, HUB_PROXY_SSL_HEADER).
_FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_FORWARDED",
    "HTTP_X_REAL_IP",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
)


def _may_scrape(request: HttpRequest) -> bool:
    token = settings.HUB_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    proxy_header = settings.SECURE_PROXY_SSL_HEADER[0] if settings.SECURE_PROXY_SSL_HEADER else None
    return request.META.get("REMOTE_ADDR") in _LOOPBACK and not any(
        header in request.META for header in (*_FORWARDED, proxy_header) if header
    )
