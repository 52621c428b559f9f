"""The audit explorer's filter."""

from __future__ import annotations

import graphene

from schema.audit.enums import AuditBasisEnum


class AuditFilterInput(graphene.InputObjectType):
    """Which audit events to list; every filter given must hold."""

    action = graphene.String(description="Events of this action, e.g. SUBJECT_READ.")
    target_type = graphene.String(description="Events on this kind of record, e.g. Subject.")
    target_id = graphene.String(description="A subject's pseudonymous id, a referral, …")
    organisation_id = graphene.ID(description="Events of actors of this organisation.")
    actor_user = graphene.String(description="Events of this user (the username).")
    legal_basis = AuditBasisEnum(description="Events that rested on this basis.")
    statutory_only = graphene.Boolean(description="Only events marked statutory.")
    since = graphene.DateTime(description="Events at or after this time.")
    until = graphene.DateTime(description="Events before this time.")
