"""Subjects and consent: register (encrypted), read under consent, record and withdraw consent."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from graph import subject_repo
from graph.errors import MissingReferences, NotFound
from graph.subject_repo import ConsentRow
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.reauthentication import require_recent_second_factor
from referral_hub.consent.policy import ConsentTerms, Purpose, consent_errors
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, PublicError, ValidationFailed
from referral_hub.core.validation import Integer, Text, clean, enum_value
from referral_hub.directory import reference_data
from referral_hub.directory.selectors import area_error
from referral_hub.notifications.relay import nudge
from referral_hub.subjects import crypto, keys
from referral_hub.subjects.fields import AUDITED_FIELDS, FIELD_CATEGORIES, PERSONAL_FIELDS
from referral_hub.subjects.preference_reads import opened

JAPAN = ZoneInfo("Asia/Tokyo")


def today() -> date:
    return datetime.now(JAPAN).date()


def _specs() -> dict[str, Any]:
    return {
        "birthYear": Integer(1900, today().year, required=True),
        "areaCode": Text(6, required=True),
        "name": Text(100),
        "nameKana": Text(100),
        "contact": Text(200),
        "guardianName": Text(100),
        "notes": Text(4000),
    }


def subject_register(*, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    if actor.organisation_id is None:
        raise PublicError(ErrorCode.FORBIDDEN, "Act for an organisation to register a subject.")
    values, errors = clean(data, _specs())
    if area_unknown := area_error(values.get("areaCode") or None):
        errors.append(area_unknown)
    if errors:
        raise ValidationFailed(errors)
    subject_id = str(uuid.uuid4())
    data_key = crypto.new_data_key()
    master = keys.active_master_key()
    wrapped = crypto.wrap(data_key, master, subject_id=subject_id)
    personal = {field: values.get(field) for field in PERSONAL_FIELDS}
    duplicate = crypto.duplicate_key(
        name=values.get("nameKana") or values.get("name") or "",
        birth_year=values["birthYear"],
        area_code=values["areaCode"],
        secret=keys.duplicate_secret(),
    )
    duplicates = subject_repo.subject_register(
        subject_id=subject_id,
        organisation_id=actor.organisation_id,
        birth_year=values["birthYear"],
        area_code=values["areaCode"],
        sealed=crypto.seal(personal, data_key, subject_id=subject_id),
        dup_key=duplicate
        if (values.get("name") or values.get("nameKana"))
        else f"none:{subject_id}",
        master_key_id=master.key_id,
        blob=wrapped.blob,
        retention_days=settings.HUB_ERASURE_RETENTION_DAYS,
        audit=audit_record(
            actor,
            "SUBJECT_REGISTER",
            "Subject",
            subject_id,
            subjects=[subject_id],
            purpose=Purpose.REFERRAL.value,
            # The registering organisation writes its own record; no consent exists yet.
            legal_basis="OWN_RECORD",
            fields=[field for field in PERSONAL_FIELDS if values.get(field)],
        ),
    )
    subject = {
        "id": subject_id,
        "birth_year": values["birthYear"],
        "area_code": values["areaCode"],
        "erased": False,
        **_snake(personal),
    }
    return subject, duplicates


FIND_LIMIT = 10


def subject_find_own(*, actor: Actor, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The acting organisation's own subjects registered under this name (or kana),
    birth year and area: exact after normalising (NFKC, spaces, katakana), compared by
    keyed hash, at most FIND_LIMIT, newest first. Each match is audited."""
    if actor.organisation_id is None:
        raise PublicError(ErrorCode.FORBIDDEN, "Act for an organisation to find a subject.")
    specs = {**_specs(), "name": Text(100, required=True)}
    values, errors = clean(data, {key: specs[key] for key in ("name", "birthYear", "areaCode")})
    if errors:
        raise ValidationFailed(errors)
    dup_key = crypto.duplicate_key(
        name=values["name"],
        birth_year=values["birthYear"],
        area_code=values["areaCode"],
        secret=keys.duplicate_secret(),
    )
    rows = subject_repo.subjects_find_own(
        organisation_id=actor.organisation_id,
        dup_key=dup_key,
        limit=FIND_LIMIT,
        audit=audit_record(
            actor,
            "SUBJECT_FIND",
            "Subject",
            None,
            purpose=Purpose.REFERRAL.value,
            legal_basis="OWN_RECORD",
        ),
    )
    return [
        {
            "id": row["id"],
            "birth_year": row["birthYear"],
            "area_code": row["areaCode"],
            "registered_at": row["createdAt"],
        }
        for row in rows
    ]


def subject_read(
    *, actor: Actor, subject_id: str, fields: list[str], purpose: Purpose = Purpose.REFERRAL
) -> dict[str, Any] | None:
    """The subject with the asked-for personal fields, or None (unknown or not permitted).

    The categories checked are exactly those of the fields asked for, so a caseworker
    who may see contact details but not notes can still read the contact details.
    """
    categories = sorted({FIELD_CATEGORIES[f].value for f in fields if f in FIELD_CATEGORIES})
    try:
        key = str(uuid.UUID(subject_id))
    except ValueError:
        return None
    row = subject_repo.subject_read(
        subject_id=key,
        reader=actor.organisation_id or "",
        purpose=purpose.value,
        categories=categories,
        audit=audit_record(
            actor,
            "SUBJECT_READ",
            "Subject",
            key,
            subjects=[key],
            purpose=purpose.value,
            categories=categories,
            # The basis and consent come from the statement that decides (graph/subject_repo.py).
            fields=[field for field in fields if field in AUDITED_FIELDS],
        ),
    )
    if row is None:
        return None
    subject = {
        "id": row["id"],
        "birth_year": row["birthYear"],
        "area_code": row["areaCode"],
        "erased": row.get("blob") is None,
    }
    # Every reader with a basis sees the subject's choices in force, so it can respect them
    # (graph/subject_repo.py: what another organisation sees of them).
    history = [
        opened(p, master_key_id=row.get("masterKeyId"), blob=row.get("blob"), subject_id=key)
        for p in row.get("preferences") or []
    ]
    subject["preference_history"] = history
    subject["preference"] = next((p for p in history if p["state"] == "ACTIVE"), None)
    if subject["erased"]:
        return subject  # the key is gone: the ciphertext can never be read again
    personal = keys.open_sealed_for(row["sealed"], row, subject_id=key)
    return {**subject, **_snake({f: personal.get(f) for f in fields if f in personal})}


def _consent_fields(
    actor: Actor, terms: ConsentTerms, birth_year: int
) -> tuple[dict[str, Any], list[str]]:
    """The stored fields of a consent (or version) and the organisations it names, or
    ValidationFailed with every reason it cannot be kept."""
    errors = consent_errors(terms, birth_year=birth_year, today=today())
    area = terms.area_code
    if area_unknown := area_error(area or None):
        errors.append(area_unknown)
    if errors:
        raise ValidationFailed(errors)
    fields = {
        "given_by": enum_value(terms.given_by),
        "guardian_relationship": terms.guardian_relationship,
        "guardianship_type": enum_value(terms.guardianship_type),
        "purposes": sorted(enum_value(p) for p in terms.purposes or []),
        "categories": sorted(enum_value(c) for c in terms.categories or []),
        "organisation_kinds": sorted(enum_value(k) for k in terms.organisation_kinds or []),
        "area_code": area,
        "kind_area_codes": reference_data.area_codes_within(area) if area else [],
        "valid_from": (terms.valid_from or today()).isoformat(),
        # consent_errors refused a consent without an end date.
        "valid_until": terms.valid_until.isoformat() if terms.valid_until else None,
        "method": enum_value(terms.method),
        "evidence_sha256": terms.evidence_sha256,
        "recorded_by": actor.username,
    }
    return fields, [str(o) for o in terms.organisation_ids or []]


def _unknown_organisations(missing: MissingReferences) -> ValidationFailed:
    ids = ", ".join(missing.missing["organisationIds"])
    return ValidationFailed.one(
        "organisationIds", ErrorCode.UNKNOWN_ORGANISATION, f"organisationIds: not found: {ids}."
    )


def consent_record(*, actor: Actor, subject_id: str, terms: ConsentTerms) -> ConsentRow:
    subject_id = str(subject_id or "")
    birth_year = subject_repo.own_subject_birth_year(
        subject_id=subject_id, organisation_id=actor.organisation_id or ""
    )
    if birth_year is None:
        raise ValidationFailed.one(
            "subjectId", ErrorCode.NOT_FOUND, "No subject registered by your organisation."
        )
    fields, organisation_ids = _consent_fields(actor, terms, birth_year)
    consent_id = str(uuid.uuid4())
    try:
        return subject_repo.consent_record(
            consent_id=consent_id,
            subject_id=subject_id,
            organisation_id=actor.organisation_id or "",
            fields=fields,
            organisation_ids=organisation_ids,
            audit=audit_record(
                actor,
                "CONSENT_RECORD",
                "Consent",
                consent_id,
                subjects=[subject_id],
                legal_basis="OWN_RECORD",
                consent_id=consent_id,
            ),
        )
    except NotFound:
        raise ValidationFailed.one(
            "subjectId", ErrorCode.NOT_FOUND, "No subject registered by your organisation."
        ) from None
    except MissingReferences as missing:
        raise _unknown_organisations(missing) from None


def consent_amend(*, actor: Actor, consent_id: str, terms: ConsentTerms) -> ConsentRow:
    """A new version of an ACTIVE consent, with its own evidence. It takes effect from
    today at the earliest (widening never back-dates); referrals it no longer covers end
    at once, like a withdrawal."""
    not_found = ValidationFailed.one(
        "id", ErrorCode.NOT_FOUND, "No active consent your organisation recorded."
    )
    try:
        old = subject_repo.consent_get(str(uuid.UUID(consent_id)))
    except (ValueError, NotFound):
        raise not_found from None
    birth_year = subject_repo.own_subject_birth_year(
        subject_id=old["subject_id"], organisation_id=actor.organisation_id or ""
    )
    if birth_year is None or old["state"] != "ACTIVE":
        raise not_found
    valid_from = terms.valid_from
    if valid_from is not None and valid_from < today():
        raise ValidationFailed.one(
            "validFrom",
            ErrorCode.OUT_OF_RANGE,
            "An amendment takes effect from today at the earliest; it cannot back-date.",
        )
    fields, organisation_ids = _consent_fields(actor, terms, birth_year)
    new_id = str(uuid.uuid4())
    try:
        amended = subject_repo.consent_amend(
            old_id=old["id"],
            consent_id=new_id,
            organisation_id=actor.organisation_id or "",
            fields=fields,
            organisation_ids=organisation_ids,
            audit=audit_record(
                actor,
                "CONSENT_AMEND",
                "Consent",
                new_id,
                subjects=[old["subject_id"]],
                legal_basis="OWN_RECORD",
                consent_id=new_id,
            ),
        )
    except NotFound:
        raise not_found from None
    except MissingReferences as missing:
        raise _unknown_organisations(missing) from None
    if amended["ended"]:  # their notifications are in the outbox, committed with it
        nudge()
    return subject_repo.consent_get(new_id)


def consent_withdraw(*, actor: Actor, consent_id: str) -> ConsentRow:
    try:
        key = str(uuid.UUID(consent_id))
        require_recent_second_factor(actor)  # ends sharing at once: the person confirms
        consent = subject_repo.consent_get(key)
        withdrawn = subject_repo.consent_withdraw(
            consent_id=key,
            organisation_id=actor.organisation_id or "",
            retention_days=settings.HUB_ERASURE_RETENTION_DAYS,
            audit=audit_record(
                actor,
                "CONSENT_WITHDRAW",
                "Consent",
                key,
                subjects=[consent["subject_id"]],
                legal_basis="OWN_RECORD",
                consent_id=key,
            ),
        )
    except (ValueError, NotFound):
        raise ValidationFailed.one(
            "id", ErrorCode.NOT_FOUND, "No active consent your organisation recorded."
        ) from None
    if withdrawn["ended"]:  # their notifications are in the outbox, committed with it
        nudge()
    return subject_repo.consent_get(key)


_SNAKE = {
    "name": "name",
    "nameKana": "name_kana",
    "contact": "contact",
    "guardianName": "guardian_name",
    "notes": "notes",
}


def _snake(values: Mapping[str, Any]) -> dict[str, Any]:
    return {_SNAKE[key]: value for key, value in values.items() if key in _SNAKE}
