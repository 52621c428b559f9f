"""The pathways domain's part of the root schema (all queries: it changes nothing)."""

from schema.pathways.queries import PathwayQueries
from schema.pathways.recommend import RecommendQueries

__all__ = ("PathwayQueries", "RecommendQueries")
