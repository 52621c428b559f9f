"""Legal bases for sharing a subject's data, and when a statutory one may be cited.

Consent is the rule. A referral may instead cite a statute that allows sharing without
consent; it must then say why in writing, every audit event it causes is marked
statutory, and it waits in the auditors' review queue. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from referral_hub.consent.policy import ADULT_AGE
from referral_hub.core.errors import ErrorCode, FieldError


class LegalBasis(StrEnum):
    CONSENT = "CONSENT"
    # 社会福祉法 第106条の6: a support meeting (支援会議) shares information among its members.
    STATUTORY_SWA_106_6 = "STATUTORY_SWA_106_6"
    # 個人情報保護法 第27条第1項第3号: children's sound upbringing when consent cannot be had.
    STATUTORY_APPI_27_1_III = "STATUTORY_APPI_27_1_III"
    # 児童虐待の防止等に関する法律 (art. 6 notification, art. 13-4 provision of information).
    STATUTORY_CHILD_ABUSE_PREVENTION = "STATUTORY_CHILD_ABUSE_PREVENTION"


# Audit events record these too: the reader's own registration is not a statutory basis.
OWN_RECORD = "OWN_RECORD"
# Every basis an audit event can record, as the API's AuditBasis enum lists them.
AUDIT_BASES: tuple[str, ...] = (OWN_RECORD, *(basis.value for basis in LegalBasis))

JUSTIFICATION_MIN = 40
JUSTIFICATION_MAX = 4000


def is_statutory(basis: LegalBasis | str | None) -> bool:
    return basis is not None and str(basis).startswith("STATUTORY_")


def basis_errors(basis: LegalBasis, justification: str | None) -> list[FieldError]:
    """What is wrong with citing `basis` with this written justification (empty: nothing)."""
    text = (justification or "").strip()
    if basis == LegalBasis.CONSENT:
        if text:
            return [
                FieldError(
                    "justification",
                    ErrorCode.INVALID,
                    "A justification goes with a statutory legal basis, not with consent.",
                )
            ]
        return []
    if len(text) < JUSTIFICATION_MIN:
        return [
            FieldError(
                "justification",
                ErrorCode.REQUIRED if not text else ErrorCode.TOO_SHORT,
                f"A statutory basis needs a written justification of at least "
                f"{JUSTIFICATION_MIN} characters: why consent cannot be relied on, and why "
                "this statute applies.",
            )
        ]
    if len(text) > JUSTIFICATION_MAX:
        return [
            FieldError(
                "justification",
                ErrorCode.TOO_LONG,
                f"justification must be at most {JUSTIFICATION_MAX} characters.",
            )
        ]
    return []


# Who a statute lets receive, and for whom. Child-welfare statutes speak for minors only
# (under 18 for the whole of this year: only the birth year is known); a notification
# under the child abuse prevention act goes to the public bodies the act names (児童相談所
# and 福祉事務所 are WELFARE_OFFICEs, 市町村 the MUNICIPALITY) or to health services.
@dataclass(frozen=True)
class StatuteScope:
    minors_only: bool
    receiver_kinds: frozenset[str] | None  # None: any kind of organisation


STATUTE_SCOPES: dict[LegalBasis, StatuteScope] = {
    LegalBasis.STATUTORY_SWA_106_6: StatuteScope(minors_only=False, receiver_kinds=None),
    LegalBasis.STATUTORY_APPI_27_1_III: StatuteScope(minors_only=True, receiver_kinds=None),
    LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION: StatuteScope(
        minors_only=True,
        receiver_kinds=frozenset({"WELFARE_OFFICE", "MUNICIPALITY", "HEALTH"}),
    ),
}


def statute_refusal(
    basis: LegalBasis, *, receiver_kind: str, birth_year: int, this_year: int
) -> FieldError | None:
    """Why this statute cannot carry a referral to this receiver for this subject, if so."""
    scope = STATUTE_SCOPES.get(basis)
    if scope is None:
        return None
    if scope.minors_only and this_year - birth_year >= ADULT_AGE:
        return FieldError(
            "legalBasis",
            ErrorCode.STATUTE_NOT_APPLICABLE,
            f"{basis.value} applies to children only; this subject may be 18 or over.",
        )
    if scope.receiver_kinds is not None and receiver_kind not in scope.receiver_kinds:
        kinds = ", ".join(sorted(scope.receiver_kinds))
        return FieldError(
            "legalBasis",
            ErrorCode.STATUTE_NOT_APPLICABLE,
            f"{basis.value} shares only with {kinds}; the receiver is a {receiver_kind}.",
        )
    return None
