"""The accounts domain's part of the root schema: tokens, and an organisation's members."""

import graphene

from schema.accounts.mutations.member import (
    InviteMember,
    RemoveMember,
    ResetMemberFactors,
    RevokeMemberInvitation,
    SetMemberRoles,
)
from schema.accounts.mutations.token import ApiTokenIssue, ApiTokenRevoke
from schema.accounts.queries import AccountQueries, MemberQueries


class AccountMutations(graphene.ObjectType):
    issue_api_token = ApiTokenIssue.Field()
    revoke_api_token = ApiTokenRevoke.Field()


class MemberMutations(graphene.ObjectType):
    invite_member = InviteMember.Field()
    revoke_member_invitation = RevokeMemberInvitation.Field()
    reset_member_factors = ResetMemberFactors.Field()
    remove_member = RemoveMember.Field()
    set_member_roles = SetMemberRoles.Field()


__all__ = ("AccountMutations", "AccountQueries", "MemberMutations", "MemberQueries")
