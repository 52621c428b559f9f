"""The referral domain's part of the root schema."""

import graphene

from schema.referrals.mutations.referral import ReferralCreate, ReferralTransition
from schema.referrals.mutations.review import ReviewStatutoryReferral
from schema.referrals.queries import ReferralQueries


class ReferralMutations(graphene.ObjectType):
    create_referral = ReferralCreate.Field()
    transition_referral = ReferralTransition.Field()
    review_statutory_referral = ReviewStatutoryReferral.Field()


__all__ = ("ReferralMutations", "ReferralQueries")
