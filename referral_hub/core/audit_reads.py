"""What auditors ask of the audit log: a filtered page of it, the verification of their
area's chains, and one subject's disclosure record. Each is scoped to the auditor's area
and is itself audited in the transaction that reads (graph/audit_log.py, graph/disclosure_repo.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from graph import audit_log, disclosure_repo
from graph.listing import Page, PageRequest
from referral_hub.accounts.actor import Actor
from referral_hub.core import checkpoints
from referral_hub.core.audit import audit_record, auditor_area_codes
from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.core.validation import USERNAME_MAX, checked_uuid


@dataclass(frozen=True)
class AuditCriteria:
    """The audit explorer's filter; None is "any"."""

    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    organisation_id: str | None = None
    actor_user: str | None = None
    legal_basis: str | None = None
    statutory_only: bool = False
    since: str | None = None  # UTC ISO 8601, inclusive
    until: str | None = None  # UTC ISO 8601, exclusive


def audit_events(actor: Actor, *, page: PageRequest, criteria: AuditCriteria) -> Page:
    user = criteria.actor_user
    if user is not None and not (0 < len(user) <= USERNAME_MAX and user.isprintable()):
        # Refused before the read, so nothing is written for it either.
        raise PublicError(
            ErrorCode.INVALID,
            f"actorUser is a username: 1 to {USERNAME_MAX} printable characters.",
            field="actorUser",
        )
    return audit_log.audit_list(
        page=page,
        reader=audit_record(actor, "AUDIT_LOG_READ", "AuditLog", None),
        area_codes=auditor_area_codes(actor),
        action=criteria.action,
        target_type=criteria.target_type,
        target_id=criteria.target_id,
        organisation=criteria.organisation_id,
        actor_user=criteria.actor_user,
        legal_basis=criteria.legal_basis,
        statutory_only=criteria.statutory_only or None,
        since=criteria.since,
        until=criteria.until,
    )


def verify_area(actor: Actor) -> audit_log.AreaVerification:
    """The area's chains, then the signed checkpoints: every one's signature and sequence,
    and the heads they vouched for of the area's chains and of every writer chain (writer
    keys name no one, and a writer chain deleted whole has no event left to place it in
    an area). A system administrator checks every head."""
    areas = auditor_area_codes(actor)
    result = audit_log.verify_area(
        area_codes=areas, reader=audit_record(actor, "AUDIT_VERIFY", "AuditLog", None)
    )
    signed = checkpoints.verify_checkpoints(
        include=lambda key: areas is None or key in result.keys or key.startswith("writer:")
    )
    return replace(result, broken=result.broken + signed.broken)


def disclosure_record(actor: Actor, subject_id: str) -> dict[str, Any]:
    """NOT_FOUND alike for a subject that does not exist and one registered outside the
    auditor's area, so the answer says nothing about other areas' subjects."""
    subject_id = checked_uuid(subject_id, "subjectId")  # nothing is asked of the graph else
    record = disclosure_repo.disclosure_record(
        subject_id=subject_id,
        every_area=actor.is_system_admin,
        reader=audit_record(actor, "DISCLOSURE_RECORD_READ", "Subject", subject_id),
    )
    if record is None:
        raise PublicError(
            ErrorCode.NOT_FOUND, "No subject with this id in your area.", field="subjectId"
        )
    return record


def subject_reads(event: dict[str, Any]) -> list[dict[str, Any]]:
    """Each subject an event names with its own basis and consent: from the aligned lists
    of a page read, else the event's own basis (events before 0.3: the subject chain's)."""
    subjects = event.get("subjects")
    if subjects is None:
        chain = str(event.get("chain") or "")
        if not chain.startswith("subject:"):
            return []
        subjects = [chain.removeprefix("subject:")]
    bases = event.get("subjectBases")
    consents = event.get("subjectConsents")
    return [
        {
            "subjectId": subject,
            "legalBasis": (bases[i] or None) if bases else event.get("legalBasis"),
            "consentId": (consents[i] or None) if consents else event.get("consentId"),
        }
        for i, subject in enumerate(subjects)
    ]
