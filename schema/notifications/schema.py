"""The notifications domain's part of the root schema: an ORG_ADMIN's view of them."""

import graphene

from schema.notifications.mutations.webhook import RegisterWebhook
from schema.notifications.queries import NotificationQueries


class NotificationMutations(graphene.ObjectType):
    register_webhook = RegisterWebhook.Field()


__all__ = ("NotificationMutations", "NotificationQueries")
