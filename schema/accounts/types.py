"""Who is signed in, their API tokens, and an organisation's members and invitations.

Each type resolves the account model (or the members service's record) directly."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.accounts.models import ApiToken as ApiTokenModel
from schema.core.described import described_enum
from schema.core.errors import domain_error

AccountError = domain_error("AccountError", "accounts and members")


ApiTokenKind = described_enum(
    ApiTokenModel.Kind,
    "Whose token it is.",
    {
        ApiTokenModel.Kind.PERSONAL: "Acts as you, with your roles.",
        ApiTokenModel.Kind.ORGANISATION: "A machine token of your organisation, with one role.",
    },
    name="ApiTokenKind",
)


class Me(graphene.ObjectType):
    """Who is calling: the user (or machine token) and the roles it acts in."""

    username = graphene.String(
        required=True, description="The signed-in user's name (a machine token's: its name)."
    )
    organisation_id = graphene.ID(description="The organisation you act for in this request.")
    roles = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The roles held in that organisation (COUNSELLOR, CASEWORKER, …).",
    )
    machine = graphene.Boolean(
        required=True, description="True for an ORGANISATION (machine) token."
    )


class ApiToken(graphene.ObjectType):
    """A bearer token for the API (the token string itself is shown once, when issued)."""

    id = graphene.ID(required=True, description="The token's id.")
    name = graphene.String(required=True, description="What it is for, as its issuer named it.")
    kind = graphene.String(required=True, description="PERSONAL or ORGANISATION.")
    organisation_id = graphene.ID(description="The organisation an ORGANISATION token acts for.")
    role = graphene.String(description="An ORGANISATION token's role; null for a personal one.")
    prefix = graphene.String(required=True, description="Shown to tell tokens apart.")
    created_at = graphene.DateTime(required=True, description="When it was issued.")
    expires_at = graphene.DateTime(required=True, description="When it stops working.")
    revoked_at = graphene.DateTime(description="When it was revoked.")
    last_used_at = graphene.DateTime(description="When it was last used (to the minute).")

    @staticmethod
    def resolve_role(root: ApiTokenModel, info: graphene.ResolveInfo) -> Any:
        return root.role or None  # personal tokens keep no role: "" in the table


class Member(graphene.ObjectType):
    """A user with roles in your organisation."""

    user_id = graphene.ID(required=True, description="The user's id.")
    username = graphene.String(required=True, description="Their sign-in name.")
    email = graphene.String(required=True, description="Their e-mail address.")
    roles = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Their roles in your organisation.",
    )
    active = graphene.Boolean(required=True, description="False once deactivated.")
    second_factor = graphene.Boolean(
        required=True, description="Has an authenticator app or a security key."
    )
    last_login = graphene.DateTime(description="When they last signed in.")


class MemberInvitation(graphene.ObjectType):
    """An e-mailed invitation to join your organisation with a role."""

    id = graphene.ID(required=True, description="The invitation's id.")
    email = graphene.String(required=True, description="Where it was sent.")
    role = graphene.String(required=True, description="The role it gives.")
    created_at = graphene.DateTime(required=True, description="When it was sent.")
    expires_at = graphene.DateTime(required=True, description="When the link stops working.")
    revoked_at = graphene.DateTime(description="When it was withdrawn.")
