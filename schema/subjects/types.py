"""Subjects (pseudonymous people) and their consents."""

from __future__ import annotations

import graphene

from schema.core.errors import domain_error
from schema.core.node import Node
from schema.subjects.enums import ContactRouteEnum, PreferenceGiverEnum

SubjectError = domain_error("SubjectError", "subjects and consents")


class SubjectPreference(graphene.ObjectType):
    """The subject's own choices about being connected (つながらないことも権利), one version.
    Referrals and recommendations respect the ACTIVE one; only a statutory child-protection
    referral goes against it, audited as PREFERENCE_OVERRIDDEN_STATUTORY."""

    id = graphene.ID(required=True, description="This version's UUID.")
    state = graphene.String(
        required=True, description="ACTIVE (limits referrals now) or LIFTED (history)."
    )
    version = graphene.Int(required=True, description="1 for the first, then one more each.")
    do_not_refer = graphene.Boolean(required=True, description="Not to be referred at all.")
    exchange_only = graphene.Boolean(
        required=True, description="Only to exchange-type places (交流型)."
    )
    no_contact_before = graphene.Date(description="No referral is sent before this day.")
    contact_route = ContactRouteEnum(description="How the subject would rather be reached.")
    avoid_mentioning = graphene.String(
        description="What the subject does not want mentioned (null once erased)."
    )
    given_by = PreferenceGiverEnum(required=True, description="Who stated it.")
    recorded_at = graphene.DateTime(required=True, description="When it was recorded.")
    recorded_by = graphene.String(
        description="The counsellor who recorded it (the registering organisation only: "
        "null for another organisation)."
    )
    organisation_id = graphene.ID(required=True, description="The registering organisation.")
    lifted_at = graphene.DateTime(description="When it was replaced or lifted.")
    lifted_by = graphene.String(
        description="Who replaced or lifted it (the registering organisation only)."
    )


class Subject(graphene.ObjectType):
    """A person referred, known by a pseudonymous id. Personal fields are decrypted only for
    callers whose organisation registered the subject or holds a consent covering them."""

    class Meta:
        interfaces = (Node,)

    id = graphene.ID(
        required=True, description="Pseudonymous id (a UUID); never the person's name."
    )
    birth_year = graphene.Int(required=True, description="Year of birth.")
    area_code = graphene.String(
        required=True, description="JIS X 0402 code of where the subject lives."
    )
    erased = graphene.Boolean(required=True, description="The data key was destroyed.")
    name = graphene.String(description="Needs the CONTACT category.")
    name_kana = graphene.String(description="Needs the CONTACT category.")
    contact = graphene.String(description="Needs the CONTACT category.")
    guardian_name = graphene.String(description="Needs the FAMILY category.")
    notes = graphene.String(description="Needs the NOTES category.")
    preference = graphene.Field(
        SubjectPreference,
        description="The subject's own active preference (null: none). Whoever may read the "
        "subject sees it, so that they respect it.",
    )
    preference_history = graphene.List(
        graphene.NonNull(SubjectPreference),
        required=True,
        description="Every version of the subject's preference, newest first.",
    )


class SubjectMatch(graphene.ObjectType):
    """One of your organisation's own subjects found by findSubjects (no personal field)."""

    id = graphene.ID(required=True, description="The subject's pseudonymous id.")
    birth_year = graphene.Int(required=True, description="Year of birth.")
    area_code = graphene.String(required=True, description="Where the subject lives.")
    registered_at = graphene.DateTime(
        required=True, description="When your organisation registered the subject."
    )


class Consent(graphene.ObjectType):
    """A consent (同意) a subject gave: which organisations may receive which data for which
    purposes, and until when."""

    id = graphene.ID(required=True, description="The consent's UUID.")
    subject_id = graphene.ID(required=True, description="The subject's pseudonymous id.")
    state = graphene.String(
        required=True, description="ACTIVE, SUPERSEDED (amended), WITHDRAWN or EXPIRED."
    )
    given_by = graphene.String(
        required=True, description="SUBJECT, GUARDIAN (a parent) or LEGAL_GUARDIAN."
    )
    guardianship_type = graphene.String(
        description="GUARDIANSHIP (後見), CURATORSHIP (保佐) or ASSISTANCE (補助): a "
        "LEGAL_GUARDIAN's appointment."
    )
    purposes = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Purpose values consented to."
    )
    categories = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="DataCategory values consented to.",
    )
    organisation_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="Organisations named as recipients.",
    )
    organisation_kinds = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Kinds of organisation permitted as recipients (in areaCode).",
    )
    area_code = graphene.String(description="Where the organisation kinds are permitted.")
    valid_from = graphene.Date(required=True, description="First day it holds.")
    valid_until = graphene.Date(required=True, description="Last day it holds.")
    method = graphene.String(required=True, description="WRITTEN, VERBAL or DIGITAL.")
    evidence_sha256 = graphene.String(description="SHA-256 of the signed document.")
