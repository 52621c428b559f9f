"""notificationDeliveries."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.notifications import services
from schema.core.permissions import require_actor
from schema.notifications.types import NotificationDelivery


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
