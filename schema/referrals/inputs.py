"""The input of createReferral."""

import graphene

from schema.referrals.enums import LegalBasisEnum, UrgencyEnum
from schema.subjects.enums import DataCategoryEnum


class ReferralInput(graphene.InputObjectType):
    subject_id = graphene.ID(required=True)
    service_id = graphene.ID(required=True)
    need_tags = graphene.List(graphene.NonNull(graphene.String))
    urgency = UrgencyEnum(default_value="ROUTINE")
    summary = graphene.String(description="Encrypted with the subject's key.")
    categories = graphene.List(
        graphene.NonNull(DataCategoryEnum),
        required=True,
        description="Data shared, named explicitly (at least one); the consent must cover each.",
    )
    accept_waitlist = graphene.Boolean(default_value=False)
    legal_basis = LegalBasisEnum(default_value="CONSENT")
    justification = graphene.String(
        description="With a statutory basis: why consent cannot be relied on and why the "
        "statute applies. Encrypted with the subject's key; read by auditors."
    )
    send = graphene.Boolean(default_value=True, description="false keeps it as a DRAFT.")
