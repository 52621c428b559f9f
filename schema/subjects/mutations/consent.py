"""recordConsent, amendConsent and withdrawConsent."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.consent.policy import ConsentTerms
from referral_hub.core.validation import enum_value
from referral_hub.subjects import services
from schema.core.permissions import require_actor
from schema.subjects.inputs import ConsentAmendInput, ConsentInput
from schema.subjects.mutations.base import SubjectMutation
from schema.subjects.types import Consent


def _terms(input: dict[str, Any]) -> ConsentTerms:
    """The input's consent terms (everything but the subject it is about)."""
    return ConsentTerms(
        **{key: enum_value(value) for key, value in input.items() if key != "subject_id"}
    )


class ConsentRecord(SubjectMutation):
    """Record a subject's first consent."""

    class Arguments:
        input = ConsentInput(required=True, description="The consent and the subject it is about.")

    consent = graphene.Field(Consent, description="The consent recorded.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        return {
            "consent": services.consent_record(
                actor=require_actor(info), subject_id=input["subject_id"], terms=_terms(input)
            )
        }


class ConsentAmend(SubjectMutation):
    """Supersede an ACTIVE consent with a new version (its own evidence). Widening never
    back-dates; narrowing takes effect at once: referrals the new version no longer covers
    are WITHDRAWN, the others move under it."""

    class Arguments:
        id = graphene.ID(required=True, description="The ACTIVE consent's UUID.")
        input = ConsentAmendInput(required=True, description="The new version, stated whole.")

    consent = graphene.Field(Consent, description="The new version.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str, input: dict) -> dict[str, Any]:
        amended = services.consent_amend(
            actor=require_actor(info), consent_id=id, terms=_terms(input)
        )
        return {"consent": amended}


class ConsentWithdraw(SubjectMutation):
    """Takes effect at once: open referrals are withdrawn and others lose sight."""

    class Arguments:
        id = graphene.ID(required=True, description="The consent's UUID.")

    consent = graphene.Field(Consent, description="The consent withdrawn.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        return {"consent": services.consent_withdraw(actor=require_actor(info), consent_id=id)}
