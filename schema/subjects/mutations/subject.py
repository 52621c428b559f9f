"""registerSubject."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.subjects import services
from schema.core.mutations import camel_input
from schema.core.permissions import require_actor
from schema.subjects.inputs import SubjectInput
from schema.subjects.mutations.base import SubjectMutation
from schema.subjects.types import Subject


class SubjectRegister(SubjectMutation):
    """Register a person under your organisation, known from now on by a pseudonymous id."""

    class Arguments:
        input = SubjectInput(required=True, description="The person to register.")

    subject = graphene.Field(Subject, description="The subject registered.")
    possible_duplicates = graphene.List(
        graphene.NonNull(graphene.ID),
        description="Subjects with the same normalised name and birth year (keyed hash).",
    )

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        subject, duplicates = services.subject_register(
            actor=require_actor(info), data=camel_input(input)
        )
        return {"subject": subject, "possible_duplicates": duplicates}
