"""Roles a member can hold in an organisation (see DESIGN.md, "Who uses it")."""

from enum import StrEnum


class Role(StrEnum):
    COUNSELLOR = "COUNSELLOR"  # refers: registers subjects, records consent, sends referrals
    CASEWORKER = "CASEWORKER"  # receives: inbox, accept/decline, progress, outcome
    COORDINATOR = "COORDINATOR"  # municipality: pathways, flows, coverage, support meetings
    ORG_ADMIN = "ORG_ADMIN"  # keeps its organisation's directory entry, members and tokens
    AUDITOR = "AUDITOR"  # reads consents and the access log for its area
    SYSTEM_ADMIN = "SYSTEM_ADMIN"  # runs the service; may act for any organisation
    # A welfare volunteer (民生委員・児童委員, issue 20): a person, not staff, held in the
    # membership of the body that runs the district's volunteers (its 民児協: the municipality
    # or the social welfare council), whose area is the district served. Least privilege:
    # reports a concern heard on their rounds (recordConcernSignal), naming no one.
    WELFARE_VOLUNTEER = "WELFARE_VOLUNTEER"
