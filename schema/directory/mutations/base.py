from schema.core.errors import errors_field
from schema.core.mutations import DomainMutation
from schema.directory.types import DirectoryError


class DirectoryMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = DirectoryError
    errors = errors_field(DirectoryError)
