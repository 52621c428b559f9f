from __future__ import annotations

from typing import Any

import graphene

# Named apart from the `health` field below, which a class body would see instead.
from referral_hub.core import health as health_checks
from schema.core.selection import selected_fields


class Neo4jHealth(graphene.ObjectType):
    reachable = graphene.Boolean(required=True)
    version = graphene.String(description="Server version, e.g. 5.26.30.")
    edition = graphene.String(description="community or enterprise.")


class Health(graphene.ObjectType):
    ok = graphene.Boolean(
        required=True,
        description="Neo4j and Redis answer, and a worker too when `celery` is selected.",
    )
    neo4j = graphene.Field(Neo4jHealth, required=True)
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


class HealthQueries(graphene.ObjectType):
    health = graphene.Field(graphene.NonNull(Health))

    @staticmethod
    def resolve_health(root: Any, info: graphene.ResolveInfo) -> health_checks.Health:
        # Celery is asked only when the client selected the field: its ping waits a second.
        return health_checks.check_all(include_celery="celery" in selected_fields(info))
