from schema.core.errors import errors_field
from schema.core.mutations import DomainMutation
from schema.subjects.types import SubjectError


class SubjectMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = SubjectError
    errors = errors_field(SubjectError)
