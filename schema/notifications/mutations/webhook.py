"""registerWebhook."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.notifications import services
from schema.core.permissions import require_actor
from schema.notifications.mutations.base import NotificationMutation


class RegisterWebhook(NotificationMutation):
    """Register (or replace) your organisation's webhook. The signing secret is in this
    answer only: store it. Bodies are signed as X-Tsunagari-Signature (see docs/operations.md)."""

    class Arguments:
        url = graphene.String(
            required=True, description="An https:// address that receives the notifications."
        )

    url = graphene.String(description="The address registered.")
    secret = graphene.String(description="The signing secret (HMAC-SHA256 key). Shown only here.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, url: str) -> dict[str, Any]:
        return services.webhook_register(actor=require_actor(info), url=url)
