from schema.core.errors import errors_field
from schema.core.mutations import DomainMutation
from schema.notifications.types import NotificationError


class NotificationMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = NotificationError
    errors = errors_field(NotificationError)
