"""issueApiToken and revokeApiToken."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.accounts import services
from referral_hub.core.validation import enum_value, row_id
from schema.accounts.mutations.base import AccountMutation
from schema.accounts.types import ApiToken, ApiTokenKind
from schema.core.permissions import require_actor


class ApiTokenIssue(AccountMutation):
    """Issue a token. The token string is in this answer only; it is never shown again."""

    class Arguments:
        name = graphene.String(
            required=True, description="What the token is for, to tell it apart."
        )
        kind = ApiTokenKind(
            required=True, description="PERSONAL (acts as you) or ORGANISATION (a machine token)."
        )
        role = graphene.String(
            description="ORGANISATION tokens: COUNSELLOR, CASEWORKER or COORDINATOR."
        )
        days = graphene.Int(default_value=90, description="Validity, 1 to 366 days.")

    token = graphene.String(
        description="The token string: send it as `Authorization: Bearer …`. Shown only here."
    )
    api_token = graphene.Field(ApiToken, description="The token's record.")

    @classmethod
    def perform(
        cls,
        info: graphene.ResolveInfo,
        name: str,
        kind: Any,
        days: int = 90,
        role: str | None = None,
    ) -> dict[str, Any]:
        token, record = services.token_issue(
            actor=require_actor(info),
            name=name,
            kind=enum_value(kind),
            role=role,
            days=days,
        )
        return {"token": token, "api_token": record}


class ApiTokenRevoke(AccountMutation):
    """Revoke a token at once: it stops working from the next request."""

    class Arguments:
        id = graphene.ID(required=True, description="The token's id.")

    api_token = graphene.Field(ApiToken, description="The token revoked.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        token_id = row_id(id)
        return {"api_token": services.token_revoke(actor=require_actor(info), token_id=token_id)}
