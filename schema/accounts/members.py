"""members, memberInvitations, inviteMember, revokeMemberInvitation, resetMemberFactors,
removeMember, setMemberRoles: an organisation's admin runs its members
(referral_hub/accounts/members.py)."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.accounts import members
from referral_hub.accounts.models import Invitation
from schema.accounts.schema import AccountMutation
from schema.core.permissions import require_actor


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


def _member(member: members.Member) -> Member:
    return Member(
        user_id=member.user_id,
        username=member.username,
        email=member.email,
        roles=list(member.roles),
        active=member.active,
        second_factor=member.second_factor,
        last_login=member.last_login,
    )


def _invitation(invitation: Invitation) -> MemberInvitation:
    return MemberInvitation(
        id=invitation.pk,
        email=invitation.email,
        role=invitation.role,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        revoked_at=invitation.revoked_at,
    )


class MemberQueries(graphene.ObjectType):
    members = graphene.List(graphene.NonNull(Member), required=True)
    member_invitations = graphene.List(
        graphene.NonNull(MemberInvitation),
        required=True,
        description="Invitations not yet accepted, withdrawn or expired.",
    )

    @staticmethod
    def resolve_members(root: Any, info: graphene.ResolveInfo) -> list[Member]:
        return [_member(m) for m in members.members(actor=require_actor(info))]

    @staticmethod
    def resolve_member_invitations(root: Any, info: graphene.ResolveInfo) -> list[MemberInvitation]:
        return [_invitation(i) for i in members.invitations_pending(actor=require_actor(info))]


class InviteMember(AccountMutation):
    """E-mail a single-use link (valid HUB_INVITATION_HOURS) to join with `role`."""

    class Arguments:
        email = graphene.String(required=True)
        role = graphene.String(required=True)

    invitation = graphene.Field(MemberInvitation)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, email: str, role: str) -> dict[str, Any]:
        invitation = members.invite(actor=require_actor(info), email=email, role=role)
        return {"invitation": _invitation(invitation)}


class RevokeMemberInvitation(AccountMutation):
    class Arguments:
        id = graphene.ID(required=True)

    invitation = graphene.Field(MemberInvitation)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        invitation = members.revoke_invitation(actor=require_actor(info), invitation_id=id)
        return {"invitation": _invitation(invitation)}


class ResetMemberFactors(AccountMutation):
    """Remove a member's second factors and end their sessions; they enrol anew."""

    class Arguments:
        user_id = graphene.ID(required=True)

    removed = graphene.Int(description="How many factors were removed.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, user_id: str) -> dict[str, Any]:
        return {"removed": members.reset_factors(actor=require_actor(info), user_id=user_id)}


class RemoveMember(AccountMutation):
    """Take a member's roles here away, end their sessions, revoke the tokens they issued
    here; someone left with no organisation is deactivated."""

    class Arguments:
        user_id = graphene.ID(required=True)

    deactivated = graphene.Boolean()

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, user_id: str) -> dict[str, Any]:
        return {"deactivated": members.remove(actor=require_actor(info), user_id=user_id)}


class SetMemberRoles(AccountMutation):
    """Give a member exactly these roles in your organisation (from their next request)."""

    class Arguments:
        user_id = graphene.ID(required=True)
        roles = graphene.List(
            graphene.NonNull(graphene.String),
            required=True,
            description="COUNSELLOR, CASEWORKER, COORDINATOR, AUDITOR, ORG_ADMIN; at least one.",
        )

    member = graphene.Field(Member)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, user_id: str, roles: list[str]) -> dict[str, Any]:
        member = members.set_roles(actor=require_actor(info), user_id=user_id, roles=roles)
        return {"member": _member(member)}


class MemberMutations(graphene.ObjectType):
    invite_member = InviteMember.Field()
    revoke_member_invitation = RevokeMemberInvitation.Field()
    reset_member_factors = ResetMemberFactors.Field()
    remove_member = RemoveMember.Field()
    set_member_roles = SetMemberRoles.Field()
