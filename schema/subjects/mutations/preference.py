"""setSubjectPreference and liftSubjectPreference."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.subjects import preference_services
from referral_hub.subjects.preferences import PreferenceTerms
from schema.core.permissions import require_actor
from schema.subjects.inputs import LiftSubjectPreferenceInput, SetSubjectPreferenceInput
from schema.subjects.mutations.base import SubjectMutation
from schema.subjects.types import SubjectPreference


class SubjectPreferenceSet(SubjectMutation):
    """Record the subject's own choices (a new version; the active one is kept as history).
    Refused for an adult when a guardian states it."""

    class Arguments:
        input = SetSubjectPreferenceInput(required=True, description="The choices, stated whole.")

    preference = graphene.Field(SubjectPreference, description="The new active preference.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        terms = PreferenceTerms(
            given_by=input.get("given_by"),
            do_not_refer=input.get("do_not_refer"),
            exchange_only=input.get("exchange_only"),
            no_contact_before=input.get("no_contact_before"),
            contact_route=input.get("contact_route"),
            avoid_mentioning=input.get("avoid_mentioning"),
        )
        preference = preference_services.preference_set(
            actor=require_actor(info), subject_id=input["subject_id"], terms=terms
        )
        return {"preference": preference}


class SubjectPreferenceLift(SubjectMutation):
    """Lift the subject's active preference: from now on it limits nothing."""

    class Arguments:
        input = LiftSubjectPreferenceInput(required=True, description="Whose preference.")

    preference = graphene.Field(SubjectPreference, description="The preference lifted.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        lifted = preference_services.preference_lift(
            actor=require_actor(info), subject_id=input["subject_id"]
        )
        return {"preference": lifted}
