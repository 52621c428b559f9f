"""auditEvents: the hash-chained access log, for auditors of an area. Reading it is audited."""

from __future__ import annotations

from typing import Any

import graphene

from graph import audit as audit_repo
from referral_hub.core.audit import audit_record, auditor_area_codes
from referral_hub.core.errors import ErrorCode, PublicError
from schema.core.pagination import connection_from, page_request
from schema.core.permissions import require_actor


class AuditEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    chain = graphene.String(required=True)
    seq = graphene.Int(required=True)
    at = graphene.String(required=True, description="UTC, ISO 8601 with microseconds.")
    action = graphene.String(required=True)
    target_type = graphene.String(required=True)
    target_id = graphene.String()
    actor_user = graphene.String(required=True)
    actor_organisation = graphene.ID()
    actor_role = graphene.String()
    purpose = graphene.String()
    legal_basis = graphene.String(
        description="What the action rested on: OWN_RECORD, CONSENT, a STATUTORY_ basis, "
        "or null (maintenance, a refused read)."
    )
    statutory = graphene.Boolean(required=True)
    consent_id = graphene.ID(description="The consent a CONSENT basis rested on.")
    categories = graphene.List(
        graphene.NonNull(graphene.String),
        description="The data categories a read of personal data was checked for.",
    )
    fields = graphene.List(
        graphene.NonNull(graphene.String),
        description="The personal fields the read returned (empty when refused).",
    )
    request_id = graphene.String()
    client_address = graphene.String()
    area_code = graphene.String()
    prev_hash = graphene.String(required=True)
    hash = graphene.String(required=True)


for _field in (
    "target_type",
    "target_id",
    "actor_user",
    "actor_organisation",
    "actor_role",
    "legal_basis",
    "consent_id",
    "request_id",
    "client_address",
    "area_code",
    "prev_hash",
):
    head, *rest = _field.split("_")
    camel = head + "".join(part.title() for part in rest)
    setattr(
        AuditEvent, f"resolve_{_field}", staticmethod(lambda root, info, _key=camel: root.get(_key))
    )


class AuditEventConnection(graphene.relay.Connection):
    class Meta:
        node = AuditEvent


class AuditFilterInput(graphene.InputObjectType):
    action = graphene.String()
    target_type = graphene.String()
    target_id = graphene.String()
    organisation_id = graphene.ID(description="Events of actors of this organisation.")
    since = graphene.DateTime()
    until = graphene.DateTime()


class AuditQueries(graphene.ObjectType):
    audit_events = graphene.Field(
        graphene.NonNull(AuditEventConnection),
        filter=AuditFilterInput(),
        first=graphene.Int(),
        after=graphene.String(),
        description="Newest first, limited to the auditor's area. The read is itself audited.",
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
        page = audit_repo.audit_list(
            page=request,
            reader=audit_record(actor, "AUDIT_LOG_READ", "AuditLog", None),
            area_codes=auditor_area_codes(actor),
            action=criteria.get("action"),
            target_type=criteria.get("target_type"),
            target_id=criteria.get("target_id"),
            organisation=criteria.get("organisation_id"),
            since=_iso(criteria.get("since"), "since"),
            until=_iso(criteria.get("until"), "until"),
        )
        return connection_from(AuditEventConnection, page, request=request, sort="AT")


def _iso(value: Any, field: str) -> str | None:
    from datetime import UTC

    if value is None:
        return None
    try:
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    except OverflowError:  # a moment at the edge of year 1 or 9999 has no UTC time
        raise PublicError(
            ErrorCode.OUT_OF_RANGE, f"{field} is outside the dates the log holds.", field=field
        ) from None
