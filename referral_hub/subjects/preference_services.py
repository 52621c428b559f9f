"""setSubjectPreference and liftSubjectPreference (readers open them: preference_reads.py).

The registering organisation's counsellor records the subject's own choices with them
(referral_hub/subjects/preferences.py checks them); what the subject does not want
mentioned is about them, so it is sealed with the subject's key like the summary and
goes with it on erasure. Each change is audited in its transaction (PREFERENCE_SET,
PREFERENCE_LIFT); the history is kept.
"""

from __future__ import annotations

import uuid
from typing import Any

from graph import preference_repo
from graph.audit_log import AuditRecord
from referral_hub.accounts.actor import Actor
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, ValidationFailed
from referral_hub.core.validation import checked_uuid
from referral_hub.subjects import crypto, keys
from referral_hub.subjects.preference_reads import opened
from referral_hub.subjects.preferences import PreferenceTerms, preference_errors
from referral_hub.subjects.services import today

_NOT_FOUND = "No subject registered by your organisation."


def _own_subject(actor: Actor, subject_id: Any) -> tuple[str, dict[str, Any]]:
    key = checked_uuid(subject_id, "subjectId")
    row = preference_repo.own_subject(subject_id=key, organisation_id=actor.organisation_id or "")
    if row is None:
        raise ValidationFailed.one("subjectId", ErrorCode.NOT_FOUND, _NOT_FOUND)
    if row["erased"] or row["blob"] is None:
        raise ValidationFailed.one(
            "subjectId", ErrorCode.SUBJECT_ERASED, "This subject was erased."
        )
    return key, row


def _audit(actor: Actor, action: str, preference_id: str | None, subject_id: str) -> AuditRecord:
    return audit_record(
        actor,
        action,
        "SubjectPreference",
        preference_id,
        subjects=[subject_id],
        # The registering organisation writes its own record of what the subject said.
        legal_basis="OWN_RECORD",
    )


def preference_set(*, actor: Actor, subject_id: Any, terms: PreferenceTerms) -> dict[str, Any]:
    """Record the subject's preference; the active one (if any) is LIFTED by it."""
    key, row = _own_subject(actor, subject_id)
    checked, errors = preference_errors(terms, birth_year=int(row["birth_year"]), today=today())
    if errors or checked is None:
        raise ValidationFailed(errors)
    sealed = None
    if checked.avoid_mentioning:
        data_key = keys.data_key(row["master_key_id"], row["blob"], subject_id=key)
        sealed = crypto.seal(
            {"avoidMentioning": checked.avoid_mentioning}, data_key, subject_id=key
        )
    preference_id = str(uuid.uuid4())
    written = preference_repo.preference_set(
        subject_id=key,
        organisation_id=actor.organisation_id or "",
        fields={
            "id": preference_id,
            "do_not_refer": checked.do_not_refer,
            "exchange_only": checked.exchange_only,
            "no_contact_before": None
            if checked.no_contact_before is None
            else checked.no_contact_before.isoformat(),
            "contact_route": None if checked.contact_route is None else checked.contact_route.value,
            "avoid_mentioning_sealed": sealed,
            "given_by": checked.given_by.value,
            "recorded_by": actor.username,
        },
        audit=_audit(actor, "PREFERENCE_SET", preference_id, key),
    )
    if written is None:  # erased or re-registered between the read and the write
        raise ValidationFailed.one("subjectId", ErrorCode.NOT_FOUND, _NOT_FOUND)
    return opened(
        written["preference"],
        master_key_id=row["master_key_id"],
        blob=row["blob"],
        subject_id=key,
    )


def preference_lift(*, actor: Actor, subject_id: Any) -> dict[str, Any]:
    """Lift the subject's active preference: from now on nothing of it limits referrals."""
    key, row = _own_subject(actor, subject_id)
    lifted = preference_repo.preference_lift(
        subject_id=key,
        organisation_id=actor.organisation_id or "",
        lifted_by=actor.username,
        audit=_audit(actor, "PREFERENCE_LIFT", None, key),
    )
    if lifted is None:
        raise ValidationFailed.one(
            "subjectId", ErrorCode.NOT_FOUND, "The subject has no active preference to lift."
        )
    return opened(lifted, master_key_id=row["master_key_id"], blob=row["blob"], subject_id=key)
