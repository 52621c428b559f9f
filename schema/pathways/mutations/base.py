from schema.core.errors import errors_field
from schema.core.mutations import DomainMutation
from schema.pathways.types import PathwayError


class PathwayMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = PathwayError
    errors = errors_field(PathwayError)
