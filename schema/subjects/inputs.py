"""The inputs of registerSubject, recordConsent, amendConsent and the subject's preferences."""

import graphene

from schema.subjects.enums import (
    ConsentMethodEnum,
    ContactRouteEnum,
    DataCategoryEnum,
    GivenByEnum,
    GuardianshipTypeEnum,
    PreferenceGiverEnum,
    PurposeEnum,
)


class SubjectInput(graphene.InputObjectType):
    """A person to register under your organisation; personal fields are sealed with the
    subject's own key."""

    birth_year = graphene.Int(required=True, description="Year of birth.")
    area_code = graphene.String(required=True, description="Where the subject lives.")
    name = graphene.String(description="Full name in Japanese (CONTACT).")
    name_kana = graphene.String(description="The name in kana (CONTACT), used by findSubjects.")
    contact = graphene.String(description="How to reach the person (CONTACT).")
    guardian_name = graphene.String(description="The guardian's name (FAMILY).")
    notes = graphene.String(description="Free-text notes (NOTES).")


class ConsentAmendInput(graphene.InputObjectType):
    """A consent, stated whole: a new version leaves out what is no longer consented."""

    given_by = GivenByEnum(required=True, description="Who gives it.")
    guardian_relationship = graphene.String(description="Needed when a guardian gives it.")
    guardianship_type = GuardianshipTypeEnum(
        description="Needed when a LEGAL_GUARDIAN gives it, and only then."
    )
    organisation_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="Organisations named as recipients."
    )
    organisation_kinds = graphene.List(
        graphene.NonNull(graphene.String),
        description="Kinds of organisation permitted as recipients (OrganisationKind values), "
        "within areaCode.",
    )
    area_code = graphene.String(description="Where the organisation kinds are permitted.")
    purposes = graphene.List(
        graphene.NonNull(PurposeEnum), required=True, description="What the data may be used for."
    )
    categories = graphene.List(
        graphene.NonNull(DataCategoryEnum), required=True, description="Which data may be shared."
    )
    valid_from = graphene.Date(
        description="Default today; at most 90 days ahead; an amendment not before today."
    )
    valid_until = graphene.Date(required=True, description="Last day it holds (at most 3 years).")
    method = ConsentMethodEnum(required=True, description="How it was given.")
    evidence_sha256 = graphene.String(description="SHA-256 of the signed document.")


class ConsentInput(ConsentAmendInput):
    """A first consent of a subject your organisation registered."""

    subject_id = graphene.ID(required=True, description="The subject's pseudonymous id.")


class SetSubjectPreferenceInput(graphene.InputObjectType):
    """The subject's own choices, stated whole; they replace the active preference (kept as
    history). Recorded with the subject (or guardian) by your organisation's counsellor."""

    subject_id = graphene.ID(required=True, description="The subject's pseudonymous id.")
    given_by = PreferenceGiverEnum(required=True, description="Who stated it.")
    do_not_refer = graphene.Boolean(
        description="Do not refer the subject at all (only a statutory child-protection "
        "referral still goes, and is audited as overriding this)."
    )
    exchange_only = graphene.Boolean(
        description="Refer only to exchange-type places (交流型), never to support-type ones."
    )
    no_contact_before = graphene.Date(
        description="No referral is sent before this day (today or later, at most 3 years)."
    )
    contact_route = ContactRouteEnum(description="How the subject would rather be reached.")
    avoid_mentioning = graphene.String(
        description="What the subject does not want mentioned (at most 1000 characters; "
        "sealed with the subject's key, shown only to readers with a basis)."
    )


class LiftSubjectPreferenceInput(graphene.InputObjectType):
    """Lift the subject's active preference; from then on it limits nothing."""

    subject_id = graphene.ID(required=True, description="The subject's pseudonymous id.")
