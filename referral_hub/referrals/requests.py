"""What a caller asks of the referral services, typed: built once at the edge (the
mutation, the demo, a test) and checked by the service, which names any error by the
API's field name (`subjectId`), since that is what the caller sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class NewReferral:
    """createReferral's input before any check: every field may be missing or null, as
    a client may send it; referral_create refuses what does not hold."""

    subject_id: str | None
    service_id: str | None
    categories: Sequence[str] | None
    urgency: str | None = "ROUTINE"
    need_tags: Sequence[str] | None = ()
    summary: str | None = None
    legal_basis: str | None = "CONSENT"
    justification: str | None = None
    accept_waitlist: bool | None = False
    send: bool | None = True  # false (or null) keeps it as a DRAFT
    purpose: str | None = "SUPPORT"  # or OFFER_ROLE, with opportunity_id (issue 19)
    opportunity_id: str | None = None
    # With STATUTORY_SWA_106_6 (and only then): the support meeting that decided it (issue 20).
    meeting_id: str | None = None
