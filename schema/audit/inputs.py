"""The audit explorer's filter."""

from __future__ import annotations

import graphene

from schema.audit.enums import AuditBasisEnum


class AuditFilterInput(graphene.InputObjectType):
    action = graphene.String()
    target_type = graphene.String()
    target_id = graphene.String(description="A subject's pseudonymous id, a referral, …")
    organisation_id = graphene.ID(description="Events of actors of this organisation.")
    actor_user = graphene.String(description="Events of this user (the username).")
    legal_basis = AuditBasisEnum(description="Events that rested on this basis.")
    statutory_only = graphene.Boolean(description="Only events marked statutory.")
    since = graphene.DateTime()
    until = graphene.DateTime()
