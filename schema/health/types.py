"""The hub's health as a client sees it."""

from __future__ import annotations

import graphene

# Named apart from fields called `health`, which a class body would see instead.
from referral_hub.core import health as health_checks


class Neo4jHealth(graphene.ObjectType):
    """Whether the graph database answers, and which it is."""

    reachable = graphene.Boolean(required=True, description="Neo4j answered a query.")
    version = graphene.String(description="Server version, e.g. 5.26.30.")
    edition = graphene.String(description="The edition: community or enterprise.")


class Health(graphene.ObjectType):
    """Whether the hub's services answer (public: no personal data)."""

    ok = graphene.Boolean(
        required=True,
        description="Neo4j and Redis answer, and a worker too when `celery` is selected.",
    )
    neo4j = graphene.Field(Neo4jHealth, required=True, description="The graph database.")
    redis = graphene.Boolean(required=True, description="The Celery broker answers a PING.")
    celery = graphene.Boolean(required=True, description="At least one worker answers a ping.")

    @staticmethod
    def resolve_ok(root: health_checks.Health, info: graphene.ResolveInfo) -> bool:
        return root.ok

    @staticmethod
    def resolve_neo4j(
        root: health_checks.Health, info: graphene.ResolveInfo
    ) -> health_checks.Neo4jHealth:
        return root.neo4j
