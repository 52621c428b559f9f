"""Referral actions: create (under consent), move through the handoff table, read."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from graph import outbox_repo, referral_repo
from graph.audit_log import AuditRecord
from graph.referral_rows import ReferralRow
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.reauthentication import require_recent_second_factor
from referral_hub.accounts.roles import Role
from referral_hub.consent.legal_basis import (
    LegalBasis,
    basis_errors,
    is_statutory,
    statute_refusal,
)
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid, enum_value
from referral_hub.notifications.messages import Kind
from referral_hub.notifications.relay import nudge
from referral_hub.referrals import check_ins, deadlines, fhir, handoff
from referral_hub.referrals.requests import NewReferral
from referral_hub.referrals.rules import (
    Urgency,
    creation_refusal,
    deadline_hours,
    offer_refusal,
    purpose_errors,
)
from referral_hub.subjects import crypto, keys
from referral_hub.subjects.preference_reads import opened
from referral_hub.subjects.preferences import referral_verdict

SUMMARY_MAX = 2000


def _audit(
    actor: Actor,
    action: str,
    referral_id: str,
    subject_id: str,
    basis: str | None,
    **read: Any,
) -> AuditRecord:
    """Events about a referral chain on its subject, under the basis they rest on;
    `read` names the consent, categories and fields of what the event disclosed."""
    return audit_record(
        actor,
        action,
        "Referral",
        referral_id,
        subjects=[subject_id],
        purpose="REFERRAL",
        legal_basis=basis,
        statutory=is_statutory(basis),
        **read,
    )


# What a referral read shows of its subject, where the reader has a basis to see it.
READ_FIELDS = ("birthYear", "needTags", "notes", "preference", "summary")


# Handoff steps the other side hears of (see referral_hub/notifications/messages.py).
_ANNOUNCED = {
    handoff.Action.SEND: Kind.SENT,
    handoff.Action.DECLINE: Kind.DECLINED,
    handoff.Action.ACCEPT: Kind.ACCEPTED,
    handoff.Action.COMPLETE: Kind.COMPLETED,
}


def _announced(kind: str | None, referral_id: str, version: int) -> list[outbox_repo.Entry]:
    """What the outbox announces of a step: nothing for a step no one is told of."""
    return [] if kind is None else [outbox_repo.entry(kind, referral_id, version)]


def _due(urgency: Urgency, hours: int) -> dict[str, str]:
    """Deadline and escalation if the referral is sent now (used only on the way to SENT)."""
    deadline, escalate_at = deadlines.due_times(datetime.now(UTC), hours, urgency)
    return {"deadline": deadline.isoformat(), "escalate_at": escalate_at.isoformat()}


@dataclass(frozen=True)
class _Checked:
    """A NewReferral once its own fields hold (before anything is asked of the graph)."""

    subject_id: str
    service_id: str
    urgency: Urgency
    categories: list[str]
    summary: str
    basis: LegalBasis
    justification: str
    state: handoff.State
    purpose: handoff.Purpose
    opportunity_id: str | None
    meeting_id: str | None = None


def _checked(request: NewReferral) -> _Checked:
    subject_id = checked_uuid(request.subject_id, "subjectId")
    service_id = checked_uuid(request.service_id, "serviceId")
    categories = sorted({enum_value(c) for c in request.categories or []})
    summary = (request.summary or "").strip()
    basis = LegalBasis(enum_value(request.legal_basis) or "CONSENT")
    justification = (request.justification or "").strip()
    purpose = handoff.Purpose(enum_value(request.purpose) or "SUPPORT")
    opportunity_id = (
        None
        if request.opportunity_id is None
        else checked_uuid(request.opportunity_id, "opportunityId")
    )
    meeting_id, meeting_errors = _meeting_cited(basis, request.meeting_id)
    errors = (
        basis_errors(basis, justification)
        + purpose_errors(purpose, opportunity_id)
        + meeting_errors
    )
    if not categories:
        # Nothing is shared by default: the sender names what the receiver will see.
        errors.append(
            FieldError("categories", ErrorCode.REQUIRED, "Name the data categories shared.")
        )
    if len(summary) > SUMMARY_MAX:
        errors.append(
            FieldError(
                "summary", ErrorCode.TOO_LONG, f"summary must be at most {SUMMARY_MAX} characters."
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return _Checked(
        subject_id=subject_id,
        service_id=service_id,
        urgency=Urgency(enum_value(request.urgency) or "ROUTINE"),
        categories=categories,
        summary=summary,
        basis=basis,
        justification=justification,
        state=handoff.State.SENT if request.send else handoff.State.DRAFT,
        purpose=purpose,
        opportunity_id=opportunity_id,
        meeting_id=meeting_id,
    )


def _meeting_cited(basis: LegalBasis, meeting_id: Any) -> tuple[str | None, list[FieldError]]:
    """A support meeting is the justification of STATUTORY_SWA_106_6 (issue 20): required
    with it, refused with any other basis; whether it may be cited is the graph's to say."""
    if basis != LegalBasis.STATUTORY_SWA_106_6:
        if meeting_id is None:
            return None, []
        message = "meetingId goes only with STATUTORY_SWA_106_6."
        return None, [FieldError("meetingId", ErrorCode.INVALID, message)]
    if meeting_id is None:
        message = "A support meeting (支援会議) is the basis of STATUTORY_SWA_106_6: cite it."
        return None, [FieldError("meetingId", ErrorCode.REQUIRED, message)]
    try:
        return checked_uuid(meeting_id, "meetingId"), []
    except ValidationFailed as refused:
        return None, refused.errors


def _creation_fields(row: dict[str, Any], checked: _Checked) -> dict[str, Any]:
    """What the create statement writes once the graph's facts allow it: the summary and
    justification sealed with the subject's key (none once the subject is erased)."""
    hours = deadline_hours(int(row["response_hours"]), checked.urgency)
    sealed = sealed_justification = None
    if (checked.summary or checked.justification) and row["blob"] is not None:
        subject_id = checked.subject_id
        key = keys.data_key(row["master_key_id"], row["blob"], subject_id=subject_id)
        if checked.summary:
            sealed = crypto.seal({"summary": checked.summary}, key, subject_id=subject_id)
        if checked.justification:
            sealed_justification = crypto.seal(
                {"justification": checked.justification}, key, subject_id=subject_id
            )
    return {
        # A statutory referral does not rest on a consent even if one exists.
        "consent_id": None if is_statutory(checked.basis) else row["consent_id"],
        "summary_sealed": sealed,
        "justification_sealed": sealed_justification,
        "waitlisted": row["capacity"] == "FULL",
        "referral_purpose": checked.purpose.value,
        "opportunity_id": checked.opportunity_id,
        "meeting_id": checked.meeting_id,
        "deadline_hours": hours,
        **_due(checked.urgency, hours),
    }


def _prepare(actor: Actor, checked: _Checked) -> dict[str, Any]:
    """The facts the create statement looks up before `decide`: the subject (registered by
    the actor's organisation), the service and its receiver, a consent for purpose
    REFERRAL covering the categories, and an OFFER_ROLE referral's opportunity."""
    return {
        "subject_id": checked.subject_id,
        "from_id": actor.organisation_id or "",
        "service_id": checked.service_id,
        "categories": checked.categories,
        "purpose": "REFERRAL",
        "opportunity_id": checked.opportunity_id,
        "meeting_id": checked.meeting_id,
        "meeting_sight_days": settings.HUB_MEETING_SIGHT_DAYS,
    }


def referral_create(
    *, actor: Actor, request: NewReferral, follows_id: str | None = None
) -> ReferralRow:
    checked = _checked(request)
    subject_id, service_id, basis = checked.subject_id, checked.service_id, checked.basis
    categories, state = checked.categories, checked.state
    if is_statutory(basis):
        require_recent_second_factor(actor)  # shares without consent: the person confirms
    referral_id = str(uuid.uuid4())

    def decide(row: dict[str, Any] | None) -> dict[str, Any]:
        return _creation_decision(row, checked, accept_waitlist=bool(request.accept_waitlist))

    referral_repo.referral_create(
        prepare=_prepare(actor, checked),
        decide=decide,
        create={
            "id": referral_id,
            "subject_id": subject_id,
            "from_id": actor.organisation_id,
            "service_id": service_id,
            "state": state.value,
            "created": handoff.Event.CREATE.value,
            "urgency": checked.urgency.value,
            "categories": categories,
            "need_tags": list(request.need_tags or []),
            "legal_basis": basis.value,
            "actor": actor.username,
            "follows_id": follows_id,
            "sight_days": settings.HUB_STATUTORY_SIGHT_DAYS,
        },
        audit_for=lambda row: _audit(
            actor,
            "REFERRAL_CREATE",
            referral_id,
            subject_id,
            basis.value,
            consent_id=None if is_statutory(basis) else row["consent_id"],
            categories=categories,
        ),
        announce=_announced(Kind.SENT if state == handoff.State.SENT else None, referral_id, 1),
        also_audit=lambda fields: (
            _override_audit(
                actor, fields["overrode_preference"], referral_id, subject_id, basis.value
            )
            + _citation_audit(actor, checked.meeting_id, referral_id, subject_id, basis.value)
        ),
    )
    if state == handoff.State.SENT:
        nudge()
    return referral_read(actor=actor, referral_id=referral_id)


def _creation_decision(
    row: dict[str, Any] | None, checked: _Checked, *, accept_waitlist: bool
) -> dict[str, Any]:
    """From the facts the create statement locked: refuse (raise), or the fields to write."""
    basis, state = checked.basis, checked.state
    creation_refusal(
        row,
        accept_waitlist=accept_waitlist,
        statutory=is_statutory(basis),
        draft=state == handoff.State.DRAFT,
        opportunity_id=checked.opportunity_id,
        service_id=checked.service_id,
    )
    assert row is not None
    if is_statutory(basis):
        _statute_check(basis, row)
    if checked.meeting_id is not None and row["cited_meeting"] is None:
        raise ValidationFailed.one(
            "meetingId",
            ErrorCode.MEETING_NOT_CITABLE,
            "Cite a support meeting your organisation took part in and acknowledged, "
            "where this subject was discussed, within its sight window.",
        )
    overrode = None
    if state == handoff.State.SENT:  # a draft shares nothing: it may wait
        overrode = _preference_check(row, basis)
    return {**_creation_fields(row, checked), "overrode_preference": overrode}


def _preference_check(row: dict[str, Any], basis: LegalBasis | str) -> str | None:
    """Refuse a referral the subject's active preference forbids now (SUBJECT_PREFERENCE,
    naming the preference), unless its statute is one a preference yields to: then it
    goes ahead and the id of the preference it overrode is returned, to be audited."""
    verdict = referral_verdict(
        row["preference"], basis=basis, service_mode=row["service_mode"], today=row["today"]
    )
    if verdict.blocked_by is None:
        return None
    if verdict.overridden:
        return str(row["preference"]["id"])
    raise PublicError(ErrorCode.SUBJECT_PREFERENCE, verdict.message or "", field="subjectId")


def _override_audit(
    actor: Actor, preference_id: str | None, referral_id: str, subject_id: str, basis: str
) -> list[AuditRecord]:
    """A statutory child-protection referral sent against the subject's preference: an
    event of its own (PREFERENCE_OVERRIDDEN_STATUTORY) about the referral, beside the
    step's, so auditors find every override by its action; the referral records which
    preference it overrode (`overrodePreference`)."""
    if preference_id is None:
        return []
    return [
        audit_record(
            actor,
            "PREFERENCE_OVERRIDDEN_STATUTORY",
            "Referral",
            referral_id,
            subjects=[subject_id],
            purpose="REFERRAL",
            legal_basis=basis,
            statutory=True,
        )
    ]


def _citation_audit(
    actor: Actor, meeting_id: str | None, referral_id: str, subject_id: str, basis: str
) -> list[AuditRecord]:
    """A referral citing a support meeting: an event of its own about the meeting
    (REFERRAL_CITES_MEETING, target the meeting), beside REFERRAL_CREATE, so the meeting's
    statutory referrals are found by the meeting's id (docs/meetings.md)."""
    if meeting_id is None:
        return []
    return [
        audit_record(
            actor,
            "REFERRAL_CITES_MEETING",
            "SupportMeeting",
            meeting_id,
            subjects=[subject_id],
            purpose="REFERRAL",
            legal_basis=basis,
            statutory=True,
        )
    ]


def _statute_check(basis: LegalBasis, row: dict[str, Any]) -> None:
    """A statutory referral fits its statute, and none to this receiver about this subject
    has been found INAPPROPRIATE (until an auditor changes that finding)."""
    if row["statutory_blocked"]:
        raise PublicError(
            ErrorCode.STATUTORY_BLOCKED,
            "An auditor found a statutory referral of this subject to this organisation "
            "inappropriate; a new one needs the auditor's release.",
            field="legalBasis",
        )
    refusal = statute_refusal(
        basis,
        receiver_kind=row["to_kind"],
        birth_year=int(row["birth_year"]),
        this_year=int(row["this_year"]),
    )
    if refusal is not None:
        raise ValidationFailed([refusal])


def referral_transition(
    *,
    actor: Actor,
    referral_id: str,
    action: handoff.Action,
    version_seen: int,
    reason: handoff.DeclineReason | None = None,
    outcome: handoff.Outcome | None = None,
    note: str | None = None,
    suggested_service_id: str | None = None,
) -> ReferralRow:
    key = checked_uuid(referral_id, "id")
    suggested = (
        checked_uuid(suggested_service_id, "suggestedServiceId") if suggested_service_id else None
    )

    def decide(row: dict[str, Any] | None) -> dict[str, Any]:
        side = _side_of(actor, row)
        assert row is not None  # _side_of refuses a missing referral
        step = handoff.transition(
            state=handoff.State(row["state"]),
            version=row["version"],
            action=action,
            side=side,
            version_seen=version_seen,
            reason=reason,
            outcome=outcome,
            note=note,
            purpose=handoff.Purpose(row["referral_purpose"]),
        )
        if action == handoff.Action.SEND and is_statutory(row["legal_basis"]):
            require_recent_second_factor(actor)  # it shares without consent from now
        if action == handoff.Action.SEND:
            offer_refusal(row)
        overrode = _basis_check(action, row)
        fields = _move_fields(step, row, organisation_id=actor.organisation_id, suggested=suggested)
        return {**fields, "overrode_preference": overrode}

    moved = referral_repo.referral_move(
        referral_id=key,
        decide=decide,
        actor=actor.username,
        audit_for=lambda row: _audit(
            actor, f"REFERRAL_{action.value}", key, row["subject_id"], row["legal_basis"]
        ),
        announce=lambda step: _announced(_ANNOUNCED.get(action), key, step["version"]),
        also_audit=lambda row, step: _override_audit(
            actor, step["overrode_preference"], key, row["subject_id"], row["legal_basis"]
        ),
    )
    if action in _ANNOUNCED:
        nudge()
    if moved.get("suggested_service_id"):
        _follow_on(actor, moved, key)
    return referral_read(actor=actor, referral_id=key)


def _basis_check(action: handoff.Action, row: dict[str, Any]) -> str | None:
    """A forward step needs its consent or statute to hold still; a SEND also needs the
    subject's preference to allow it (a draft shares from the moment it is sent). The id
    of a preference a statute overrides, to be audited."""
    if action in handoff.NEEDS_BASIS and not row["basis_holds"]:
        raise PublicError(
            ErrorCode.CONSENT_REQUIRED,
            "The consent or statutory basis of this referral no longer holds; "
            "it can only be cancelled or declined.",
            field="id",
        )
    if action != handoff.Action.SEND:
        return None
    return _preference_check(row, row["legal_basis"] or "CONSENT")


def _side_of(actor: Actor, row: dict[str, Any] | None) -> handoff.Side:
    """The side of the referral the actor acts for. Anyone else (and the receiver of a
    draft) finds no referral; each side's actions need its role."""
    if (
        row is None
        or actor.organisation_id not in (row["from_id"], row["to_id"])
        or (actor.organisation_id != row["from_id"] and not row["sent"])
    ):
        raise ValidationFailed.one("id", ErrorCode.NOT_FOUND, "No such referral.")
    side = handoff.Side.SENDER if actor.organisation_id == row["from_id"] else handoff.Side.RECEIVER
    # Sender actions are the counsellor's, receiver actions the caseworker's.
    needed = Role.COUNSELLOR if side == handoff.Side.SENDER else Role.CASEWORKER
    if not actor.has_role(needed):
        raise PublicError(
            ErrorCode.FORBIDDEN, f"{side.value.lower()} actions need the role {needed.value}."
        )
    return side


def _move_fields(
    step: handoff.Transition,
    row: dict[str, Any],
    *,
    organisation_id: str | None,
    suggested: str | None,
) -> dict[str, Any]:
    """What the move statement writes for a decided step."""
    return {
        "seen": row["version"],
        "from_state": step.from_state.value,
        "to_state": step.to_state.value,
        "version": step.version,
        "action": step.action.value,
        "side": step.side.value,
        "organisation_id": organisation_id,
        "reason": step.reason.value if step.reason else None,
        "outcome": step.outcome.value if step.outcome else None,
        "note_sealed": _sealed_note(step.note, row),
        "closes": step.to_state in handoff.CLOSED_STATES,
        "suggested_service_id": suggested if step.action == handoff.Action.DECLINE else None,
        # A draft goes out under the consent that covers it at the moment it is sent.
        "send_consent_id": row["sendable_consent"] if step.action == handoff.Action.SEND else None,
        "sight_days": settings.HUB_STATUTORY_SIGHT_DAYS,
        **_due(Urgency(row["urgency"]), int(row["deadline_hours"])),
        "check_ins": _check_ins(step, row),
    }


def _check_ins(step: handoff.Transition, row: dict[str, Any]) -> list[dict[str, Any]]:
    """The check-ins a connecting completion schedules (issue 20), from now."""
    if not check_ins.schedules_check_ins(step.action, step.to_state, step.outcome):
        return []
    planned = check_ins.schedule(
        completed_at=datetime.now(UTC),
        days=check_ins.days_for(row.get("check_in_days")),
        escalate_days=settings.HUB_CHECK_IN_ESCALATE_DAYS,
    )
    return check_ins.graph_rows(planned)


def _sealed_note(note: str | None, row: dict[str, Any]) -> str | None:
    """A handoff note is about the subject (要配慮個人情報): sealed with the subject's key
    like the summary, so consent, statutory sight and erasure govern it too."""
    if not note or row["key"] is None:
        # No key: the subject was erased, so nothing about them may be written down.
        return None
    key = row["key"]
    data_key = keys.data_key(key["masterKeyId"], key["blob"], subject_id=row["subject_id"])
    return crypto.seal({"note": note}, data_key, subject_id=row["subject_id"])


def _follow_on(actor: Actor, moved: dict[str, Any], declined_id: str) -> None:
    """ "No wrong door": a decline that suggests another service leaves the sender a DRAFT.

    The draft is the sender's to review and send, so it is created for the sending
    organisation whether or not a consent covers the suggested organisation yet: its
    `consentGap` says what is missing, and sending it needs a consent (amendConsent).
    """
    on_behalf = Actor(
        username=f"{actor.username} (suggestion)",
        user_id=actor.user_id,
        organisation_id=moved["from_id"],
        roles=actor.roles,
        request_id=actor.request_id,
        client_address=actor.client_address,
    )
    # If it cannot be made, the decline stands and the sender sees the suggestion on the
    # timeline.
    with contextlib.suppress(ValidationFailed, PublicError):
        referral_create(
            actor=on_behalf,
            follows_id=declined_id,
            request=NewReferral(
                subject_id=moved["subject_id"],
                service_id=moved["suggested_service_id"],
                urgency=moved["urgency"],
                categories=moved["categories"],
                send=False,
                accept_waitlist=True,
            ),
        )


def referral_read(*, actor: Actor, referral_id: str, action: str = "REFERRAL_READ") -> ReferralRow:
    key = checked_uuid(referral_id, "id")
    row = referral_repo.referral_get(
        referral_id=key,
        reader=actor.organisation_id or "",
        audit_for=lambda referral, basis, consent_id: _audit(
            actor,
            action,
            key,
            referral["subject_id"],
            # What the read rests on now (a lapsed statutory referral rests on nothing).
            basis,
            consent_id=consent_id,
            categories=referral["categories"],
            fields=READ_FIELDS if basis else (),
        ),
    )
    if row is None:
        raise ValidationFailed.one("id", ErrorCode.NOT_FOUND, "No such referral.")
    referral = row["referral"]
    referral["summary"] = None
    sealed = referral.pop("summary_sealed", None)
    # The statement returns the sealed summary and the key only where the reader has a
    # basis to see the subject now (its own record, consent, or a statutory referral).
    if row["key"]:
        data_key = keys.data_key(
            row["key"]["masterKeyId"], row["key"]["blob"], subject_id=referral["subject_id"]
        )
        if sealed:
            referral["summary"] = _opened(sealed, data_key, referral)["summary"]
        for event in referral["timeline"]:
            event["note"] = _opened(event["note_sealed"], data_key, referral).get("note")
        for check_in in referral["check_ins"]:
            check_in["note"] = _opened(check_in["note_sealed"], data_key, referral).get("note")
    for event in referral["timeline"]:
        event.pop("note_sealed", None)
    for check_in in referral["check_ins"]:
        check_in.pop("note_sealed", None)
    preference = referral.get("subject_preference")
    if preference is not None:
        wrapped = row["key"]
        referral["subject_preference"] = opened(
            preference,
            master_key_id=None if wrapped is None else wrapped["masterKeyId"],
            blob=None if wrapped is None else wrapped["blob"],
            subject_id=referral["subject_id"],
        )
    return referral


def _opened(sealed: str | None, data_key: bytes, referral: ReferralRow) -> dict[str, Any]:
    if not sealed:
        return {}
    return crypto.open_sealed(sealed, data_key, subject_id=referral["subject_id"])


def referral_as_fhir(*, actor: Actor, referral_id: str) -> dict[str, Any]:
    """The referral as a FHIR R4 Bundle, from the same audited, consent-checked read."""
    return fhir.referral_bundle(
        referral_read(actor=actor, referral_id=referral_id, action="REFERRAL_FHIR_READ")
    )
