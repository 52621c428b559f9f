"""The inputs of registerSubject, recordConsent and amendConsent."""

import graphene

from schema.subjects.enums import ConsentMethodEnum, DataCategoryEnum, GivenByEnum, PurposeEnum


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
