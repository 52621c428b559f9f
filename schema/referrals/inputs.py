"""The input of createReferral."""

import graphene

from schema.referrals.enums import LegalBasisEnum, ReferralPurposeEnum, UrgencyEnum
from schema.subjects.enums import DataCategoryEnum


class ReferralInput(graphene.InputObjectType):
    """A new referral of a subject you registered to a service."""

    subject_id = graphene.ID(
        required=True,
        description="The subject's pseudonymous id (registered by your organisation).",
    )
    service_id = graphene.ID(required=True, description="The service to refer to.")
    need_tags = graphene.List(
        graphene.NonNull(graphene.String),
        description="NEED tag codes the referral is about (要配慮個人情報).",
    )
    urgency = UrgencyEnum(default_value="ROUTINE", description="How soon a reply is needed.")
    summary = graphene.String(description="Encrypted with the subject's key.")
    categories = graphene.List(
        graphene.NonNull(DataCategoryEnum),
        required=True,
        description="Data shared, named explicitly (at least one); the consent must cover each.",
    )
    accept_waitlist = graphene.Boolean(
        default_value=False,
        description="Accept a place on the waiting list if the service is full.",
    )
    legal_basis = LegalBasisEnum(
        default_value="CONSENT", description="CONSENT, or a statute (then justification is needed)."
    )
    justification = graphene.String(
        description="With a statutory basis: why consent cannot be relied on and why the "
        "statute applies. Encrypted with the subject's key; read by auditors."
    )
    send = graphene.Boolean(default_value=True, description="false keeps it as a DRAFT.")
    purpose = ReferralPurposeEnum(
        default_value="SUPPORT",
        description="SUPPORT, or OFFER_ROLE with opportunityId (the consent rule is the same).",
    )
    opportunity_id = graphene.ID(
        description="With OFFER_ROLE (and only then): the active opportunity offered; "
        "serviceId must be the service it is taken up through (Opportunity.service)."
    )
    meeting_id = graphene.ID(
        description="With STATUTORY_SWA_106_6 (required with it, refused with any other "
        "basis): the support meeting (支援会議) that decided the referral. The sender's "
        "organisation took part and acknowledged confidentiality, the subject was discussed "
        "there, and the meeting's sight window is open; else MEETING_NOT_CITABLE."
    )
