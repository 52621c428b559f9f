"""The bases an audit event can record: the reader's own registration, or a legal basis."""

from __future__ import annotations

import graphene

from referral_hub.consent.legal_basis import AUDIT_BASES, OWN_RECORD
from schema.referrals.enums import LEGAL_BASES

# A legal basis reads as LegalBasis describes it; OWN_RECORD is the audit log's own.
_BASES = {
    OWN_RECORD: "The reader's organisation registered the subject itself.",
    **{basis.value: text for basis, text in LEGAL_BASES.items()},
}

AuditBasisEnum = graphene.Enum(
    "AuditBasis",
    [(basis, basis) for basis in AUDIT_BASES],
    description=lambda value: (
        "What an audited action rested on: OWN_RECORD, CONSENT or a statute."
        if value is None
        else _BASES[value.value]
    ),
)
