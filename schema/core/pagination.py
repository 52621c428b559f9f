"""Relay cursor pagination helpers: opaque keyset cursors and page-size limits."""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable
from typing import Any

import graphene
from django.conf import settings

from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.core.paging import Page, PageRequest
from schema.core import characters


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii")


CURSOR_MAX = 512  # ours are under 200 characters
_INT64 = 2**63


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a cursor value")


def _cursor_key(value: Any) -> bool:
    """A sort key as our cursors hold it: short text without control characters, a
    64-bit integer, or a finite float."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return len(value) <= 300 and not characters.FORBIDDEN.search(value)
    if isinstance(value, int):
        return -_INT64 <= value < _INT64
    return isinstance(value, float) and math.isfinite(value)


def decode_cursor(cursor: str | None, *, sort: str) -> tuple[Any, str] | None:
    """(sort key, id) from a cursor made for the same sort, or PublicError(INVALID_CURSOR).
    A cursor is caller input like any other: bounded, and every part checked."""
    if cursor is None:
        return None
    key: Any = None
    if len(cursor) <= CURSOR_MAX:
        try:
            key = json.loads(
                base64.urlsafe_b64decode(cursor.encode("ascii")),
                parse_constant=_refuse_constant,
            )
        except (ValueError, binascii.Error, UnicodeError, RecursionError):
            key = None
    if (
        not isinstance(key, list)
        or len(key) != 3
        or key[0] != sort
        or not _cursor_key(key[1])
        or not isinstance(key[2], str)
        or len(key[2]) > 100
        or characters.FORBIDDEN.search(key[2])
    ):
        raise PublicError(
            ErrorCode.INVALID_CURSOR,
            "after is not a cursor from this API for this sort.",
            field="after",
        )
    return key[1], key[2]


def page_request(first: int | None, after: str | None, *, sort: str) -> PageRequest:
    size = page_size(first)
    cursor = decode_cursor(after, sort=sort)
    if cursor is None:
        return PageRequest(first=size)
    return PageRequest(first=size, after_key=cursor[0], after_id=cursor[1])


def page_size(first: int | None) -> int:
    limit = settings.GRAPHQL_PAGE_SIZE_MAX
    if first is None:
        return settings.GRAPHQL_PAGE_SIZE_DEFAULT
    if not 1 <= first <= limit:
        raise PublicError(
            ErrorCode.INVALID_PAGE_SIZE, f"first must be between 1 and {limit}.", field="first"
        )
    return first


class CountedConnection(graphene.relay.Connection):
    """A connection that can say how many items all its pages hold. The count is its own
    statement, run only when `totalCount` is selected (docs/api.md: where it is cheap)."""

    class Meta:
        abstract = True

    total_count = graphene.Int(
        required=True,
        description="How many items all the pages hold under the same filters: one more "
        "statement, run only when this is selected.",
    )

    @staticmethod
    def resolve_total_count(root: Any, info: graphene.ResolveInfo) -> int:
        counter: Callable[[], int] = root.counter
        return counter()


def counted(connection: graphene.relay.Connection, counter: Callable[[], int]) -> Any:
    """`connection` with the count its `totalCount` runs when selected."""
    connection.counter = counter
    return connection


def connection_from(
    connection_type: type[graphene.relay.Connection], page: Page, *, request: PageRequest, sort: str
) -> graphene.relay.Connection:
    return connection(
        connection_type,
        page.items,
        has_next=page.has_next,
        had_cursor=request.after_id is not None,
        key=lambda item: [sort, item["sort_key"], item["id"]],
    )


def connection(
    connection_type: type[graphene.relay.Connection],
    items: list[Any],
    *,
    has_next: bool,
    had_cursor: bool,
    key: Any,
) -> graphene.relay.Connection:
    """Build a Relay connection from one page of items and a function giving each item's key."""
    edges = [connection_type.Edge(node=item, cursor=encode_cursor(key(item))) for item in items]
    return connection_type(
        edges=edges,
        page_info=graphene.relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=had_cursor,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
