"""health: whether Neo4j, Redis and (when selected) a worker answer."""

from __future__ import annotations

from typing import Any

import graphene

# Named apart from the `health` field below, which a class body would see instead.
from referral_hub.core import health as health_checks
from schema.core.selection import selected_fields
from schema.health.types import Health


class HealthQueries(graphene.ObjectType):
    health = graphene.Field(
        graphene.NonNull(Health), description="Whether the hub's services answer. Public."
    )

    @staticmethod
    def resolve_health(root: Any, info: graphene.ResolveInfo) -> health_checks.Health:
        # Celery is asked only when the client selected the field: its ping waits a second.
        return health_checks.check_all(include_celery="celery" in selected_fields(info))
