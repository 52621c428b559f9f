"""The bases an audit event can record: the reader's own registration, or a legal basis."""

from __future__ import annotations

import graphene

from referral_hub.consent.legal_basis import AUDIT_BASES

AuditBasisEnum = graphene.Enum(
    "AuditBasis",
    [(basis, basis) for basis in AUDIT_BASES],
    description="What an audited action rested on: OWN_RECORD, CONSENT or a statute.",
)
