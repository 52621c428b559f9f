from schema.core.errors import errors_field
from schema.core.mutations import DomainMutation
from schema.meetings.types import SupportMeetingError


class MeetingMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = SupportMeetingError
    errors = errors_field(SupportMeetingError)
