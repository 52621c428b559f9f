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
    class Arguments:
        input = ConsentInput(required=True)

    consent = graphene.Field(Consent)

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
        id = graphene.ID(required=True)
        input = ConsentAmendInput(required=True)

    consent = graphene.Field(Consent)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str, input: dict) -> dict[str, Any]:
        amended = services.consent_amend(
            actor=require_actor(info), consent_id=id, terms=_terms(input)
        )
        return {"consent": amended}


class ConsentWithdraw(SubjectMutation):
    """Takes effect at once: open referrals are withdrawn and others lose sight."""

    class Arguments:
        id = graphene.ID(required=True)

    consent = graphene.Field(Consent)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        return {"consent": services.consent_withdraw(actor=require_actor(info), consent_id=id)}
