import graphene

from schema.directory.mutations.organisation_create import OrganisationCreate
from schema.directory.queries import DirectoryQueries


class DirectoryMutations(graphene.ObjectType):
    create_organisation = OrganisationCreate.Field()


__all__ = ("DirectoryMutations", "DirectoryQueries")
