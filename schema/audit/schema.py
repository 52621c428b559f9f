"""The audit domain's root fields (see queries.py)."""

from schema.audit.queries import AuditQueries

__all__ = ["AuditQueries"]
