"""The referral domain's enums, from the handoff table and the rules they mirror."""

import graphene

from referral_hub.consent.legal_basis import LegalBasis
from referral_hub.referrals import handoff, lists
from referral_hub.referrals.rules import Urgency

UrgencyEnum = graphene.Enum.from_enum(Urgency, description="How soon a reply is needed.")
StateEnum = graphene.Enum.from_enum(
    handoff.State, name="ReferralState", description="Where the handoff stands."
)
ActionEnum = graphene.Enum.from_enum(
    handoff.Action, name="HandoffAction", description="A step of the handoff."
)
DeclineReasonEnum = graphene.Enum.from_enum(handoff.DeclineReason)
OutcomeEnum = graphene.Enum.from_enum(handoff.Outcome, name="ReferralOutcome")
LegalBasisEnum = graphene.Enum.from_enum(
    LegalBasis,
    description="What sharing rests on: consent, or a statute cited with a written justification.",
)
ReviewFindingEnum = graphene.Enum.from_enum(lists.ReviewFinding)


TimelineActionEnum = graphene.Enum(
    "TimelineAction",
    [(action.value, action.value) for action in handoff.TIMELINE_ACTIONS],
    description="A step of the handoff (HandoffAction), or CREATE, REMIND or ESCALATE.",
)
