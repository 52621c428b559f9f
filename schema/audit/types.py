"""The audit log's types: an event, a verification of an area's chains, a subject's
disclosure record."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.utils.str_converters import to_camel_case


class AuditEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    chain = graphene.String(required=True)
    seq = graphene.Int(required=True)
    at = graphene.String(required=True, description="UTC, ISO 8601 with microseconds.")
    action = graphene.String(required=True)
    target_type = graphene.String(required=True)
    target_id = graphene.String()
    actor_user = graphene.String(required=True)
    actor_organisation = graphene.ID()
    actor_role = graphene.String()
    purpose = graphene.String()
    legal_basis = graphene.String(
        description="What the action rested on: OWN_RECORD, CONSENT, a STATUTORY_ basis, "
        "or null (maintenance, a refused read)."
    )
    statutory = graphene.Boolean(required=True)
    consent_id = graphene.ID(description="The consent a CONSENT basis rested on.")
    categories = graphene.List(
        graphene.NonNull(graphene.String),
        description="The data categories a read of personal data was checked for.",
    )
    fields = graphene.List(
        graphene.NonNull(graphene.String),
        description="The personal fields the read returned (empty when refused).",
    )
    request_id = graphene.String()
    client_address = graphene.String()
    area_code = graphene.String()
    prev_hash = graphene.String(required=True)
    hash = graphene.String(required=True)


class AuditEventConnection(graphene.relay.Connection):
    class Meta:
        node = AuditEvent


class BrokenLink(graphene.ObjectType):
    chain = graphene.String(required=True, description="The chain's key: subject:… or org:….")
    seq = graphene.Int(required=True, description="The position where the chain breaks.")
    event_id = graphene.ID(description="The event found there (null: events are missing).")
    reason = graphene.String(required=True)
    code = graphene.String(
        required=True,
        description="MISSING (a sequence gap), RELINKED (prevHash differs), FIELDS_ADDED, "
        "EDITED (content differs from its hash), HEAD (the chain head disagrees: events "
        "deleted from the end, or the head altered).",
    )


class AuditVerification(graphene.ObjectType):
    chains = graphene.Int(required=True, description="Chains checked, each from its start.")
    events = graphene.Int(required=True, description="Events checked.")
    intact = graphene.Boolean(required=True)
    broken = graphene.NonNull(
        graphene.List(graphene.NonNull(BrokenLink)),
        description="The first broken link of each broken chain, by chain key.",
    )

    @staticmethod
    def resolve_intact(root: Any, info: graphene.ResolveInfo) -> bool:
        return not root.broken


class DisclosureEvent(graphene.ObjectType):
    """One event of the subject's audit chain, the organisations in it named."""

    id = graphene.ID(required=True)
    seq = graphene.Int(required=True)
    at = graphene.String(required=True, description="UTC, ISO 8601 with microseconds.")
    action = graphene.String(required=True)
    outcome = graphene.String(required=True, description="OK, or DENIED for a refused read.")
    target_type = graphene.String(required=True)
    target_id = graphene.String()
    actor_user = graphene.String(required=True)
    actor_role = graphene.String()
    actor_organisation_id = graphene.ID()
    actor_organisation_name = graphene.String()
    actor_organisation_kind = graphene.String()
    recipient_id = graphene.ID(description="For a referral's events: the receiving organisation.")
    recipient_name = graphene.String()
    legal_basis = graphene.String(description="OWN_RECORD, CONSENT, a STATUTORY_ basis, or null.")
    statutory = graphene.Boolean(required=True)
    consent_id = graphene.ID()
    consent_version = graphene.Int(description="1 for a first consent, 2 after one amendment…")
    categories = graphene.List(graphene.NonNull(graphene.String))
    fields = graphene.List(graphene.NonNull(graphene.String))
    hash = graphene.String(required=True, description="The event's hash in its chain.")


class PermittedOrganisation(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)


class DisclosureConsent(graphene.ObjectType):
    """A consent the subject gave, as recorded (every version, withdrawn ones included)."""

    id = graphene.ID(required=True)
    version = graphene.Int(required=True)
    supersedes = graphene.ID()
    state = graphene.String(required=True)
    given_by = graphene.String(required=True)
    purposes = graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)))
    categories = graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)))
    organisations = graphene.NonNull(graphene.List(graphene.NonNull(PermittedOrganisation)))
    organisation_kinds = graphene.List(graphene.NonNull(graphene.String))
    area_code = graphene.String()
    kind_area_codes = graphene.List(graphene.NonNull(graphene.String))
    method = graphene.String()
    valid_from = graphene.String(required=True)
    valid_until = graphene.String(required=True)
    recorded_by = graphene.String()
    recorded_at = graphene.String(required=True)
    superseded_at = graphene.String()
    withdrawn_at = graphene.String()


class DisclosureRecord(graphene.ObjectType):
    """第三者提供記録 (APPI art. 29) and the material for a disclosure request (art. 33)."""

    subject_id = graphene.ID(required=True)
    area_code = graphene.String()
    registered_at = graphene.String()
    erased_at = graphene.String()
    registered_by_id = graphene.ID()
    registered_by_name = graphene.String()
    events = graphene.NonNull(
        graphene.List(graphene.NonNull(DisclosureEvent)),
        description="Every event of the subject's audit chain, oldest first.",
    )
    consents = graphene.NonNull(graphene.List(graphene.NonNull(DisclosureConsent)))


def _resolve_by_camel_key(cls: type) -> None:
    """Rows are dicts with the GraphQL (camelCase) keys: each snake_case field resolves
    from the key graphene names it by."""
    for name in cls._meta.fields:  # type: ignore[attr-defined]
        key = to_camel_case(name)
        if key != name:
            setattr(cls, f"resolve_{name}", staticmethod(lambda root, info, _k=key: root.get(_k)))


for _type in (AuditEvent, DisclosureEvent, DisclosureConsent, DisclosureRecord):
    _resolve_by_camel_key(_type)
