"""me, apiTokens, issueApiToken, revokeApiToken."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.accounts import services
from referral_hub.accounts.models import ApiToken as ApiTokenModel
from referral_hub.core.validation import enum_value, row_id
from schema.core.errors import Error, ErrorCodeEnum
from schema.core.mutations import DomainMutation
from schema.core.permissions import require_actor


class AccountError(graphene.ObjectType):
    class Meta:
        interfaces = (Error,)

    code = graphene.Field(ErrorCodeEnum, required=True)


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


def _token(record: ApiTokenModel) -> ApiToken:
    return ApiToken(
        id=record.pk,
        name=record.name,
        kind=record.kind,
        organisation_id=record.organisation_id,
        role=record.role or None,
        prefix=record.prefix,
        created_at=record.created_at,
        expires_at=record.expires_at,
        revoked_at=record.revoked_at,
        last_used_at=record.last_used_at,
    )


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(graphene.NonNull(Me))
    api_tokens = graphene.List(graphene.NonNull(ApiToken), required=True)

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
    def resolve_api_tokens(root: Any, info: graphene.ResolveInfo) -> list[ApiToken]:
        return [_token(t) for t in services.tokens_visible_to(require_actor(info))]


class AccountMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = AccountError
    errors = graphene.List(graphene.NonNull(AccountError), required=True)


class ApiTokenIssue(AccountMutation):
    """Issue a token. The token string is in this answer only; it is never shown again."""

    class Arguments:
        name = graphene.String(required=True)
        kind = ApiTokenKind(required=True)
        role = graphene.String(
            description="ORGANISATION tokens: COUNSELLOR, CASEWORKER or COORDINATOR."
        )
        days = graphene.Int(default_value=90, description="Validity, 1 to 366 days.")

    token = graphene.String()
    api_token = graphene.Field(ApiToken)

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
        return {"token": token, "api_token": _token(record)}


class ApiTokenRevoke(AccountMutation):
    class Arguments:
        id = graphene.ID(required=True)

    api_token = graphene.Field(ApiToken)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, id: str) -> dict[str, Any]:
        token_id = row_id(id)
        return {
            "api_token": _token(services.token_revoke(actor=require_actor(info), token_id=token_id))
        }


class AccountMutations(graphene.ObjectType):
    issue_api_token = ApiTokenIssue.Field()
    revoke_api_token = ApiTokenRevoke.Field()
