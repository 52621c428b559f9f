"""Declared permissions: every root field of Query and Mutation names who may call it.

The middleware checks the declaration before the resolver runs (no credentials →
UNAUTHENTICATED, wrong role → FORBIDDEN) and refuses any root field that has no
declaration, so a new operation cannot be forgotten. Object-level rules ("only for
your own organisation", "only your area") are applied by the services, which know
the records; `scope` names them here so the permission table (docs/) shows the whole rule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import graphene

from referral_hub.accounts.actor import Actor
from referral_hub.accounts.authentication import actor_for
from referral_hub.accounts.roles import Role
from referral_hub.core.errors import ErrorCode, PublicError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Permission:
    public: bool = False
    roles: frozenset[Role] | None = None  # None: anyone signed in
    scope: str = ""
    notes: str = field(default="", compare=False)

    def allows(self, actor: Actor) -> bool:
        return self.roles is None or actor.has_role(*self.roles)

    def describe(self) -> str:
        if self.public:
            return "anyone"
        who = "signed in" if self.roles is None else ", ".join(sorted(r.value for r in self.roles))
        return f"{who} ({self.scope})" if self.scope else who


PUBLIC = Permission(public=True)
SIGNED_IN = Permission()


def roles(*allowed: Role, scope: str = "") -> Permission:
    return Permission(roles=frozenset(allowed), scope=scope)


def current_actor(info: graphene.ResolveInfo) -> Actor | None:
    """The request's Actor, resolved once per request (a bad token raises UNAUTHENTICATED)."""
    request = info.context
    if not hasattr(request, "_hub_actor"):
        request._hub_actor = actor_for(request)
    return request._hub_actor


def require_actor(info: graphene.ResolveInfo) -> Actor:
    actor = current_actor(info)
    if actor is None:
        raise PublicError(ErrorCode.UNAUTHENTICATED, "Sign in or send a bearer token.")
    return actor


class PermissionMiddleware:
    def __init__(self, declarations: Mapping[str, Permission]) -> None:
        # Given by the caller (schema/permissions.DeclaredPermissions), since the
        # declarations module builds on this one.
        self.declarations = declarations

    def resolve(
        self, next_: Callable[..., Any], root: Any, info: graphene.ResolveInfo, **arguments: Any
    ) -> Any:
        # Root fields of Query and Mutation; introspection (__schema, __type, __typename) is
        # governed by GRAPHQL_INTROSPECTION in the validation rules instead.
        if info.path.prev is None and not info.field_name.startswith("__"):
            self.check(info)
        return next_(root, info, **arguments)

    def check(self, info: graphene.ResolveInfo) -> None:
        key = f"{info.parent_type.name}.{info.field_name}"
        permission = self.declarations.get(key)
        if permission is None:
            log.error("no permission declared for %s; refusing it", key)
            raise PublicError(ErrorCode.FORBIDDEN, "This operation is not available.")
        if permission.public:
            return
        actor = require_actor(info)
        if not permission.allows(actor):
            raise PublicError(
                ErrorCode.FORBIDDEN, f"{info.field_name} needs the role {permission.describe()}."
            )
