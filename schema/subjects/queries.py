"""subject(id) and findSubjects."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.consent.policy import Purpose
from referral_hub.core.validation import enum_value
from referral_hub.subjects import services
from schema.core.node import NodeKind, one_by_one
from schema.core.permissions import require_actor
from schema.core.selection import selected_fields
from schema.subjects.enums import PurposeEnum
from schema.subjects.types import Subject, SubjectMatch


class SubjectQueries(graphene.ObjectType):
    subject = graphene.Field(
        Subject,
        id=graphene.ID(required=True, description="The subject's pseudonymous id."),
        purpose=PurposeEnum(
            default_value="REFERRAL",
            description="Why you read it: a consent must cover this purpose (and is audited).",
        ),
        description="Null when unknown or not permitted now (the attempt is audited either way).",
    )

    find_subjects = graphene.List(
        graphene.NonNull(SubjectMatch),
        required=True,
        name=graphene.String(
            required=True,
            description="The kana if the subject was registered with kana, else the name.",
        ),
        birth_year=graphene.Int(required=True, description="Year of birth."),
        area_code=graphene.String(
            required=True, description="JIS X 0402 code of where the subject lives."
        ),
        description=(
            "Your organisation's own subjects registered under this name (the kana if one was "
            "given), birth year and area: exact after normalising, compared by keyed hash; at "
            "most 10, newest first. Never another organisation's. The search and each match "
            "are audited."
        ),
    )

    @staticmethod
    def resolve_find_subjects(
        root: Any, info: graphene.ResolveInfo, name: str, birth_year: int, area_code: str
    ) -> list[dict[str, Any]]:
        return services.subject_find_own(
            actor=require_actor(info),
            data={"name": name, "birthYear": birth_year, "areaCode": area_code},
        )

    @staticmethod
    def resolve_subject(
        root: Any, info: graphene.ResolveInfo, id: str, purpose: Any = "REFERRAL"
    ) -> dict | None:
        return _subject(info, id, Purpose(enum_value(purpose)))


def _subject(
    info: graphene.ResolveInfo, key: str, purpose: Purpose, as_type: str | None = None
) -> dict | None:
    """subject(id)'s read: the consent rule and the audit are in its one statement."""
    return services.subject_read(
        actor=require_actor(info),
        subject_id=key,
        fields=selected_fields(info, as_type=as_type),
        purpose=purpose,
    )


# A subject as node(id) reads it: subject(id)'s read for the default purpose (REFERRAL),
# with the fields selected on Subject; one audited read each.
NODE_KINDS = (
    NodeKind(
        "Subject",
        "subject",
        one_by_one(lambda info, key: _subject(info, key, Purpose.REFERRAL, as_type="Subject")),
    ),
)
