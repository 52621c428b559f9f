"""Notification deliveries as an organisation's admin sees them."""

import graphene

from schema.core.errors import domain_error

NotificationError = domain_error("NotificationError", "notifications")


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
