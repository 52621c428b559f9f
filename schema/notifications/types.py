"""Notification deliveries as an organisation's admin sees them."""

import graphene

from schema.core.errors import domain_error

NotificationError = domain_error("NotificationError", "notifications")


class NotificationDelivery(graphene.ObjectType):
    """A notification of a referral's step to your organisation, by e-mail or webhook, and how
    its delivery went."""

    id = graphene.ID(required=True, description="The notification's id.")
    kind = graphene.String(required=True, description="SENT, DECLINED, … REMIND, ESCALATE.")
    channel = graphene.String(description="EMAIL or WEBHOOK; none yet while WAITING.")
    recipient = graphene.String(description="None yet while WAITING.")
    referral_id = graphene.ID(required=True, description="The referral it is about.")
    status = graphene.String(
        required=True,
        description="WAITING (recorded with the write, not yet planned: the broker may be "
        "down), PENDING (planned; `attempts` so far), SENDING (an attempt in flight), "
        "DELIVERED or FAILED.",
    )
    attempts = graphene.Int(required=True, description="Delivery attempts so far.")
    last_error = graphene.String(description="Why the last attempt failed.")
    created_at = graphene.DateTime(required=True, description="When it was recorded.")
    delivered_at = graphene.DateTime(description="When it was delivered.")
