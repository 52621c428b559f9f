import graphene

from schema.core.errors import errors_field
from schema.core.mutations import DomainMutation
from schema.referrals.types import Referral, ReferralError


class ReferralMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = ReferralError
    errors = errors_field(ReferralError)
    referral = graphene.Field(Referral, description="The referral after the mutation.")
