"""registerSubject, recordConsent, withdrawConsent and subject(id): personal data under consent."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.consent.policy import DataCategory, GivenBy, Method, Purpose
from referral_hub.core.validation import enum_value
from referral_hub.subjects import services
from schema.core.errors import Error, ErrorCodeEnum
from schema.core.mutations import DomainMutation, camel_input
from schema.core.permissions import require_actor
from schema.core.selection import selected_fields

PurposeEnum = graphene.Enum.from_enum(Purpose, description="Why personal data is used.")
DataCategoryEnum = graphene.Enum.from_enum(DataCategory, description="Kinds of personal data.")
GivenByEnum = graphene.Enum.from_enum(GivenBy, description="Who gave the consent.")
ConsentMethodEnum = graphene.Enum.from_enum(
    Method, name="ConsentMethod", description="How the consent was given."
)


class SubjectError(graphene.ObjectType):
    class Meta:
        interfaces = (Error,)

    code = graphene.Field(ErrorCodeEnum, required=True)


class Subject(graphene.ObjectType):
    """A person referred, known by a pseudonymous id. Personal fields are decrypted only for
    callers whose organisation registered the subject or holds a consent covering them."""

    id = graphene.ID(required=True)
    birth_year = graphene.Int(required=True)
    area_code = graphene.String(required=True)
    erased = graphene.Boolean(required=True, description="The data key was destroyed.")
    name = graphene.String(description="Needs the CONTACT category.")
    name_kana = graphene.String(description="Needs the CONTACT category.")
    contact = graphene.String(description="Needs the CONTACT category.")
    guardian_name = graphene.String(description="Needs the FAMILY category.")
    notes = graphene.String(description="Needs the NOTES category.")


class SubjectMatch(graphene.ObjectType):
    """One of your organisation's own subjects found by findSubjects (no personal field)."""

    id = graphene.ID(required=True)
    birth_year = graphene.Int(required=True)
    area_code = graphene.String(required=True)
    registered_at = graphene.DateTime(required=True)


class Consent(graphene.ObjectType):
    id = graphene.ID(required=True)
    subject_id = graphene.ID(required=True)
    state = graphene.String(required=True)
    given_by = graphene.String(required=True)
    purposes = graphene.List(graphene.NonNull(graphene.String), required=True)
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    organisation_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    organisation_kinds = graphene.List(graphene.NonNull(graphene.String), required=True)
    area_code = graphene.String()
    valid_from = graphene.Date(required=True)
    valid_until = graphene.Date(required=True)
    method = graphene.String(required=True)
    evidence_sha256 = graphene.String()


def _consent(row: dict[str, Any]) -> Consent:
    return Consent(
        id=row["id"],
        subject_id=row["subjectId"],
        state=row["state"],
        given_by=row["givenBy"],
        purposes=row["purposes"],
        categories=row["categories"],
        organisation_ids=row["organisationIds"],
        organisation_kinds=row.get("organisationKinds") or [],
        area_code=row.get("areaCode"),
        valid_from=row["validFrom"],
        valid_until=row["validUntil"],
        method=row["method"],
        evidence_sha256=row.get("evidenceSha256"),
    )


class SubjectInput(graphene.InputObjectType):
    birth_year = graphene.Int(required=True)
    area_code = graphene.String(required=True, description="Where the subject lives.")
    name = graphene.String()
    name_kana = graphene.String()
    contact = graphene.String()
    guardian_name = graphene.String()
    notes = graphene.String()


class ConsentAmendInput(graphene.InputObjectType):
    """A consent, stated whole: a new version leaves out what is no longer consented."""

    given_by = GivenByEnum(required=True)
    guardian_relationship = graphene.String(description="Needed when a guardian gives it.")
    organisation_ids = graphene.List(graphene.NonNull(graphene.ID))
    organisation_kinds = graphene.List(graphene.NonNull(graphene.String))
    area_code = graphene.String(description="Where the organisation kinds are permitted.")
    purposes = graphene.List(graphene.NonNull(PurposeEnum), required=True)
    categories = graphene.List(graphene.NonNull(DataCategoryEnum), required=True)
    valid_from = graphene.Date(
        description="Default today; at most 90 days ahead; an amendment not before today."
    )
    valid_until = graphene.Date(required=True)
    method = ConsentMethodEnum(required=True)
    evidence_sha256 = graphene.String(description="SHA-256 of the signed document.")


class ConsentInput(ConsentAmendInput):
    subject_id = graphene.ID(required=True)


def _consent_data(input: dict) -> dict[str, Any]:
    data = camel_input(input)
    for key in ("purposes", "categories"):
        data[key] = [enum_value(v) for v in data.get(key) or []]
    return data


class SubjectMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = SubjectError
    errors = graphene.List(graphene.NonNull(SubjectError), required=True)


class SubjectRegister(SubjectMutation):
    class Arguments:
        input = SubjectInput(required=True)

    subject = graphene.Field(Subject)
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


class ConsentRecord(SubjectMutation):
    class Arguments:
        input = ConsentInput(required=True)

    consent = graphene.Field(Consent)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        data = _consent_data(input)
        return {"consent": _consent(services.consent_record(actor=require_actor(info), data=data))}


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
        return {"consent": _consent(amended)}


class ConsentWithdraw(SubjectMutation):
    """Takes effect at once: open referrals are withdrawn and others lose sight."""

    class Arguments:
        id = graphene.ID(required=True)

    consent = graphene.Field(Consent)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        return {
            "consent": _consent(services.consent_withdraw(actor=require_actor(info), consent_id=id))
        }


class SubjectQueries(graphene.ObjectType):
    subject = graphene.Field(
        Subject,
        id=graphene.ID(required=True),
        purpose=PurposeEnum(default_value="REFERRAL"),
        description="Null when unknown or not permitted now (the attempt is audited either way).",
    )

    find_subjects = graphene.List(
        graphene.NonNull(SubjectMatch),
        required=True,
        name=graphene.String(
            required=True,
            description="The kana if the subject was registered with kana, else the name.",
        ),
        birth_year=graphene.Int(required=True),
        area_code=graphene.String(required=True),
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
        return services.subject_read(
            actor=require_actor(info),
            subject_id=id,
            fields=selected_fields(info),
            purpose=Purpose(enum_value(purpose)),
        )


class SubjectMutations(graphene.ObjectType):
    register_subject = SubjectRegister.Field()
    record_consent = ConsentRecord.Field()
    amend_consent = ConsentAmend.Field()
    withdraw_consent = ConsentWithdraw.Field()
