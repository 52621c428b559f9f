"""Subjects (pseudonymous people) and their consents."""

from __future__ import annotations

import graphene

from schema.core.errors import domain_error

SubjectError = domain_error("SubjectError", "subjects and consents")


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
