"""Check-ins after a connection (issue 20): recording an answer, the receiver's list.

Only the receiving organisation's caseworkers record, while they have a basis to see the
subject (the referral's consent, a statute in sight, or their own record): an answer
says something about the person, so it is written under the same rules as a handoff
note, sealed with the subject's key and audited in its transaction. A STOPPED answer is
announced to the sender (CHECK_IN_STOPPED), whose referral page then offers the next
best place (Referral.nextBest) under the same consent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph import check_in_repo, outbox_repo
from graph.listing import Page, PageRequest
from graph.referral_rows import ReferralRow
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.consent.legal_basis import is_statutory
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid
from referral_hub.notifications.messages import Kind
from referral_hub.notifications.relay import nudge
from referral_hub.referrals import check_ins
from referral_hub.referrals.services import referral_read
from referral_hub.subjects import crypto, keys


def _require_caseworker(actor: Actor) -> str:
    if not actor.organisation_id or not actor.has_role(Role.CASEWORKER):
        raise PublicError(
            ErrorCode.FORBIDDEN, "Check-ins are the receiving organisation's caseworkers'."
        )
    return actor.organisation_id


def _decision(
    answer: check_ins.Answer, note: str | None, actor: Actor
) -> Callable[[dict[str, Any] | None], dict[str, Any]]:
    def decide(row: dict[str, Any] | None) -> dict[str, Any]:
        # Anyone but the receiver (and the receiver of a draft) finds no referral.
        if row is None:
            raise ValidationFailed.one(
                "referralId", ErrorCode.NOT_FOUND, "No such referral among those you received."
            )
        if row["check_in_id"] is None:
            raise ValidationFailed.one(
                "checkInId", ErrorCode.NOT_FOUND, "No such check-in on this referral."
            )
        check_ins.recording_refusal({"state": row["state"]})
        if row["basis"] is None:
            raise PublicError(
                ErrorCode.CONSENT_REQUIRED,
                "The referral's consent or statutory basis no longer lets you record "
                "anything about this person.",
                field="referralId",
            )
        return {
            "answer": answer.value,
            "note_sealed": _sealed(note, row),
            "actor": actor.username,
            "organisation_id": actor.organisation_id,
        }

    return decide


def _sealed(note: str | None, row: dict[str, Any]) -> str | None:
    """Sealed with the subject's key like a handoff note; nothing once erased."""
    if not note or row["key"] is None:
        return None
    key = row["key"]
    data_key = keys.data_key(key["masterKeyId"], key["blob"], subject_id=row["subject_id"])
    return crypto.seal({"note": note}, data_key, subject_id=row["subject_id"])


def check_in_record(
    *,
    actor: Actor,
    referral_id: str,
    check_in_id: str | None = None,
    index: int | None = None,
    answer: str | None,
    note: str | None = None,
) -> ReferralRow:
    """Record one check-in's answer; the referral as its reader then sees it."""
    reader = _require_caseworker(actor)
    key = checked_uuid(referral_id, "referralId")
    check_in_key = None if check_in_id is None else checked_uuid(check_in_id, "checkInId")
    chosen = check_ins.validated(check_in_id=check_in_key, index=index, answer=answer, note=note)
    recorded = check_in_repo.check_in_record(
        referral_id=key,
        reader=reader,
        check_in_id=check_in_key,
        index=index,
        decide=_decision(chosen, note, actor),
        audit_for=lambda row: audit_record(
            actor,
            "CHECK_IN_RECORD",
            "Referral",
            key,
            subjects=[row["subject_id"]],
            purpose="REFERRAL",
            legal_basis=row["basis"],
            statutory=is_statutory(row["basis"]),
            categories=row["categories"],
            fields=("checkIn",),
        ),
        announce=lambda row: (
            [
                outbox_repo.check_in_entry(
                    Kind.CHECK_IN_STOPPED.value, key, row["version"], row["index"]
                )
            ]
            if chosen in check_ins.NOTIFIES_SENDER
            else []
        ),
    )
    if chosen in check_ins.NOTIFIES_SENDER and recorded:
        nudge()
    return referral_read(actor=actor, referral_id=key)


def check_in_list(*, actor: Actor, page: PageRequest, overdue: bool | None = None) -> Page:
    """The reader's organisation's check-ins whose day has come, unanswered, oldest first.
    No subject data (so nothing to audit): the referral's page is the audited read."""
    reader = _require_caseworker(actor)
    return check_in_repo.check_in_page(reader=reader, page=page, overdue=overdue)
