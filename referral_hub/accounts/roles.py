"""Roles a member can hold in an organisation (see DESIGN.md, "Who uses it")."""

from enum import StrEnum


class Role(StrEnum):
    COUNSELLOR = "COUNSELLOR"  # refers: registers subjects, records consent, sends referrals
    CASEWORKER = "CASEWORKER"  # receives: inbox, accept/decline, progress, outcome
    COORDINATOR = "COORDINATOR"  # municipality: pathways, flows, coverage; aggregates only
    ORG_ADMIN = "ORG_ADMIN"  # keeps its organisation's directory entry, members and tokens
    AUDITOR = "AUDITOR"  # reads consents and the access log for its area
    SYSTEM_ADMIN = "SYSTEM_ADMIN"  # runs the service; may act for any organisation
