"""The handoff table, checked exhaustively: every (state, action, side) outside it is refused."""

import itertools

import pytest

from referral_hub.core.errors import ErrorCode, PublicError, ValidationFailed
from referral_hub.referrals import handoff
from referral_hub.referrals.handoff import (
    CLOSED_STATES,
    FHIR_TASK_STATUS,
    OPEN_STATES,
    TRANSITIONS,
    Action,
    DeclineReason,
    Outcome,
    Side,
    State,
    transition,
)

EXPECTED = {
    (State.DRAFT, Action.SEND, Side.SENDER): State.SENT,
    (State.SENT, Action.ACKNOWLEDGE, Side.RECEIVER): State.RECEIVED,
    (State.RECEIVED, Action.ACCEPT, Side.RECEIVER): State.ACCEPTED,
    (State.ACCEPTED, Action.START, Side.RECEIVER): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.COMPLETE, Side.RECEIVER): State.COMPLETED,
    (State.SENT, Action.DECLINE, Side.RECEIVER): State.DECLINED,
    (State.RECEIVED, Action.DECLINE, Side.RECEIVER): State.DECLINED,
    **{
        (s, Action.CANCEL, Side.SENDER): State.CANCELLED
        for s in (State.DRAFT, State.SENT, State.RECEIVED, State.ACCEPTED, State.IN_PROGRESS)
    },
    **{
        (s, Action.WITHDRAW, Side.SYSTEM): State.WITHDRAWN
        for s in (State.DRAFT, State.SENT, State.RECEIVED, State.ACCEPTED, State.IN_PROGRESS)
    },
}


def _extras(action):
    if action == Action.DECLINE:
        return {"reason": DeclineReason.NO_CAPACITY}
    if action == Action.COMPLETE:
        return {"outcome": Outcome.CONNECTED}
    return {}


def test_the_table_is_exactly_the_design():
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("state", "action", "side"), list(itertools.product(State, Action, Side)))
def test_every_pair_outside_the_table_is_refused(state, action, side):
    step = dict(state=state, version=3, action=action, side=side, version_seen=3, **_extras(action))
    if (state, action, side) in EXPECTED:
        result = transition(**step)
        assert result.to_state == EXPECTED[(state, action, side)]
        assert result.version == 4
    else:
        with pytest.raises(PublicError) as refused:
            transition(**step)
        assert refused.value.code is ErrorCode.INVALID_TRANSITION


def test_closed_states_are_final_and_every_state_is_reachable():
    assert not any(state in CLOSED_STATES for state, _, _ in TRANSITIONS)
    reached, frontier = {State.DRAFT}, [State.DRAFT]
    while frontier:
        current = frontier.pop()
        for (state, _, _), target in TRANSITIONS.items():
            if state == current and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(State)
    assert set(State) == OPEN_STATES | CLOSED_STATES


def test_a_stale_version_is_a_conflict():
    with pytest.raises(PublicError) as refused:
        transition(
            state=State.RECEIVED,
            version=5,
            action=Action.ACCEPT,
            side=Side.RECEIVER,
            version_seen=4,
        )
    assert refused.value.code is ErrorCode.CONFLICT


@pytest.mark.parametrize(
    ("action", "extra", "field", "code"),
    [
        (Action.DECLINE, {}, "reason", ErrorCode.REQUIRED),
        (Action.DECLINE, {"reason": DeclineReason.OTHER}, "note", ErrorCode.REQUIRED),
        (Action.DECLINE, {"reason": DeclineReason.OTHER, "note": " "}, "note", ErrorCode.REQUIRED),
        (Action.ACCEPT, {"reason": DeclineReason.NOT_ELIGIBLE}, "reason", ErrorCode.INVALID),
        (Action.ACCEPT, {"note": "x" * 2001}, "note", ErrorCode.TOO_LONG),
    ],
)
def test_decline_needs_a_reason(action, extra, field, code):
    with pytest.raises(ValidationFailed) as refused:
        transition(
            state=State.RECEIVED,
            version=1,
            action=action,
            side=Side.RECEIVER,
            version_seen=1,
            **extra,
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]


def test_completion_needs_an_outcome():
    with pytest.raises(ValidationFailed) as refused:
        transition(
            state=State.IN_PROGRESS,
            version=1,
            action=Action.COMPLETE,
            side=Side.RECEIVER,
            version_seen=1,
        )
    assert refused.value.errors[0].field == "outcome"
    with pytest.raises(ValidationFailed):
        transition(
            state=State.IN_PROGRESS,
            version=1,
            action=Action.COMPLETE,
            side=Side.RECEIVER,
            version_seen=1,
            outcome=Outcome.OTHER,
        )
    done = transition(
        state=State.IN_PROGRESS,
        version=1,
        action=Action.COMPLETE,
        side=Side.RECEIVER,
        version_seen=1,
        outcome=Outcome.OTHER,
        note="家族が転居した",
    )
    assert done.to_state is State.COMPLETED


def test_every_state_maps_to_a_fhir_task_status():
    assert set(FHIR_TASK_STATUS) == set(State)
    assert set(FHIR_TASK_STATUS.values()) <= {
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    }


def test_only_closing_actions_may_proceed_without_a_basis():
    from referral_hub.referrals.handoff import NEEDS_BASIS

    assert {
        Action.SEND,
        Action.ACKNOWLEDGE,
        Action.ACCEPT,
        Action.START,
        Action.COMPLETE,
    } == NEEDS_BASIS
    assert set(Action) - NEEDS_BASIS == {Action.DECLINE, Action.CANCEL, Action.WITHDRAW}


def test_every_timeline_action_is_named_by_the_table_or_its_events():
    """Issue 12, finding 14: CREATE, REMIND and ESCALATE are known names, not strays."""
    from referral_hub.notifications.messages import Kind
    from referral_hub.referrals import handoff

    assert (
        *handoff.Action,
        handoff.Event.CREATE,
        handoff.Event.REMIND,
        handoff.Event.ESCALATE,
    ) == handoff.TIMELINE_ACTIONS
    assert {Kind.REMIND.value, Kind.ESCALATE.value} <= {e.value for e in handoff.Event}
    assert {handoff.State.DRAFT, handoff.State.SENT} == handoff.ENTRY_STATES
    assert not {e.value for e in handoff.Event} & {a.value for a in handoff.Action}


def test_the_graph_is_given_the_open_states_from_this_table():
    """graph/consent_rule.py holds no copy: the Cypher reads these parameters."""
    assert handoff.graph_facts() == {
        "open_states": ["ACCEPTED", "DRAFT", "IN_PROGRESS", "RECEIVED", "SENT"],
        "sent_open_states": ["ACCEPTED", "IN_PROGRESS", "RECEIVED", "SENT"],
    }


# --- every value a caller reads of a step (issue 24) -----------------------------------------


def test_each_state_has_its_own_fhir_task_status():
    assert FHIR_TASK_STATUS == {
        State.DRAFT: "draft",
        State.SENT: "requested",
        State.RECEIVED: "received",
        State.ACCEPTED: "accepted",
        State.IN_PROGRESS: "in-progress",
        State.COMPLETED: "completed",
        State.DECLINED: "rejected",
        State.CANCELLED: "cancelled",
        State.WITHDRAWN: "cancelled",
    }


def test_a_step_describes_itself_whole():
    step = transition(
        state=State.RECEIVED,
        version=7,
        action=Action.DECLINE,
        side=Side.RECEIVER,
        version_seen=7,
        reason=DeclineReason.OTHER,
        note="対象年齢外",
    )
    assert step == handoff.Transition(
        from_state=State.RECEIVED,
        to_state=State.DECLINED,
        action=Action.DECLINE,
        side=Side.RECEIVER,
        version=8,
        reason=DeclineReason.OTHER,
        outcome=None,
        note="対象年齢外",
    )


def test_the_refusals_name_the_version_and_the_action_in_their_words():
    with pytest.raises(PublicError) as stale:
        transition(
            state=State.RECEIVED,
            version=5,
            action=Action.ACCEPT,
            side=Side.RECEIVER,
            version_seen=4,
        )
    assert (stale.value.field, stale.value.message) == (
        "version",
        "The referral changed (version 5, you saw 4); reload it and try again.",
    )
    with pytest.raises(PublicError) as invalid:
        transition(
            state=State.DRAFT, version=1, action=Action.ACCEPT, side=Side.RECEIVER, version_seen=1
        )
    assert (invalid.value.code, invalid.value.field, invalid.value.message) == (
        ErrorCode.INVALID_TRANSITION,
        "action",
        "receiver cannot ACCEPT a DRAFT referral.",
    )


def test_a_stale_version_is_answered_before_an_impossible_action():
    with pytest.raises(PublicError) as refused:
        transition(
            state=State.DRAFT, version=2, action=Action.ACCEPT, side=Side.RECEIVER, version_seen=1
        )
    assert refused.value.code is ErrorCode.CONFLICT


@pytest.mark.parametrize(("length", "refused"), [(2000, False), (2001, True)])
def test_a_note_is_at_most_2000_characters(length, refused):
    def step():
        return transition(
            state=State.RECEIVED,
            version=1,
            action=Action.ACCEPT,
            side=Side.RECEIVER,
            version_seen=1,
            note="あ" * length,
        )

    if refused:
        with pytest.raises(ValidationFailed) as failed:
            step()
        assert [(e.field, e.code, e.message) for e in failed.value.errors] == [
            ("note", ErrorCode.TOO_LONG, "note must be at most 2000 characters.")
        ]
    else:
        assert step().note == "あ" * length


def test_a_completion_and_only_a_completion_takes_an_outcome_and_every_error_at_once():
    with pytest.raises(ValidationFailed) as failed:
        transition(
            state=State.RECEIVED,
            version=1,
            action=Action.ACCEPT,
            side=Side.RECEIVER,
            version_seen=1,
            reason=DeclineReason.NO_CAPACITY,
            outcome=Outcome.CONNECTED,
            note="x" * 2001,
        )
    assert [(e.field, e.code) for e in failed.value.errors] == [
        ("reason", ErrorCode.INVALID),
        ("outcome", ErrorCode.INVALID),
        ("note", ErrorCode.TOO_LONG),
    ]


OTHER_OUTCOME_NEEDS_A_NOTE = "Say what happened in the note when the outcome is OTHER."


@pytest.mark.parametrize(
    ("action", "extras", "error"),
    [
        (
            Action.ACCEPT,
            {"reason": DeclineReason.NO_CAPACITY},
            ("reason", ErrorCode.INVALID, "Only a decline takes a reason."),
        ),
        (Action.DECLINE, {}, ("reason", ErrorCode.REQUIRED, "A decline needs a reason.")),
        (
            Action.DECLINE,
            {"reason": DeclineReason.OTHER, "note": " "},
            ("note", ErrorCode.REQUIRED, "Say why in the note when the reason is OTHER."),
        ),
        (
            Action.ACCEPT,
            {"outcome": Outcome.CONNECTED},
            ("outcome", ErrorCode.INVALID, "Only completion takes an outcome."),
        ),
        (
            Action.COMPLETE,
            {},
            ("outcome", ErrorCode.REQUIRED, "Completing a referral needs its outcome."),
        ),
        (
            Action.COMPLETE,
            {"outcome": Outcome.OTHER},
            ("note", ErrorCode.REQUIRED, OTHER_OUTCOME_NEEDS_A_NOTE),
        ),
        (
            Action.COMPLETE,
            {"outcome": Outcome.OTHER, "note": "\n"},
            ("note", ErrorCode.REQUIRED, OTHER_OUTCOME_NEEDS_A_NOTE),
        ),
    ],
)
def test_each_detail_refusal_names_its_field_code_and_words(action, extras, error):
    state = {
        Action.ACCEPT: State.RECEIVED,
        Action.DECLINE: State.SENT,
        Action.COMPLETE: State.IN_PROGRESS,
    }[action]
    with pytest.raises(ValidationFailed) as failed:
        transition(
            state=state, version=3, action=action, side=Side.RECEIVER, version_seen=3, **extras
        )
    assert [(e.field, e.code, e.message) for e in failed.value.errors] == [error]


def test_a_completion_describes_its_outcome_and_note():
    step = transition(
        state=State.IN_PROGRESS,
        version=4,
        action=Action.COMPLETE,
        side=Side.RECEIVER,
        version_seen=4,
        outcome=Outcome.OTHER,
        note="転居",
    )
    assert step == handoff.Transition(
        from_state=State.IN_PROGRESS,
        to_state=State.COMPLETED,
        action=Action.COMPLETE,
        side=Side.RECEIVER,
        version=5,
        reason=None,
        outcome=Outcome.OTHER,
        note="転居",
    )


@pytest.mark.parametrize(
    ("state", "open_"),
    [
        (State.DRAFT, True),
        (State.SENT, True),
        (State.RECEIVED, True),
        (State.ACCEPTED, True),
        (State.IN_PROGRESS, True),
        (State.COMPLETED, False),
        (State.DECLINED, False),
        (State.CANCELLED, False),
        (State.WITHDRAWN, False),
    ],
)
def test_a_referral_is_open_until_it_is_closed(state, open_):
    assert handoff.is_open(state) is open_
