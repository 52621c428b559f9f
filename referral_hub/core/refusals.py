"""A request refused at the HTTP edge, before it is a GraphQL document."""

from __future__ import annotations


class Refused(Exception):
    """Its status and its typed code, said to the caller as `extensions.code`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
