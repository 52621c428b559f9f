"""Who is signed in, their API tokens, and an organisation's members and invitations.

Each type resolves the account model (or the members service's record) directly."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.accounts.models import ApiToken as ApiTokenModel
from schema.core.errors import domain_error

AccountError = domain_error("AccountError", "accounts and members")


ApiTokenKind = graphene.Enum.from_enum(
    ApiTokenModel.Kind, name="ApiTokenKind", description="Whose token it is."
)


class Me(graphene.ObjectType):
    username = graphene.String(required=True)
    organisation_id = graphene.ID(description="The organisation you act for in this request.")
    roles = graphene.List(graphene.NonNull(graphene.String), required=True)
    machine = graphene.Boolean(required=True)


class ApiToken(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    organisation_id = graphene.ID()
    role = graphene.String()
    prefix = graphene.String(required=True, description="Shown to tell tokens apart.")
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(required=True)
    revoked_at = graphene.DateTime()
    last_used_at = graphene.DateTime()

    @staticmethod
    def resolve_role(root: ApiTokenModel, info: graphene.ResolveInfo) -> Any:
        return root.role or None  # personal tokens keep no role: "" in the table


class Member(graphene.ObjectType):
    user_id = graphene.ID(required=True)
    username = graphene.String(required=True)
    email = graphene.String(required=True)
    roles = graphene.List(graphene.NonNull(graphene.String), required=True)
    active = graphene.Boolean(required=True)
    second_factor = graphene.Boolean(
        required=True, description="Has an authenticator app or a security key."
    )
    last_login = graphene.DateTime()


class MemberInvitation(graphene.ObjectType):
    id = graphene.ID(required=True)
    email = graphene.String(required=True)
    role = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(required=True)
    revoked_at = graphene.DateTime()
