"""How the pages arrange what a document returned. Pure: no I/O, no Django requests.

The rules here only order and explain; every decision about who may see or do what was
made by the API before the data arrived. `actions_for` offers the buttons the handoff
table allows, and the API checks the same table again when one is pressed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from referral_hub.referrals.handoff import OPEN_STATES, TRANSITIONS, Action, Side, State
from referral_hub.subjects.fields import FIELD_CATEGORIES, PERSONAL_FIELDS

# The order a counsellor reads their referrals in: what needs them first.
STATE_ORDER: tuple[State, ...] = (
    State.DRAFT,
    State.SENT,
    State.RECEIVED,
    State.ACCEPTED,
    State.IN_PROGRESS,
    State.DECLINED,
    State.COMPLETED,
    State.CANCELLED,
    State.WITHDRAWN,
)


def nodes(connection: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The rows of a Relay connection (a refused read has none)."""
    if not connection:
        return []
    return [edge["node"] for edge in connection.get("edges", []) if edge and edge.get("node")]


def urgent_first(items: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Overdue first, then the nearest deadline, then the newest; no deadline last."""

    def key(item: Mapping[str, Any]) -> tuple[int, int, str, str]:
        deadline = item.get("deadline")
        return (
            0 if item.get("overdue") else 1,
            0 if deadline else 1,
            deadline or "",
            _descending(item.get("updatedAt") or ""),
        )

    return sorted(items, key=key)


def _descending(text: str) -> str:
    # ISO timestamps sort as text; inverting each character sorts them newest first.
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


@dataclass(frozen=True)
class StateGroup:
    state: State
    open: bool
    items: list[Mapping[str, Any]]


def by_state(items: Iterable[Mapping[str, Any]]) -> list[StateGroup]:
    """Groups in STATE_ORDER (empty states left out), each ordered by urgent_first."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for item in items:
        grouped.setdefault(item["state"], []).append(item)
    return [
        StateGroup(state, state in OPEN_STATES, urgent_first(grouped[state]))
        for state in STATE_ORDER
        if state in grouped
    ]


def side_of(referral: Mapping[str, Any], organisation_id: str | None) -> Side | None:
    """Which end of the referral the reader's organisation is (None: neither)."""
    if organisation_id is None:
        return None
    if referral["sender"]["id"] == organisation_id:
        return Side.SENDER
    if referral["receiver"]["id"] == organisation_id:
        return Side.RECEIVER
    return None


def actions_for(state: str, side: Side | None) -> list[Action]:
    """The moves the handoff table offers this side now, in the table's order."""
    if side is None:
        return []
    return [action for (s, action, by) in TRANSITIONS if s == state and by == side]


def include_flags(categories: Sequence[str]) -> dict[str, bool]:
    """ReferralSubject's variables: ask only for fields the shared categories cover."""
    return {
        "contact": "CONTACT" in categories,
        "family": "FAMILY" in categories,
        "notes": "NOTES" in categories,
    }


@dataclass(frozen=True)
class HiddenField:
    field: str
    category: str


def hidden_fields(categories: Sequence[str]) -> list[HiddenField]:
    """Personal fields the receiver does not see, each with the category it would need."""
    return [
        HiddenField(field, FIELD_CATEGORIES[field].value)
        for field in PERSONAL_FIELDS
        if FIELD_CATEGORIES[field].value not in categories
    ]
