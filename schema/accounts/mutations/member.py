"""inviteMember, revokeMemberInvitation, resetMemberFactors, removeMember and
setMemberRoles: an organisation's admin runs its members (referral_hub/accounts/members.py)."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.accounts import members
from schema.accounts.mutations.base import AccountMutation
from schema.accounts.types import Member, MemberInvitation
from schema.core.permissions import require_actor


class InviteMember(AccountMutation):
    """E-mail a single-use link (valid HUB_INVITATION_HOURS) to join with `role`."""

    class Arguments:
        email = graphene.String(required=True, description="Where to send the invitation.")
        role = graphene.String(
            required=True,
            description="The role it gives: COUNSELLOR, CASEWORKER, COORDINATOR, AUDITOR or "
            "ORG_ADMIN.",
        )

    invitation = graphene.Field(MemberInvitation, description="The invitation sent.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, email: str, role: str) -> dict[str, Any]:
        invitation = members.invite(actor=require_actor(info), email=email, role=role)
        return {"invitation": invitation}


class RevokeMemberInvitation(AccountMutation):
    """Withdraw an invitation not yet accepted: its link stops working."""

    class Arguments:
        id = graphene.ID(required=True, description="The invitation's id.")

    invitation = graphene.Field(MemberInvitation, description="The invitation withdrawn.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        invitation = members.revoke_invitation(actor=require_actor(info), invitation_id=id)
        return {"invitation": invitation}


class ResetMemberFactors(AccountMutation):
    """Remove a member's second factors and end their sessions; they enrol anew."""

    class Arguments:
        user_id = graphene.ID(required=True, description="The member's user id.")

    removed = graphene.Int(description="How many factors were removed.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, user_id: str) -> dict[str, Any]:
        return {"removed": members.reset_factors(actor=require_actor(info), user_id=user_id)}


class RemoveMember(AccountMutation):
    """Take a member's roles here away, end their sessions, revoke the tokens they issued
    here; someone left with no organisation is deactivated."""

    class Arguments:
        user_id = graphene.ID(required=True, description="The member's user id.")

    deactivated = graphene.Boolean(
        description="True when they were left with no organisation and deactivated."
    )

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, user_id: str) -> dict[str, Any]:
        return {"deactivated": members.remove(actor=require_actor(info), user_id=user_id)}


class SetMemberRoles(AccountMutation):
    """Give a member exactly these roles in your organisation (from their next request)."""

    class Arguments:
        user_id = graphene.ID(required=True, description="The member's user id.")
        roles = graphene.List(
            graphene.NonNull(graphene.String),
            required=True,
            description="COUNSELLOR, CASEWORKER, COORDINATOR, AUDITOR, ORG_ADMIN; at least one.",
        )

    member = graphene.Field(Member, description="The member with the new roles.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, user_id: str, roles: list[str]) -> dict[str, Any]:
        member = members.set_roles(actor=require_actor(info), user_id=user_id, roles=roles)
        return {"member": member}
