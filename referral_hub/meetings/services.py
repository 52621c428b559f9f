"""Support meeting actions (支援会議): convene, invite, acknowledge, add a subject, record
minutes and decisions, close; and the reads. The rules are referral_hub/meetings/rules.py;
the graph work, with standing and sight decided in Cypher, is graph/meeting_repo.py."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings

from graph import meeting_repo
from graph.audit_log import AuditRecord
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.consent.legal_basis import LegalBasis
from referral_hub.core.audit import audit_record, auditor_area_codes
from referral_hub.core.errors import ErrorCode, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid
from referral_hub.directory import reference_data
from referral_hub.directory.selectors import require_area
from referral_hub.meetings import rules
from referral_hub.meetings.rules import Action, Standing, State
from referral_hub.subjects import crypto, keys

BASIS = LegalBasis.STATUTORY_SWA_106_6.value
LIST_LIMIT = 200


def _audit(
    actor: Actor, action: str, meeting_id: str, subjects: Sequence[str] | None = None
) -> AuditRecord:
    """Every meeting event rests on the statute; it names the subjects it touched."""
    return audit_record(
        actor,
        action,
        "SupportMeeting",
        meeting_id,
        subjects=list(subjects) if subjects else None,
        purpose="SUPPORT_MEETING",
        legal_basis=BASIS,
        statutory=True,
    )


def _standing_params(actor: Actor) -> dict[str, Any]:
    auditor = actor.has_role(Role.AUDITOR)
    return {
        "org": actor.organisation_id or "",
        "username": actor.username,
        "coordinator": actor.has_role(Role.COORDINATOR),
        "auditor": auditor,
        # Only an auditor's areas are looked up (one more round trip, for auditors only).
        "audit_areas": auditor_area_codes(actor) if auditor else [],
        "meeting_sight_days": settings.HUB_MEETING_SIGHT_DAYS,
    }


def meeting_convene(*, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """A COORDINATOR convenes a meeting for an area within its organisation's."""
    if not actor.has_role(Role.COORDINATOR):
        raise PublicError(ErrorCode.FORBIDDEN, "Only a coordinator convenes a support meeting.")
    convening, errors = rules.convening(data)
    if errors:
        raise ValidationFailed(errors)
    require_area(convening.area_code, field="areaCode")
    allowed = auditor_area_codes(actor)
    if allowed is not None and convening.area_code not in allowed:
        raise ValidationFailed.one(
            "areaCode", ErrorCode.FORBIDDEN_IN_MEETING, "That area is outside your own."
        )
    meeting_id = str(uuid.uuid4())
    meeting_repo.meeting_convene(
        fields={
            "id": meeting_id,
            "org": actor.organisation_id,
            "username": actor.username,
            "title": convening.title,
            "area_code": convening.area_code,
            "area_codes": reference_data.area_codes_within(convening.area_code),
            "duration_minutes": convening.duration_minutes,
        },
        audit=_audit(actor, "SUPPORT_MEETING_CONVENE", meeting_id),
    )
    found = meeting_read(actor=actor, meeting_id=meeting_id)
    assert found is not None
    return found


def _lock_params(actor: Actor, meeting_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "meeting_id": meeting_id,
        "organisation_ids": [],
        "subject_id": None,
        **_standing_params(actor),
        **extra,
    }


def _refuse(row: dict[str, Any] | None, action: Action) -> dict[str, Any]:
    state = State(row["state"]) if row else None
    standing = Standing(row["standing"]) if row else Standing.OUTSIDER
    if error := rules.refusal(state, standing, action):
        raise ValidationFailed([error])
    assert row is not None
    return row


def _act(
    actor: Actor,
    meeting_id: Any,
    action: Action,
    decide: Any,
    *,
    subjects: Any = lambda params: None,
    **lock: Any,
) -> dict[str, Any]:
    key = checked_uuid(meeting_id, "meetingId")
    meeting_repo.meeting_act(
        action=action.value,
        lock=_lock_params(actor, key, **lock),
        decide=lambda row: {"username": actor.username, **decide(_refuse(row, action))},
        audit_for=lambda params: _audit(
            actor, f"SUPPORT_MEETING_{action.value}", key, subjects(params)
        ),
    )
    found = meeting_read(actor=actor, meeting_id=key)
    assert found is not None
    return found


def meeting_invite(
    *,
    actor: Actor,
    meeting_id: Any,
    organisation_ids: Sequence[Any] | None,
    members: Sequence[Mapping[str, Any]] | None,
) -> dict[str, Any]:
    """Invite organisations and named members (each a member of the organisation named)."""
    orgs = sorted({checked_uuid(o, "organisationIds") for o in organisation_ids or []})
    named = _named_members(members or [])
    if not orgs and not named:
        raise ValidationFailed.one(
            "organisationIds", ErrorCode.REQUIRED, "Invite at least one organisation or member."
        )
    if len(orgs) + len(named) > rules.INVITES_MAX:
        raise ValidationFailed.one(
            "organisationIds", ErrorCode.TOO_LONG, f"At most {rules.INVITES_MAX} at once."
        )
    everyone = sorted(set(orgs) | {m["organisation_id"] for m in named})

    def decide(row: dict[str, Any]) -> dict[str, Any]:
        if row["unknown_organisations"]:
            raise ValidationFailed.one(
                "organisationIds", ErrorCode.UNKNOWN_ORGANISATION, "No such organisation."
            )
        return {"organisation_ids": orgs, "members": named}

    return _act(actor, meeting_id, Action.INVITE, decide, organisation_ids=everyone)


def _named_members(members: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Each named member must hold a membership of the organisation named with them."""
    named: dict[tuple[str, str], dict[str, str]] = {}
    for member in members:
        organisation = checked_uuid(member.get("organisation_id"), "members")
        username = member.get("username")
        if not isinstance(username, str) or not username.strip():
            raise ValidationFailed.one("members", ErrorCode.REQUIRED, "Name each member.")
        username = username.strip()
        if (
            rules.CONTROL_CHARACTERS.search(username)
            or not Membership.objects.filter(
                user__username=username, organisation_id=organisation
            ).exists()
        ):
            raise ValidationFailed.one(
                "members", ErrorCode.NOT_FOUND, "No such member of that organisation."
            )
        named[(organisation, username)] = {"organisation_id": organisation, "username": username}
    return [named[k] for k in sorted(named)]


def meeting_acknowledge(*, actor: Actor, meeting_id: Any) -> dict[str, Any]:
    """A member of an invited organisation acknowledges the duty of confidentiality."""
    return _act(
        actor,
        meeting_id,
        Action.ACKNOWLEDGE,
        lambda row: {"org": actor.organisation_id or ""},
    )


def meeting_add_subject(*, actor: Actor, meeting_id: Any, subject_id: Any) -> dict[str, Any]:
    """The convener adds a subject living in the meeting's area: the statute is the basis
    (no consent is needed), and the event is audited as statutory about the subject."""
    subject = checked_uuid(subject_id, "subjectId")

    def decide(row: dict[str, Any]) -> dict[str, Any]:
        if row["subject_found"] is None:
            raise ValidationFailed.one("subjectId", ErrorCode.NOT_FOUND, "No such subject here.")
        return {"subject_id": subject}

    return _act(
        actor,
        meeting_id,
        Action.ADD_SUBJECT,
        decide,
        subjects=lambda params: [params["subject_id"]],
        subject_id=subject,
    )


def _sealed_for(row: dict[str, Any], field: str, text: str) -> list[dict[str, str]]:
    return [
        {
            "subject_id": k["subject_id"],
            "sealed": crypto.seal(
                {field: text},
                keys.data_key(k["masterKeyId"], k["blob"], subject_id=k["subject_id"]),
                subject_id=k["subject_id"],
            ),
        }
        for k in row["keys"]
    ]


def meeting_record_minutes(*, actor: Actor, meeting_id: Any, text: Any) -> dict[str, Any]:
    """Minutes, one copy sealed with each discussed subject's key (so erasing a subject
    takes its copy with it)."""
    value, errors = rules.text_errors({"text": text}, "text", "text")
    key = checked_uuid(meeting_id, "meetingId")
    if errors:
        raise ValidationFailed(errors)

    def decide(row: dict[str, Any]) -> dict[str, Any]:
        if not row["keys"]:
            raise ValidationFailed.one(
                "subjectId", ErrorCode.REQUIRED, "Add a subject before recording minutes."
            )
        return {"record_id": str(uuid.uuid4()), "sealed": _sealed_for(row, "minutes", value)}

    return _act(
        actor,
        key,
        Action.RECORD_MINUTES,
        decide,
        subjects=lambda params: [c["subject_id"] for c in params["sealed"]],
    )


def meeting_record_decision(
    *, actor: Actor, meeting_id: Any, subject_id: Any, text: Any
) -> dict[str, Any]:
    """A decision about one discussed subject, sealed with its key; a statutory referral
    may cite the meeting for it (createReferral's meetingId)."""
    value, errors = rules.text_errors({"text": text}, "text", "text")
    key = checked_uuid(meeting_id, "meetingId")
    subject = checked_uuid(subject_id, "subjectId")
    if errors:
        raise ValidationFailed(errors)

    def decide(row: dict[str, Any]) -> dict[str, Any]:
        copies = [c for c in _sealed_for(row, "decision", value) if c["subject_id"] == subject]
        if not copies:
            raise ValidationFailed.one(
                "subjectId", ErrorCode.NOT_FOUND, "That subject is not discussed here."
            )
        return {
            "record_id": str(uuid.uuid4()),
            "subject_id": subject,
            "sealed": copies[0]["sealed"],
        }

    return _act(
        actor,
        key,
        Action.RECORD_DECISION,
        decide,
        subjects=lambda params: [params["subject_id"]],
    )


def meeting_close(*, actor: Actor, meeting_id: Any) -> dict[str, Any]:
    """Close the meeting: its sight window now runs HUB_MEETING_SIGHT_DAYS from now."""
    return _act(actor, meeting_id, Action.CLOSE, lambda row: {})


def _opened(copy: Mapping[str, Any], field: str) -> str:
    return str(
        keys.open_sealed_for(copy["sealed"], copy["key"], subject_id=copy["subject_id"])[field]
    )


def _minutes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per minutes record (its copies opened once, with the first subject's key)."""
    records: dict[str, dict[str, Any]] = {}
    for copy in rows:
        record = records.get(copy["record_id"])
        if record is None:
            records[copy["record_id"]] = {
                "id": copy["record_id"],
                "at": copy["at"],
                "recorded_by": copy["recorded_by"],
                "text": _opened(copy, "minutes"),
                "subject_ids": [copy["subject_id"]],
            }
        else:
            record["subject_ids"].append(copy["subject_id"])
    return list(records.values())


def meeting_read(*, actor: Actor, meeting_id: Any) -> dict[str, Any] | None:
    """The meeting as the caller may see it (None: not found for them), in one statement;
    the read is audited (SUPPORT_MEETING_READ, naming the subjects it showed)."""
    key = checked_uuid(meeting_id, "id")
    row = meeting_repo.meeting_get(
        params={"meeting_id": key, **_standing_params(actor)},
        audit_for=lambda r: _audit(
            actor,
            "SUPPORT_MEETING_READ",
            key,
            [s["id"] for s in r["subjects"]] if r["content"] else None,
        ),
    )
    if row is None:
        return None
    meeting = row["meeting"]
    if not row["content"]:
        return {**meeting, "subjects": None, "minutes": None, "decisions": None}
    decisions = [
        {**d, "text": _opened(d, "decision"), "referral_ids": d["referrals"]}
        for d in row["decisions"]
    ]
    return {
        **meeting,
        "subjects": row["subjects"],
        "minutes": _minutes(row["minutes"]),
        "decisions": decisions,
    }


def meeting_list(*, actor: Actor) -> list[dict[str, Any]]:
    """The caller's meetings: headers; participants and reads as its standing allows."""
    if actor.organisation_id is None and not actor.is_system_admin:
        return []
    return meeting_repo.meeting_list(params={**_standing_params(actor), "limit": LIST_LIMIT})
