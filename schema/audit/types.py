"""The audit log's types: an event, a verification of an area's chains, a subject's
disclosure record."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.utils.str_converters import to_camel_case

from referral_hub.core import audit_reads


class AuditSubjectRead(graphene.ObjectType):
    """One subject an event is about, with the basis and consent its read rested on."""

    subject_id = graphene.ID(required=True, description="The subject's UUID.")
    legal_basis = graphene.String(
        description="OWN_RECORD, CONSENT, a STATUTORY_ basis, or null (maintenance, refused)."
    )
    consent_id = graphene.ID(description="The consent a CONSENT basis rested on.")


class AuditEvent(graphene.ObjectType):
    """One event of the hash-chained audit log (監査ログ): who did what to which record, on what
    basis."""

    id = graphene.ID(required=True, description="The event's UUID.")
    chain = graphene.String(
        required=True,
        description="The writer's chain: writer:… (before 0.3: subject:… or org:…).",
    )
    seq = graphene.Int(required=True, description="Position in its chain, from 1.")
    at = graphene.String(required=True, description="UTC, ISO 8601 with microseconds.")
    action = graphene.String(
        required=True, description="What was done, e.g. SUBJECT_READ or REFERRAL_TRANSITION."
    )
    target_type = graphene.String(
        required=True, description="The kind of record acted on, e.g. Subject."
    )
    target_id = graphene.String(description="The record acted on.")
    actor_user = graphene.String(required=True, description="The username that acted (or system).")
    actor_organisation = graphene.ID(description="The organisation the actor acted for.")
    actor_role = graphene.String(description="The role the actor acted in.")
    purpose = graphene.String(description="The purpose a read of personal data was for.")
    legal_basis = graphene.String(
        description="What the action rested on: OWN_RECORD, CONSENT, a STATUTORY_ basis, "
        "MIXED (a page whose subjects' bases differ: see subjects), or null (maintenance, "
        "a refused read)."
    )
    statutory = graphene.Boolean(required=True, description="True when a statute was relied on.")
    consent_id = graphene.ID(description="The consent a CONSENT basis rested on.")
    categories = graphene.List(
        graphene.NonNull(graphene.String),
        description="The data categories a read of personal data was checked for.",
    )
    fields = graphene.List(
        graphene.NonNull(graphene.String),
        description="The personal fields the read returned (empty when refused).",
    )
    subjects = graphene.NonNull(
        graphene.List(graphene.NonNull(AuditSubjectRead)),
        description="The subjects whose data the action touched (a page read names every "
        "subject it showed), each with its own basis; empty for events about no subject.",
    )
    request_id = graphene.String(description="The HTTP request it came from (X-Request-ID).")
    client_address = graphene.String(description="The caller's IP address.")
    area_code = graphene.String(description="The area whose auditors see the event.")
    prev_hash = graphene.String(
        required=True, description="The previous event's hash (the chain link)."
    )
    hash = graphene.String(required=True, description="SHA-256 over the event and prevHash.")

    @staticmethod
    def resolve_subjects(root: Any, info: graphene.ResolveInfo) -> list[dict[str, Any]]:
        return audit_reads.subject_reads(root)


class AuditEventConnection(graphene.relay.Connection):
    """A page of audit events."""

    class Meta:
        node = AuditEvent


class BrokenLink(graphene.ObjectType):
    """Where a hash chain breaks, and why."""

    chain = graphene.String(
        required=True, description="The chain's key: writer:… (before 0.3: subject:… or org:…)."
    )
    seq = graphene.Int(required=True, description="The position where the chain breaks.")
    event_id = graphene.ID(description="The event found there (null: events are missing).")
    reason = graphene.String(required=True, description="What is wrong, in words.")
    code = graphene.String(
        required=True,
        description="MISSING (a sequence gap), RELINKED (prevHash differs), FIELDS_ADDED, "
        "EDITED (content differs from its hash), HEAD (the chain head disagrees: events "
        "deleted from the end, or the head altered), INSERTED (events past the chain head "
        "that no writer committed), STRAY (an event with no place in any chain), MENTIONS (a "
        "subject's index entries "
        "disagree with the subjects the event names), CHECKPOINT (a signed checkpoint "
        "vouches for events that are gone or different: truncated or rewritten).",
    )


class AuditVerification(graphene.ObjectType):
    """The result of checking every hash chain of the auditor's area."""

    chains = graphene.Int(required=True, description="Chains checked, each from its start.")
    events = graphene.Int(required=True, description="Events checked.")
    intact = graphene.Boolean(required=True, description="True when no chain is broken.")
    broken = graphene.NonNull(
        graphene.List(graphene.NonNull(BrokenLink)),
        description="The first broken link of each broken chain, by chain key.",
    )

    @staticmethod
    def resolve_intact(root: Any, info: graphene.ResolveInfo) -> bool:
        return not root.broken


class DisclosureEvent(graphene.ObjectType):
    """One audit event about the subject, the organisations in it named."""

    id = graphene.ID(required=True, description="The event's UUID.")
    seq = graphene.Int(required=True, description="Position in its writer's chain.")
    at = graphene.String(required=True, description="UTC, ISO 8601 with microseconds.")
    action = graphene.String(required=True, description="What was done.")
    outcome = graphene.String(required=True, description="OK, or DENIED for a refused read.")
    target_type = graphene.String(required=True, description="The kind of record acted on.")
    target_id = graphene.String(description="The record acted on.")
    actor_user = graphene.String(required=True, description="The username that acted.")
    actor_role = graphene.String(description="The role the actor acted in.")
    actor_organisation_id = graphene.ID(description="The organisation the actor acted for.")
    actor_organisation_name = graphene.String(description="The actor organisation's name.")
    actor_organisation_kind = graphene.String(description="The actor organisation's kind.")
    recipient_id = graphene.ID(description="For a referral's events: the receiving organisation.")
    recipient_name = graphene.String(description="The receiving organisation's name.")
    legal_basis = graphene.String(description="OWN_RECORD, CONSENT, a STATUTORY_ basis, or null.")
    statutory = graphene.Boolean(required=True, description="True when a statute was relied on.")
    consent_id = graphene.ID(description="The consent a CONSENT basis rested on.")
    consent_version = graphene.Int(description="1 for a first consent, 2 after one amendment…")
    categories = graphene.List(
        graphene.NonNull(graphene.String), description="The data categories checked."
    )
    fields = graphene.List(
        graphene.NonNull(graphene.String), description="The personal fields provided."
    )
    hash = graphene.String(required=True, description="The event's hash in its chain.")


class PermittedOrganisation(graphene.ObjectType):
    """An organisation a consent names as a recipient."""

    id = graphene.ID(required=True, description="The organisation's UUID.")
    name = graphene.String(required=True, description="Its name.")


class DisclosureConsent(graphene.ObjectType):
    """A consent the subject gave, as recorded (every version, withdrawn ones included)."""

    id = graphene.ID(required=True, description="The consent's UUID.")
    version = graphene.Int(
        required=True, description="1 for a first consent, 2 after one amendment…"
    )
    supersedes = graphene.ID(description="The version this one replaced.")
    state = graphene.String(required=True, description="ACTIVE, SUPERSEDED, WITHDRAWN or EXPIRED.")
    given_by = graphene.String(
        required=True, description="SUBJECT, GUARDIAN (a parent) or LEGAL_GUARDIAN."
    )
    guardianship_type = graphene.String(
        description="A LEGAL_GUARDIAN's appointment: GUARDIANSHIP, CURATORSHIP or ASSISTANCE."
    )
    purposes = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)), description="Purposes consented to."
    )
    categories = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="Data categories consented to.",
    )
    organisations = graphene.NonNull(
        graphene.List(graphene.NonNull(PermittedOrganisation)),
        description="Organisations named as recipients.",
    )
    organisation_kinds = graphene.List(
        graphene.NonNull(graphene.String),
        description="Kinds of organisation permitted as recipients.",
    )
    area_code = graphene.String(description="Where the organisation kinds are permitted.")
    kind_area_codes = graphene.List(
        graphene.NonNull(graphene.String),
        description="The areas (areaCode and below) the kinds are permitted in.",
    )
    method = graphene.String(description="WRITTEN, VERBAL or DIGITAL.")
    valid_from = graphene.String(required=True, description="First day it holds (ISO 8601 date).")
    valid_until = graphene.String(required=True, description="Last day it holds (ISO 8601 date).")
    recorded_by = graphene.String(description="The username that recorded it.")
    recorded_at = graphene.String(
        required=True, description="When it was recorded (UTC, ISO 8601)."
    )
    superseded_at = graphene.String(description="When an amendment replaced it.")
    withdrawn_at = graphene.String(description="When it was withdrawn.")


class DisclosureRecord(graphene.ObjectType):
    """第三者提供記録 (APPI art. 29) and the material for a disclosure request (art. 33)."""

    subject_id = graphene.ID(required=True, description="The subject's pseudonymous id.")
    area_code = graphene.String(description="Where the subject lives.")
    registered_at = graphene.String(description="When the subject was registered (UTC, ISO 8601).")
    erased_at = graphene.String(description="When the subject's data key was destroyed.")
    registered_by_id = graphene.ID(description="The organisation that registered the subject.")
    registered_by_name = graphene.String(description="The registering organisation's name.")
    events = graphene.NonNull(
        graphene.List(graphene.NonNull(DisclosureEvent)),
        description="Every audit event about the subject, oldest first.",
    )
    consents = graphene.NonNull(
        graphene.List(graphene.NonNull(DisclosureConsent)),
        description="Every consent the subject gave, every version.",
    )


def _resolve_by_camel_key(cls: type) -> None:
    """Rows are dicts with the GraphQL (camelCase) keys: each snake_case field resolves
    from the key graphene names it by."""
    for name in cls._meta.fields:  # type: ignore[attr-defined]
        key = to_camel_case(name)
        if key != name:
            setattr(cls, f"resolve_{name}", staticmethod(lambda root, info, _k=key: root.get(_k)))


for _type in (AuditSubjectRead, AuditEvent, DisclosureEvent, DisclosureConsent, DisclosureRecord):
    _resolve_by_camel_key(_type)
