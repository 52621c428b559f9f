"""Inbox, outbox and the auditors' review queue of statutory referrals."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from graph import referral_list_repo
from graph.listing import Page, PageRequest
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.reauthentication import require_recent_second_factor
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record, auditor_area_codes
from referral_hub.core.errors import ErrorCode, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid
from referral_hub.subjects import crypto, keys

REVIEW_NOTE_MAX = 2000


class Box(StrEnum):
    INBOX = "INBOX"
    OUTBOX = "OUTBOX"


class ReviewFinding(StrEnum):
    APPROPRIATE = "APPROPRIATE"
    INAPPROPRIATE = "INAPPROPRIATE"  # the auditor follows it up outside the system


def initials(name_kana: str | None, name: str | None) -> str | None:
    """The first letter of each part of the name, kana preferred: 「やまだ たろう」→ や.た."""
    source = (name_kana or name or "").replace("\u3000", " ").split()
    return "".join(part[0] + "." for part in source) or None


# What an inbox or outbox row shows of its subject, where the reader has a basis.
BOX_FIELDS = ("initials", "lastEventNote")


def referral_box(
    *,
    actor: Actor,
    box: Box,
    page: PageRequest,
    state: str | None = None,
    urgency: str | None = None,
    overdue: bool | None = None,
) -> Page:
    if not actor.organisation_id:
        raise PublicError(ErrorCode.FORBIDDEN, "Inboxes and outboxes belong to organisations.")
    result = referral_list_repo.referral_box(
        box=box.value,
        reader=actor.organisation_id,
        page=page,
        state=state,
        urgency=urgency,
        overdue=overdue,
        audit=audit_record(
            actor,
            f"REFERRAL_{box.value}_READ",
            "Subject",
            None,
            purpose="REFERRAL",
            categories=["CONTACT"],
            fields=BOX_FIELDS,
        ),
    )
    for item in result.items:
        personal, note = _opened(item, "subject_sealed", "last_event")
        item["subject_initials"] = initials(personal.get("nameKana"), personal.get("name"))
        if item.get("last_event"):
            item["last_event"]["note"] = note.get("note")
    return result


def _opened(
    item: dict[str, Any], sealed_field: str, event_field: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The item's sealed data and its event's sealed note, opened with the subject's key
    (all three removed from the item); empty where the statement returned none (no
    basis) or the key is erased."""
    sealed, wrapped = item.pop(sealed_field, None), item.pop("subject_key", None)
    event = item.get(event_field) if event_field else None
    note = event.pop("note_sealed", None) if event else None
    if not wrapped:
        return {}, {}
    key = keys.data_key(wrapped["masterKeyId"], wrapped["blob"], subject_id=item["subject_id"])
    return (
        crypto.open_sealed(sealed, key, subject_id=item["subject_id"]) if sealed else {},
        crypto.open_sealed(note, key, subject_id=item["subject_id"]) if note else {},
    )


def _require_auditor(actor: Actor) -> None:
    if not actor.has_role(Role.AUDITOR):  # SYSTEM_ADMIN holds every role
        raise PublicError(ErrorCode.FORBIDDEN, "The review queue is for auditors.")


def referral_box_count(
    *,
    actor: Actor,
    box: Box,
    state: str | None = None,
    urgency: str | None = None,
    overdue: bool | None = None,
) -> int:
    """How many referrals the box holds under these filters: a count, no subject read."""
    if not actor.organisation_id:
        raise PublicError(ErrorCode.FORBIDDEN, "Inboxes and outboxes belong to organisations.")
    return referral_list_repo.referral_box_count(
        box=box.value, reader=actor.organisation_id, state=state, urgency=urgency, overdue=overdue
    )


def review_queue_count(*, actor: Actor, reviewed: bool | None = None) -> int:
    """How many statutory referrals the auditor's queue holds: a count, no subject read."""
    _require_auditor(actor)
    return referral_list_repo.review_queue_count(
        reader=actor.organisation_id or "",
        area_codes=auditor_area_codes(actor),
        reviewed=reviewed,
    )


def review_queue(*, actor: Actor, page: PageRequest, reviewed: bool | None = None) -> Page:
    """Statutory referrals in the auditor's areas, with their justifications."""
    _require_auditor(actor)
    result = referral_list_repo.review_queue(
        reader=actor.organisation_id or "",
        page=page,
        area_codes=auditor_area_codes(actor),
        reviewed=reviewed,
        audit=audit_record(
            actor,
            "STATUTORY_REVIEW_READ",
            "Subject",
            None,
            purpose="AUDIT",
            fields=["justification"],
        ),
    )
    for item in result.items:
        item["justification"] = _opened(item, "justification_sealed")[0].get("justification")
    return result


def review_record(
    *, actor: Actor, referral_id: str, finding: ReviewFinding, note: str | None = None
) -> dict[str, Any]:
    _require_auditor(actor)
    key = checked_uuid(referral_id, "id")
    text = (note or "").strip() or None
    if finding == ReviewFinding.INAPPROPRIATE and not text:
        raise ValidationFailed.one(
            "note", ErrorCode.REQUIRED, "Say why the basis was not appropriate."
        )
    if text and len(text) > REVIEW_NOTE_MAX:
        raise ValidationFailed.one(
            "note", ErrorCode.TOO_LONG, f"note must be at most {REVIEW_NOTE_MAX} characters."
        )
    require_recent_second_factor(actor)  # a finding can block a statutory pathway
    row = referral_list_repo.review_record(
        referral_id=key,
        finding=finding.value,
        note=text,
        reviewer=actor.username,
        area_codes=auditor_area_codes(actor),
        audit_for=lambda row: audit_record(
            actor,
            "STATUTORY_REVIEW",
            "Referral",
            key,
            subjects=[row["subject_id"]],
            purpose="AUDIT",
            legal_basis=row["legal_basis"],
            statutory=True,
        ),
    )
    if row is None:
        raise ValidationFailed.one(
            "id", ErrorCode.NOT_FOUND, "No statutory referral in your areas."
        )
    return {"id": key, "review_state": finding.value}
