"""The bases an audit event can record: the reader's own registration, or a legal basis."""

from __future__ import annotations

import graphene

from referral_hub.consent.legal_basis import OWN_RECORD, LegalBasis

AuditBasisEnum = graphene.Enum(
    "AuditBasis",
    [(OWN_RECORD, OWN_RECORD), *((basis.value, basis.value) for basis in LegalBasis)],
    description="What an audited action rested on: OWN_RECORD, CONSENT or a statute.",
)
