"""The referral domain's enums, from the handoff table and the rules they mirror; every
value described (schema/core/described.py)."""

import graphene

from referral_hub.consent.legal_basis import LegalBasis
from referral_hub.referrals import handoff, lists
from referral_hub.referrals.rules import Urgency
from schema.core.described import described_enum

UrgencyEnum = described_enum(
    Urgency,
    "How soon a reply is needed.",
    {
        Urgency.ROUTINE: "The service's own response target.",
        Urgency.PRIORITY: "Within 24 hours at most.",
        Urgency.URGENT: "Within 4 hours at most.",
    },
)
_STATES = {
    handoff.State.DRAFT: "Written by the sender, not sent; only the sender sees it.",
    handoff.State.SENT: "Sent; the receiver has not acknowledged it yet.",
    handoff.State.RECEIVED: "The receiver acknowledged it (受付).",
    handoff.State.ACCEPTED: "The receiver will help (受入).",
    handoff.State.IN_PROGRESS: "Support has started.",
    handoff.State.COMPLETED: "Closed by the receiver with an outcome.",
    handoff.State.DECLINED: "The receiver declined it, with a reason.",
    handoff.State.CANCELLED: "The sender called it off.",
    handoff.State.WITHDRAWN: "The consent it rested on was withdrawn or narrowed.",
}
StateEnum = described_enum(
    handoff.State, "Where the handoff stands.", _STATES, name="ReferralState"
)
_ACTIONS = {
    handoff.Action.SEND: "Sender: send a DRAFT.",
    handoff.Action.ACKNOWLEDGE: "Receiver: say it arrived (SENT to RECEIVED).",
    handoff.Action.ACCEPT: "Receiver: take it on.",
    handoff.Action.START: "Receiver: support begins.",
    handoff.Action.COMPLETE: "Receiver: close it with an outcome.",
    handoff.Action.DECLINE: "Receiver: refuse it, with a reason.",
    handoff.Action.CANCEL: "Sender: call it off.",
    handoff.Action.WITHDRAW: "Sender: take it back (also done by a consent withdrawal).",
}
ActionEnum = described_enum(
    handoff.Action, "A step of the handoff.", _ACTIONS, name="HandoffAction"
)
DeclineReasonEnum = described_enum(
    handoff.DeclineReason,
    "Why a receiver declined a referral.",
    {
        handoff.DeclineReason.NOT_ELIGIBLE: "The person is not eligible for the service.",
        handoff.DeclineReason.NO_CAPACITY: "No room now.",
        handoff.DeclineReason.SERVICE_NOT_PROVIDED: "The service does not meet this need.",
        handoff.DeclineReason.ALREADY_ENROLLED: "The person already uses the service.",
        handoff.DeclineReason.COULD_NOT_CONTACT: "The person could not be reached.",
        handoff.DeclineReason.OTHER: "Another reason, given in the note.",
    },
)
OutcomeEnum = described_enum(
    handoff.Outcome,
    "How a completed referral ended.",
    {
        handoff.Outcome.CONNECTED: "The person is connected to the service (つながった).",
        handoff.Outcome.CLIENT_DECLINED: "The person chose not to continue.",
        handoff.Outcome.COULD_NOT_CONTACT: "The person could not be reached.",
        handoff.Outcome.OTHER: "Another outcome, given in the note.",
        handoff.Outcome.TOOK_UP: "OFFER_ROLE: the person took the role up (やってみて続けている).",
        handoff.Outcome.TRIED_AND_STOPPED: "OFFER_ROLE: the person tried the role and stopped.",
        handoff.Outcome.DECLINED_ROLE: "OFFER_ROLE: the person did not want the role.",
    },
    name="ReferralOutcome",
)
ReferralPurposeEnum = described_enum(
    handoff.Purpose,
    "What a referral is for (issue 19). Each purpose has its own outcomes: SUPPORT closes "
    "with CONNECTED, CLIENT_DECLINED, COULD_NOT_CONTACT or OTHER; OFFER_ROLE with TOOK_UP, "
    "TRIED_AND_STOPPED or DECLINED_ROLE.",
    {
        handoff.Purpose.SUPPORT: "Support for a need (the default).",
        handoff.Purpose.OFFER_ROLE: "A role the person is offered: an Opportunity of the "
        "receiving organisation (「あなたの力を貸してほしい」).",
    },
    name="ReferralPurpose",
)
LEGAL_BASES = {
    LegalBasis.CONSENT: "The subject's (or guardian's) consent (同意).",
    LegalBasis.STATUTORY_SWA_106_6: "社会福祉法 第106条の6: a support meeting (支援会議) "
    "shares information among its members.",
    LegalBasis.STATUTORY_APPI_27_1_III: "個人情報保護法 第27条第1項第3号: a child's sound "
    "upbringing when consent cannot be had.",
    LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION: "児童虐待の防止等に関する法律: notification "
    "and provision of information about suspected abuse.",
}
LegalBasisEnum = described_enum(
    LegalBasis,
    "What sharing rests on: consent, or a statute cited with a written justification.",
    LEGAL_BASES,
)
ReviewFindingEnum = described_enum(
    lists.ReviewFinding,
    "An auditor's finding on a statutory referral.",
    {
        lists.ReviewFinding.APPROPRIATE: "The statute was rightly relied on.",
        lists.ReviewFinding.INAPPROPRIATE: "It was not; needs a note, and blocks further "
        "statutory referrals of the subject to that receiver until released.",
    },
)

_EVENTS: dict[str, str] = {
    handoff.Event.CREATE: "The referral was created (as a DRAFT or sent at once).",
    handoff.Event.REMIND: "The deadline is near: the receiver was reminded.",
    handoff.Event.ESCALATE: "The deadline passed unanswered: the referral was escalated.",
}
_TIMELINE: dict[str, str] = {action.value: text for action, text in _ACTIONS.items()} | _EVENTS
TimelineActionEnum = graphene.Enum(
    "TimelineAction",
    [(action.value, action.value) for action in handoff.TIMELINE_ACTIONS],
    description=lambda value: (
        "A step of the handoff (HandoffAction), or CREATE, REMIND or ESCALATE."
        if value is None
        else _TIMELINE[value.value]
    ),
)
