"""The root schema: each domain contributes its Query and Mutation classes."""

import graphene

from schema.directory.schema import DirectoryMutations, DirectoryQueries
from schema.health.schema import HealthQueries


class Query(DirectoryQueries, HealthQueries, graphene.ObjectType):
    pass


class Mutation(DirectoryMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
