"""recordConsent, amendConsent and withdrawConsent."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.validation import enum_value
from referral_hub.subjects import services
from schema.core.mutations import camel_input
from schema.core.permissions import require_actor
from schema.subjects.inputs import ConsentAmendInput, ConsentInput
from schema.subjects.mutations.base import SubjectMutation
from schema.subjects.types import Consent


def _consent_data(input: dict) -> dict[str, Any]:
    data = camel_input(input)
    for key in ("purposes", "categories"):
        data[key] = [enum_value(v) for v in data.get(key) or []]
    return data


class ConsentRecord(SubjectMutation):
    class Arguments:
        input = ConsentInput(required=True)

    consent = graphene.Field(Consent)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        data = _consent_data(input)
        return {"consent": services.consent_record(actor=require_actor(info), data=data)}


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
            actor=require_actor(info), consent_id=id, data=_consent_data(input)
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
