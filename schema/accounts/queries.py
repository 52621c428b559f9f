"""me, apiTokens, members and memberInvitations."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.accounts import members, services
from referral_hub.accounts.members import Member as MemberRecord
from referral_hub.accounts.models import ApiToken as ApiTokenModel
from referral_hub.accounts.models import Invitation
from schema.accounts.types import ApiToken, Me, Member, MemberInvitation
from schema.core.permissions import require_actor


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(graphene.NonNull(Me), description="Who is calling, and in which roles.")
    api_tokens = graphene.List(
        graphene.NonNull(ApiToken),
        required=True,
        description="Your personal tokens; for an ORG_ADMIN, the organisation's tokens too.",
    )

    @staticmethod
    def resolve_me(root: Any, info: graphene.ResolveInfo) -> Me:
        actor = require_actor(info)
        return Me(
            username=actor.username,
            organisation_id=actor.organisation_id,
            roles=sorted(r.value for r in actor.roles),
            machine=actor.machine,
        )

    @staticmethod
    def resolve_api_tokens(root: Any, info: graphene.ResolveInfo) -> list[ApiTokenModel]:
        return list(services.tokens_visible_to(require_actor(info)))


class MemberQueries(graphene.ObjectType):
    members = graphene.List(
        graphene.NonNull(Member), required=True, description="Your organisation's members."
    )
    member_invitations = graphene.List(
        graphene.NonNull(MemberInvitation),
        required=True,
        description="Invitations not yet accepted, withdrawn or expired.",
    )

    @staticmethod
    def resolve_members(root: Any, info: graphene.ResolveInfo) -> list[MemberRecord]:
        return members.members(actor=require_actor(info))

    @staticmethod
    def resolve_member_invitations(root: Any, info: graphene.ResolveInfo) -> list[Invitation]:
        return list(members.invitations_pending(actor=require_actor(info)))
