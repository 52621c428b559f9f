"""auditEvents, verifyAuditLog, disclosureRecord: for auditors of an area. Each read is
itself audited, in its own transaction (referral_hub/core/audit_reads.py)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import graphene

from referral_hub.core import audit_reads
from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.core.validation import enum_value
from schema.audit.inputs import AuditFilterInput
from schema.audit.types import AuditEventConnection, AuditVerification, DisclosureRecord
from schema.core.pagination import connection_from, page_request
from schema.core.permissions import require_actor


class AuditQueries(graphene.ObjectType):
    audit_events = graphene.Field(
        graphene.NonNull(AuditEventConnection),
        filter=AuditFilterInput(description="Which events; every filter given must hold."),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description="Newest first, limited to the auditor's area. The read is itself audited.",
    )
    verify_audit_log = graphene.Field(
        graphene.NonNull(AuditVerification),
        description="Checks every hash chain of the auditor's area from its start and names "
        "the first broken link of each broken chain. The check is itself audited.",
    )
    disclosure_record = graphene.Field(
        graphene.NonNull(DisclosureRecord),
        subject_id=graphene.ID(required=True, description="The subject's pseudonymous id."),
        description="A subject's 第三者提供記録 (APPI art. 29): every event of its audit "
        "chain and every consent it gave, in one statement. The read is itself audited.",
    )

    @staticmethod
    def resolve_audit_events(
        root: Any,
        info: graphene.ResolveInfo,
        filter: dict | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Any:
        actor = require_actor(info)
        criteria = filter or {}
        request = page_request(first, after, sort="AT")
        basis = criteria.get("legal_basis")
        page = audit_reads.audit_events(
            actor,
            page=request,
            criteria=audit_reads.AuditCriteria(
                action=criteria.get("action"),
                target_type=criteria.get("target_type"),
                target_id=criteria.get("target_id"),
                organisation_id=criteria.get("organisation_id"),
                actor_user=criteria.get("actor_user"),
                legal_basis=None if basis is None else str(enum_value(basis)),
                statutory_only=bool(criteria.get("statutory_only")),
                since=_iso(criteria.get("since"), "since"),
                until=_iso(criteria.get("until"), "until"),
            ),
        )
        return connection_from(AuditEventConnection, page, request=request, sort="AT")

    @staticmethod
    def resolve_verify_audit_log(root: Any, info: graphene.ResolveInfo) -> Any:
        return audit_reads.verify_area(require_actor(info))

    @staticmethod
    def resolve_disclosure_record(root: Any, info: graphene.ResolveInfo, subject_id: str) -> Any:
        return audit_reads.disclosure_record(require_actor(info), subject_id)


def _iso(value: Any, field: str) -> str | None:
    if value is None:
        return None
    try:
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    except OverflowError:  # a moment at the edge of year 1 or 9999 has no UTC time
        raise PublicError(
            ErrorCode.OUT_OF_RANGE, f"{field} is outside the dates the log holds.", field=field
        ) from None
