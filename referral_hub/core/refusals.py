"""A request refused at the HTTP edge, before it is a GraphQL document."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """Its status and its typed code, said to the caller as `extensions.code`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def one_operation(data: Any, *, what: str) -> dict[str, Any]:
    """`data` as the one operation a request carries: a list is a batch (not supported) and
    anything else but an object is refused, naming `what` held it (the body, `operations`)."""
    if isinstance(data, list):
        raise Refused(400, "BATCH_NOT_SUPPORTED", "Send one operation per request.")
    if not isinstance(data, dict):
        raise Refused(400, "BODY_NOT_AN_OBJECT", f"{what} must be a JSON object.")
    return data
