"""The pathways domain's part of the root schema: the questions (routes, coverage, flows,
the network map, recommend) and the one write, a murmur heard (recordConcernSignal)."""

import graphene

from schema.pathways.mutations.concern_signal import ConcernSignalRecord
from schema.pathways.queries import PathwayQueries
from schema.pathways.recommend import RecommendQueries


class PathwayMutations(graphene.ObjectType):
    record_concern_signal = ConcernSignalRecord.Field()


__all__ = ("PathwayMutations", "PathwayQueries", "RecommendQueries")
