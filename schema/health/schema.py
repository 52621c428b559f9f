"""The health check's part of the root schema."""

from schema.health.queries import HealthQueries

__all__ = ("HealthQueries",)
