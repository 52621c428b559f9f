"""The named GraphQL documents the pages run, and the one way they run them.

Each file in `operations/` holds one operation named as the file (`Inbox.graphql` holds
`query Inbox`). A page never reaches `graph/` or a service: it runs a document through
schema/core/entry.py `run` with the signed-in user's request, so the permission
middleware, the request limits, the consent rule in Cypher and the audit are exactly
those a client of `/graphql` meets. The files are persisted operations
(GRAPHQL_PERSISTED_OPERATION_DIRS names this folder), and a page names its document by
id as a client would, so it is parsed and checked once per process, never per request.
tests/pages/test_operations.py validates every document against the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.http import HttpRequest

from referral_hub.core.views import format_public_error
from schema.core.entry import persisted_id
from schema.core.entry import run as run_document

DOCUMENTS = Path(__file__).resolve().parent / "operations"


@dataclass(frozen=True)
class FieldError:
    """One entry of a mutation's `errors { field code message }`."""

    field: str | None
    code: str
    message: str


@dataclass(frozen=True)
class Answer:
    """What a document returned: its data, or why the request as a whole was refused."""

    data: dict[str, Any] = field(default_factory=dict)
    refused: FieldError | None = None  # UNAUTHENTICATED, FORBIDDEN, GRAPH_UNAVAILABLE...

    def errors_of(self, mutation: str) -> list[FieldError]:
        """A mutation's typed errors (empty when it succeeded)."""
        payload = self.data.get(mutation) or {}
        return [
            FieldError(e.get("field"), e["code"], e["message"]) for e in payload.get("errors", [])
        ]


def errors_by_field(errors: list[FieldError]) -> dict[str, FieldError]:
    """The first error for each form field (`purposes[0]` is the `purposes` field); an
    error about the whole input is under "form"."""
    by_field: dict[str, FieldError] = {}
    for error in errors:
        field = (error.field or "form").split("[", 1)[0]
        by_field.setdefault(field, error)
    return by_field


def form_errors(errors: Mapping[str, str], texts: Mapping[str, str]) -> dict[str, FieldError]:
    """A pure form reader's errors (field -> message key) as the API's typed errors, in
    the reader's language, so a page shows both kinds beside their fields alike."""
    return {name: FieldError(name, "INVALID", texts[key]) for name, key in errors.items()}


def names() -> list[str]:
    return sorted(path.stem for path in DOCUMENTS.glob("*.graphql"))


@cache
def document(name: str) -> str:
    """The document's text; only the files in `operations/` can be named."""
    if name not in names():
        raise KeyError(f"no operation {name!r} in {DOCUMENTS}")
    return (DOCUMENTS / f"{name}.graphql").read_text(encoding="utf-8")


@cache
def persisted_query(name: str) -> Mapping[str, Any]:
    """The `extensions` naming the document by its id (Apollo's persisted query shape);
    read-only, as every request shares it."""
    sha = persisted_id(document(name))
    return MappingProxyType({"persistedQuery": MappingProxyType({"version": 1, "sha256Hash": sha})})


def run(request: HttpRequest, name: str, variables: Mapping[str, Any] | None = None) -> Answer:
    """Run the named document as the request's user, through the API's entry point."""
    result = run_document(
        request,
        extensions=persisted_query(name),
        variables=dict(variables or {}),
        operation_name=name,
    )
    if result.errors:
        # Formatted as /graphql formats them: an internal failure is logged with the request
        # id and shown only as its code, never as its message.
        request_id = getattr(request, "request_id", None)
        first = format_public_error(result.errors[0], request_id=request_id)
        extensions = first.get("extensions") or {}
        return Answer(
            data=result.data or {},
            refused=FieldError(
                extensions.get("field"),
                str(extensions.get("code") or "INTERNAL_ERROR"),
                str(first.get("message") or ""),
            ),
        )
    return Answer(data=result.data or {})
