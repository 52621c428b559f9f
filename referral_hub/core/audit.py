"""Build audit records from the acting Actor; the graph writes them in the action's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from graph import organisation_repo
from graph.audit_log import AuditRecord
from referral_hub.accounts.actor import Actor
from referral_hub.directory import reference_data


def audit_record(
    actor: Actor,
    action: str,
    target_type: str,
    target_id: str | None,
    *,
    subjects: Sequence[str] | None = None,
    purpose: str | None = None,
    legal_basis: str | None = None,
    statutory: bool = False,
    consent_id: str | None = None,
    categories: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
) -> AuditRecord:
    """`categories` and `fields` say what a read of personal data covered and returned
    (sorted, so the same read always reads the same in the log). `subjects` names the
    subjects whose data the action touched: the event joins their history."""
    return AuditRecord(
        action=action,
        target_type=target_type,
        target_id=target_id,
        actor_user=actor.username,
        actor_user_id=actor.user_id,
        actor_organisation=actor.organisation_id,
        actor_role=actor.primary_role,
        purpose=purpose,
        legal_basis=legal_basis,
        statutory=statutory,
        request_id=actor.request_id,
        client_address=actor.client_address,
        consent_id=consent_id,
        categories=None if categories is None else tuple(sorted(categories)),
        fields=None if fields is None else tuple(sorted(fields)),
        subjects=None if subjects is None else tuple(sorted(set(subjects))),
    )


def auditor_area_codes(actor: Actor) -> list[str] | None:
    """The areas an auditor may read: its organisation's area and everything below it.

    None (every area) for SYSTEM_ADMIN; an empty list when the organisation has no area,
    so such an auditor sees nothing rather than everything.
    """
    if actor.is_system_admin:
        return None
    organisation = organisation_repo.organisations_by_ids([actor.organisation_id or ""]).get(
        actor.organisation_id or ""
    )
    area = (organisation or {}).get("area_code")
    return reference_data.area_codes_within(area) if area else []
