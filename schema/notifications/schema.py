"""registerWebhook and notificationDeliveries: an ORG_ADMIN's view of its notifications."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.notifications import services
from schema.core.errors import Error, ErrorCodeEnum
from schema.core.mutations import DomainMutation
from schema.core.permissions import require_actor


class NotificationError(graphene.ObjectType):
    class Meta:
        interfaces = (Error,)

    code = graphene.Field(ErrorCodeEnum, required=True)


class NotificationDelivery(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True, description="SENT, DECLINED, … REMIND, ESCALATE.")
    channel = graphene.String(description="EMAIL or WEBHOOK; none yet while WAITING.")
    recipient = graphene.String(description="None yet while WAITING.")
    referral_id = graphene.ID(required=True)
    status = graphene.String(
        required=True,
        description="WAITING (recorded with the write, not yet planned: the broker may be "
        "down), PENDING (planned; `attempts` so far), SENDING (an attempt in flight), "
        "DELIVERED or FAILED.",
    )
    attempts = graphene.Int(required=True)
    last_error = graphene.String()
    created_at = graphene.DateTime(required=True)
    delivered_at = graphene.DateTime()


class RegisterWebhook(DomainMutation):
    """Register (or replace) your organisation's webhook. The signing secret is in this
    answer only: store it. Bodies are signed as X-Tsunagari-Signature (see README)."""

    class Arguments:
        url = graphene.String(required=True)

    error_type = NotificationError
    errors = graphene.List(graphene.NonNull(NotificationError), required=True)
    url = graphene.String()
    secret = graphene.String()

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, url: str) -> dict[str, Any]:
        return services.webhook_register(actor=require_actor(info), url=url)


class NotificationQueries(graphene.ObjectType):
    notification_deliveries = graphene.List(
        graphene.NonNull(NotificationDelivery),
        required=True,
        description="Your organisation's latest 50 notifications, newest first: those still "
        "WAITING in the outbox, then the deliveries.",
    )

    @staticmethod
    def resolve_notification_deliveries(root: Any, info: graphene.ResolveInfo) -> list[Any]:
        return [
            NotificationDelivery(**row)
            for row in services.deliveries_list(actor=require_actor(info))
        ]


class NotificationMutations(graphene.ObjectType):
    register_webhook = RegisterWebhook.Field()
