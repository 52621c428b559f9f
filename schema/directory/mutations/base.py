import graphene

from schema.core.mutations import DomainMutation
from schema.directory.types import DirectoryError


class DirectoryMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = DirectoryError
    errors = graphene.List(graphene.NonNull(DirectoryError), required=True)
