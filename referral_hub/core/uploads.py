"""Files sent to /graphql by the GraphQL multipart request spec
(https://github.com/jaydenseric/graphql-multipart-request-spec), the form Apollo, urql and
saleor's clients use: a `multipart/form-data` POST whose `operations` field is the usual
JSON body with `null` where each file goes, whose `map` field says which file goes where
(`{"0": ["variables.file"]}`), and whose other fields are the files.

Narrow on purpose: one operation (no batches), exactly one file (MAX_FILES), put into a
variable that is `null` in `operations`, and `operations` no larger than a JSON body may
be; anything else is refused with its own code before any GraphQL runs. The whole body's
limit is GRAPHQL_MAX_UPLOAD_BODY_BYTES (views.py).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from referral_hub.core.refusals import Refused, one_operation

MAX_FILES = 1
MULTIPART_HELP = (
    "Send a file as multipart/form-data with the fields `operations`, `map` and the file "
    "(the GraphQL multipart request spec)."
)


# What Django's multipart parser raises for a body it will not read (malformed, too many
# fields or files, a field past DATA_UPLOAD_MAX_MEMORY_SIZE).
UNREADABLE = (MultiPartParserError, SuspiciousOperation)


def _json_field(request: HttpRequest, name: str) -> Any:
    raw = request.POST.get(name)
    if raw is None:
        raise Refused(
            400, "MALFORMED_MULTIPART", f"The `{name}` field is missing. {MULTIPART_HELP}"
        )
    if len(raw) > settings.GRAPHQL_MAX_BODY_BYTES:
        # Only the file may be large: the operation keeps the limit of a JSON body.
        raise Refused(
            413,
            "REQUEST_TOO_LARGE",
            f"`{name}` is limited to {settings.GRAPHQL_MAX_BODY_BYTES} bytes.",
        )
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise Refused(400, "MALFORMED_JSON", f"The `{name}` field is not valid JSON.") from None


def operations_with_files(request: HttpRequest) -> dict[str, Any]:
    """The request's operation with each file put where `map` says."""
    try:
        files = request.FILES
        operations = _json_field(request, "operations")
        mapping = _json_field(request, "map")
    except UNREADABLE:
        raise Refused(400, "MALFORMED_MULTIPART", MULTIPART_HELP) from None
    operations = one_operation(operations, what="`operations`")
    if not isinstance(mapping, dict) or not all(
        isinstance(paths, list) and len(paths) == 1 and isinstance(paths[0], str)
        for paths in mapping.values()
    ):
        raise Refused(
            400, "MALFORMED_MULTIPART", "`map` must name one variable path for each file."
        )
    sent = sum(len(files.getlist(key)) for key in files)
    if len(mapping) > MAX_FILES or sent > MAX_FILES:
        raise Refused(400, "TOO_MANY_FILES", f"At most {MAX_FILES} file per request.")
    if not mapping or set(mapping) != set(files):
        # A multipart body is for a file; without one it would only dodge the JSON limit.
        raise Refused(400, "MALFORMED_MULTIPART", "`map` and the files sent do not match.")
    for key, (path,) in mapping.items():
        _put(operations, path, files[key])
    return operations


def _put(operations: dict[str, Any], path: str, file: Any) -> None:
    """Replace the null at `path` (`variables.file`, `variables.input.file`, …)."""
    parts = path.split(".")
    if (
        len(parts) < 2
        or parts[0] != "variables"
        or not isinstance(operations.get("variables"), dict)
    ):
        raise Refused(400, "MALFORMED_MULTIPART", f"`map` path {path!r} is not in `variables`.")
    container: Any = operations["variables"]
    for part in parts[1:-1]:
        container = _step(container, part, path)
    last = parts[-1]
    if isinstance(container, dict) and container.get(last, ...) is None:
        container[last] = file
    elif (
        isinstance(container, list)
        and _index(last) < len(container)
        and (container[_index(last)] is None)
    ):
        container[_index(last)] = file
    else:
        raise Refused(400, "MALFORMED_MULTIPART", f"`map` path {path!r} is not a null variable.")


def _step(container: Any, part: str, path: str) -> Any:
    if isinstance(container, dict) and isinstance(container.get(part), dict | list):
        return container[part]
    if isinstance(container, list) and _index(part) < len(container):
        return container[_index(part)]
    raise Refused(400, "MALFORMED_MULTIPART", f"`map` path {path!r} is not in `variables`.")


def _index(part: str) -> int:
    """A list index written in a path, or a number past any list ("²" is a digit too)."""
    return int(part) if part.isascii() and part.isdecimal() and len(part) < 7 else 10**7
