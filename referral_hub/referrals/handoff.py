"""The handoff state machine of a referral, as one declarative table (see DESIGN.md).

(state, action, side) → next state. Everything not in the table is refused with
INVALID_TRANSITION. Sender actions belong to the sending organisation, receiver
actions to the receiving one, SYSTEM actions to the service itself (consent
withdrawal). Reminders and escalations are events, not states. Each transition
names the version it saw; a stale one is a CONFLICT, so two caseworkers pressing
"accept" at once give one success and one conflict. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed


class State(StrEnum):
    DRAFT = "DRAFT"
    SENT = "SENT"
    RECEIVED = "RECEIVED"
    ACCEPTED = "ACCEPTED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
    WITHDRAWN = "WITHDRAWN"


class Action(StrEnum):
    SEND = "SEND"
    ACKNOWLEDGE = "ACKNOWLEDGE"
    ACCEPT = "ACCEPT"
    START = "START"
    COMPLETE = "COMPLETE"
    DECLINE = "DECLINE"
    CANCEL = "CANCEL"
    WITHDRAW = "WITHDRAW"


class Side(StrEnum):
    SENDER = "SENDER"
    RECEIVER = "RECEIVER"
    SYSTEM = "SYSTEM"


class Event(StrEnum):
    """Timeline entries that are not moves through TRANSITIONS: a referral's creation
    (it enters the table at one of ENTRY_STATES) and the deadline's reminder and
    escalation, which change neither state nor version."""

    CREATE = "CREATE"
    REMIND = "REMIND"
    ESCALATE = "ESCALATE"


# A referral is created as a DRAFT (send: false) or created and sent in one step.
ENTRY_STATES = frozenset({State.DRAFT, State.SENT})

# Every name a timeline event's `action` may carry.
TIMELINE_ACTIONS = tuple(Action) + tuple(Event)


class DeclineReason(StrEnum):
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    NO_CAPACITY = "NO_CAPACITY"
    SERVICE_NOT_PROVIDED = "SERVICE_NOT_PROVIDED"
    ALREADY_ENROLLED = "ALREADY_ENROLLED"
    COULD_NOT_CONTACT = "COULD_NOT_CONTACT"
    OTHER = "OTHER"


class Outcome(StrEnum):
    CONNECTED = "CONNECTED"
    CLIENT_DECLINED = "CLIENT_DECLINED"
    COULD_NOT_CONTACT = "COULD_NOT_CONTACT"
    OTHER = "OTHER"
    # An OFFER_ROLE referral's own outcomes (issue 19): a role is taken up, not received.
    TOOK_UP = "TOOK_UP"
    TRIED_AND_STOPPED = "TRIED_AND_STOPPED"
    DECLINED_ROLE = "DECLINED_ROLE"


class Purpose(StrEnum):
    """What a referral is for: support for a need, or a role the person is offered
    (an Opportunity, issue 19). A referral without one is SUPPORT."""

    SUPPORT = "SUPPORT"
    OFFER_ROLE = "OFFER_ROLE"


# The outcomes each purpose may close with: a role's outcomes say whether the person took
# it up, a support referral's whether they were connected; neither uses the other's.
OUTCOMES: dict[Purpose, frozenset[Outcome]] = {
    Purpose.SUPPORT: frozenset(
        {Outcome.CONNECTED, Outcome.CLIENT_DECLINED, Outcome.COULD_NOT_CONTACT, Outcome.OTHER}
    ),
    Purpose.OFFER_ROLE: frozenset(
        {Outcome.TOOK_UP, Outcome.TRIED_AND_STOPPED, Outcome.DECLINED_ROLE}
    ),
}

# A "completed connection" (どこか, issue 19 item 5): a COMPLETED referral that ended with
# the person connected to a service or taking up a role. Trying a role and stopping is
# not one: the person has no place from it now.
CONNECTING_OUTCOMES = frozenset({Outcome.CONNECTED, Outcome.TOOK_UP})


OPEN_STATES = frozenset(
    {State.DRAFT, State.SENT, State.RECEIVED, State.ACCEPTED, State.IN_PROGRESS}
)
CLOSED_STATES = frozenset(State) - OPEN_STATES
# Open and sent: what the receiver may see (statutory sight, an inbox) starts at SEND.
SENT_OPEN_STATES = OPEN_STATES - {State.DRAFT}


def graph_facts() -> dict[str, list[str]]:
    """What the Cypher needs of this table (graph/consent_rule.py), given at startup."""
    return {
        "open_states": sorted(state.value for state in OPEN_STATES),
        "sent_open_states": sorted(state.value for state in SENT_OPEN_STATES),
    }


# Actions that carry a handoff forward share more with the receiver, so each needs the
# referral's consent (or statutory basis) to hold at that moment. Cancelling, declining
# and withdrawing close it and share nothing new.
NEEDS_BASIS = frozenset(
    {Action.SEND, Action.ACKNOWLEDGE, Action.ACCEPT, Action.START, Action.COMPLETE}
)

TRANSITIONS: dict[tuple[State, Action, Side], State] = {
    (State.DRAFT, Action.SEND, Side.SENDER): State.SENT,
    (State.SENT, Action.ACKNOWLEDGE, Side.RECEIVER): State.RECEIVED,
    (State.RECEIVED, Action.ACCEPT, Side.RECEIVER): State.ACCEPTED,
    (State.ACCEPTED, Action.START, Side.RECEIVER): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.COMPLETE, Side.RECEIVER): State.COMPLETED,
    (State.SENT, Action.DECLINE, Side.RECEIVER): State.DECLINED,
    (State.RECEIVED, Action.DECLINE, Side.RECEIVER): State.DECLINED,
    **{(state, Action.CANCEL, Side.SENDER): State.CANCELLED for state in OPEN_STATES},
    **{(state, Action.WITHDRAW, Side.SYSTEM): State.WITHDRAWN for state in OPEN_STATES},
}

# HL7 FHIR R4 Task.status for each state, for the FHIR export.
FHIR_TASK_STATUS: dict[State, str] = {
    State.DRAFT: "draft",
    State.SENT: "requested",
    State.RECEIVED: "received",
    State.ACCEPTED: "accepted",
    State.IN_PROGRESS: "in-progress",
    State.COMPLETED: "completed",
    State.DECLINED: "rejected",
    State.CANCELLED: "cancelled",
    State.WITHDRAWN: "cancelled",  # statusReason says the consent was withdrawn
}


@dataclass(frozen=True)
class Transition:
    from_state: State
    to_state: State
    action: Action
    side: Side
    version: int  # the referral's version after this transition
    reason: DeclineReason | None = None
    outcome: Outcome | None = None
    note: str | None = None


NOTE_MAX = 2000


def transition(
    *,
    state: State,
    version: int,
    action: Action,
    side: Side,
    version_seen: int,
    reason: DeclineReason | None = None,
    outcome: Outcome | None = None,
    note: str | None = None,
    purpose: Purpose = Purpose.SUPPORT,
) -> Transition:
    """Check one step and describe it; raises PublicError / ValidationFailed otherwise.
    `purpose` decides which outcomes a completion may give (OUTCOMES)."""
    # A stale version is answered first: the caller decided on an old state, and "reload"
    # is the useful answer even when the new state would refuse the action as well.
    if version_seen != version:
        raise PublicError(
            ErrorCode.CONFLICT,
            f"The referral changed (version {version}, you saw {version_seen}); "
            "reload it and try again.",
            field="version",
        )
    target = TRANSITIONS.get((state, action, side))
    if target is None:
        raise PublicError(
            ErrorCode.INVALID_TRANSITION,
            f"{side.value.lower()} cannot {action.value} a {state.value} referral.",
            field="action",
        )
    errors = [
        *_reason_errors(action, reason, note),
        *_outcome_errors(action, outcome, note, purpose),
        *_note_errors(note),
    ]
    if errors:
        raise ValidationFailed(errors)
    return Transition(
        from_state=state,
        to_state=target,
        action=action,
        side=side,
        version=version + 1,
        reason=reason,
        outcome=outcome,
        note=note,
    )


def _reason_errors(
    action: Action, reason: DeclineReason | None, note: str | None
) -> list[FieldError]:
    """A decline, and only a decline, gives its reason (OTHER says why in the note)."""
    if action != Action.DECLINE:
        if reason is not None:
            return [FieldError("reason", ErrorCode.INVALID, "Only a decline takes a reason.")]
        return []
    if reason is None:
        return [FieldError("reason", ErrorCode.REQUIRED, "A decline needs a reason.")]
    if reason == DeclineReason.OTHER and not (note or "").strip():
        return [
            FieldError("note", ErrorCode.REQUIRED, "Say why in the note when the reason is OTHER.")
        ]
    return []


def _outcome_errors(
    action: Action, outcome: Outcome | None, note: str | None, purpose: Purpose
) -> list[FieldError]:
    """A completion, and only a completion, gives its outcome, one of its purpose's
    (OTHER says what happened)."""
    if action != Action.COMPLETE:
        if outcome is not None:
            return [FieldError("outcome", ErrorCode.INVALID, "Only completion takes an outcome.")]
        return []
    if outcome is None:
        return [
            FieldError("outcome", ErrorCode.REQUIRED, "Completing a referral needs its outcome.")
        ]
    if outcome not in OUTCOMES[purpose]:
        allowed = ", ".join(sorted(o.value for o in OUTCOMES[purpose]))
        return [
            FieldError(
                "outcome",
                ErrorCode.INVALID,
                f"A {purpose.value} referral ends with one of {allowed}.",
            )
        ]
    if outcome == Outcome.OTHER and not (note or "").strip():
        return [
            FieldError(
                "note",
                ErrorCode.REQUIRED,
                "Say what happened in the note when the outcome is OTHER.",
            )
        ]
    return []


def _note_errors(note: str | None) -> list[FieldError]:
    if note is not None and len(note) > NOTE_MAX:
        return [
            FieldError("note", ErrorCode.TOO_LONG, f"note must be at most {NOTE_MAX} characters.")
        ]
    return []


def is_open(state: State) -> bool:
    return state in OPEN_STATES
