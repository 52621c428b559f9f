"""The rows the referral statements return, typed: each key is named as the GraphQL field
that shows it (the types resolve them as they are), so a projection and its readers are
checked against one definition."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NotRequired, TypedDict


class PartyRow(TypedDict):
    id: str
    name: str
    kind: str
    area_code: NotRequired[str | None]  # on a single referral's read only


class ServiceRefRow(TypedDict):
    id: str
    name: str
    mode: str


class HandoffEventRow(TypedDict):
    id: str
    at: datetime
    action: str
    side: str
    from_state: str | None
    to_state: str
    version: int
    actor: str | None
    organisation_id: str | None
    reason: str | None
    outcome: str | None
    suggested_service_id: str | None
    note_sealed: NotRequired[str | None]  # removed once opened
    note: NotRequired[str | None]  # the opened note, where the reader has a basis


class SubjectKeyRow(TypedDict):
    masterKeyId: str
    blob: str


class ReferralConsentRow(TypedDict):
    """The consent a referral went under, as its FHIR Consent says it."""

    id: str
    state: str
    purposes: list[str]
    categories: list[str]
    method: str
    given_by: str
    organisation_kinds: list[str] | None
    valid_from: object
    valid_until: object
    evidence_sha256: str | None
    recorded_at: object
    permits: list[str]


class OpportunityRefRow(TypedDict):
    id: str
    title: str


class ReferralRow(TypedDict):
    id: str
    state: str
    version: int
    urgency: str
    categories: list[str]
    reason: str | None
    outcome: str | None
    deadline: datetime | None
    waitlisted: bool
    legal_basis: str
    purpose: str  # SUPPORT or OFFER_ROLE (issue 19)
    opportunity: OpportunityRefRow | None  # the role an OFFER_ROLE referral offers
    created_at: datetime
    updated_at: datetime
    acknowledged_at: datetime | None
    accepted_at: datetime | None
    closed_at: datetime | None
    review_state: str | None
    consent_state: str | None
    summary_sealed: NotRequired[str | None]  # removed once opened
    summary: NotRequired[str | None]  # the opened summary, where the reader has a basis
    subject_id: str
    subject_birth_year: int | None
    sender: PartyRow
    receiver: PartyRow
    service: ServiceRefRow
    consent_id: str | None
    consent: ReferralConsentRow | None
    follows: str | None
    followed_by: str | None
    consent_gap: list[str] | None
    need_tags: list[str] | None
    # The subject's active preference, where the reader has a basis (so it respects it).
    subject_preference: dict[str, Any] | None
    timeline: list[HandoffEventRow]
    # Check-ins after a connection (issue 20), by index; notes opened like the timeline's.
    check_ins: list[dict[str, Any]]


class ReferralRead(TypedDict):
    """referral_get's answer: the referral, the basis the reader has to see its subject
    now (None: none), the consent that basis rests on, and the subject's key (None
    without a basis, or once erased)."""

    referral: ReferralRow
    basis: str | None
    consent: str | None
    key: SubjectKeyRow | None
