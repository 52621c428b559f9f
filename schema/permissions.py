"""Who may call each root operation. The permission table in docs/identity-and-audit.md
is generated from this."""

from __future__ import annotations

from referral_hub.accounts.roles import Role
from schema.core.permissions import PUBLIC, SIGNED_IN, Permission, PermissionMiddleware, roles

OWN = "own organisation"

DECLARED: dict[str, Permission] = {
    # health
    "Query.health": PUBLIC,
    # any record by its UUID, read by its own lookup: that lookup's roles and rules apply
    "Query.node": Permission(scope="each record as its own lookup allows"),
    "Query.nodes": Permission(scope="each record as its own lookup allows"),
    # the directory is shared knowledge of the network: any member may read it
    "Query.organisation": SIGNED_IN,
    "Query.organisations": SIGNED_IN,
    "Query.service": SIGNED_IN,
    "Query.services": SIGNED_IN,
    "Query.location": SIGNED_IN,
    "Query.tags": SIGNED_IN,
    "Query.areas": SIGNED_IN,
    "Query.area": SIGNED_IN,
    # the public place finder: public directory data for residents, no sign-in
    # (rate-limited per client address and cached: docs/public-finder.md)
    "Query.publicPlaces": PUBLIC,
    "Query.publicOpportunities": PUBLIC,
    "Query.publicFinderChoices": PUBLIC,
    # pathways run over the directory's partnerships: shared knowledge too
    "Query.routes": SIGNED_IN,
    "Query.recommend": SIGNED_IN,  # forSubject: own organisation's counsellors/caseworkers
    "Query.flows": roles(Role.COORDINATOR, Role.AUDITOR, scope="its area; aggregates only"),
    "Query.coverage": roles(Role.COORDINATOR, Role.AUDITOR, scope="its area; counts only"),
    "Query.networkMap": roles(
        Role.COORDINATOR, Role.AUDITOR, scope="its area; flows as protected counts"
    ),
    # murmurs: staff of an organisation with an open exchange-type place, in its own area
    "Mutation.recordConcernSignal": roles(
        Role.COUNSELLOR, Role.CASEWORKER, Role.ORG_ADMIN, scope="own organisation's area"
    ),
    # personal data: decrypted only under the registering organisation or a consent
    "Query.subject": roles(
        Role.COUNSELLOR, Role.CASEWORKER, scope="own registrations, or under a consent"
    ),
    "Query.findSubjects": roles(Role.COUNSELLOR, scope="subjects it registered"),
    "Mutation.registerSubject": roles(Role.COUNSELLOR),
    "Mutation.recordConsent": roles(Role.COUNSELLOR, scope="subjects it registered"),
    "Mutation.amendConsent": roles(Role.COUNSELLOR, scope="subjects it registered"),
    "Mutation.withdrawConsent": roles(Role.COUNSELLOR, scope="subjects it registered"),
    "Mutation.setSubjectPreference": roles(Role.COUNSELLOR, scope="subjects it registered"),
    "Mutation.liftSubjectPreference": roles(Role.COUNSELLOR, scope="subjects it registered"),
    # referrals: the sending side's counsellors and the receiving side's caseworkers
    "Query.referral": roles(Role.COUNSELLOR, Role.CASEWORKER, scope="sender or receiver"),
    "Query.inbox": roles(Role.CASEWORKER, scope="referrals to own services"),
    "Query.outbox": roles(Role.COUNSELLOR, scope="referrals from own organisation"),
    "Query.referralAsFhir": roles(Role.COUNSELLOR, Role.CASEWORKER, scope="sender or receiver"),
    "Mutation.createReferral": roles(Role.COUNSELLOR, scope="subjects it registered"),
    "Mutation.transitionReferral": roles(
        Role.COUNSELLOR, Role.CASEWORKER, scope="sender actions: COUNSELLOR; receiver: CASEWORKER"
    ),
    # notifications: each organisation's own webhook and delivery record
    "Query.notificationDeliveries": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.registerWebhook": roles(Role.ORG_ADMIN, scope=OWN),
    # accounts
    "Query.me": SIGNED_IN,
    "Query.apiTokens": SIGNED_IN,
    # audit
    "Query.auditEvents": roles(Role.AUDITOR, scope="its area"),
    "Query.verifyAuditLog": roles(Role.AUDITOR, scope="its area's chains"),
    "Query.disclosureRecord": roles(Role.AUDITOR, scope="subjects registered in its area"),
    "Query.statutoryReviewQueue": roles(Role.AUDITOR, scope="its area"),
    "Mutation.reviewStatutoryReferral": roles(Role.AUDITOR, scope="its area"),
    # directory writes: municipal coordinators admit organisations; each keeps its own entry
    "Mutation.createOrganisation": roles(Role.COORDINATOR),
    "Mutation.updateOrganisation": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.decideOrganisationChange": roles(Role.COORDINATOR, scope="both areas within its own"),
    "Mutation.deactivateOrganisation": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.createLocation": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.updateLocation": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.deactivateLocation": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.createService": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.updateService": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.deactivateService": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.setServiceTags": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.updateServiceCapacity": roles(Role.ORG_ADMIN, Role.CASEWORKER, scope=OWN),
    "Mutation.addPartnership": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.removePartnership": roles(Role.ORG_ADMIN, scope=OWN),
    # opportunities (issue 19): public directory data, kept by the publishing organisation
    "Query.opportunity": SIGNED_IN,
    "Query.opportunities": SIGNED_IN,
    "Mutation.createOpportunity": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.updateOpportunity": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.archiveOpportunity": roles(Role.ORG_ADMIN, scope=OWN),
    # tokens: personal ones for yourself; organisation (machine) tokens by its ORG_ADMIN
    "Mutation.issueApiToken": Permission(scope="personal: yourself; organisation: ORG_ADMIN, own"),
    "Mutation.revokeApiToken": Permission(scope="your own tokens; ORG_ADMIN: own organisation's"),
    # members: each organisation's admin runs its own (invitations, factors, removal)
    # an organisation's admin imports its own services and locations from an HSDS file
    "Query.directoryImport": roles(Role.ORG_ADMIN, scope=OWN),
    "Query.directoryImports": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.startDirectoryImport": roles(Role.ORG_ADMIN, scope="own services and locations only"),
    "Query.members": roles(Role.ORG_ADMIN, scope=OWN),
    "Query.memberInvitations": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.inviteMember": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.revokeMemberInvitation": roles(Role.ORG_ADMIN, scope=OWN),
    "Mutation.resetMemberFactors": roles(Role.ORG_ADMIN, scope="own members; not a SYSTEM_ADMIN"),
    "Mutation.removeMember": roles(Role.ORG_ADMIN, scope="own members; not yourself"),
    "Mutation.setMemberRoles": roles(
        Role.ORG_ADMIN, scope="own members; not a SYSTEM_ADMIN; ORG_ADMIN not from yourself"
    ),
    # issue 20: check-ins — the receiving organisation's caseworkers follow up connections
    "Query.checkIns": roles(Role.CASEWORKER, scope="check-ins of referrals to own services"),
    "Mutation.recordCheckIn": roles(Role.CASEWORKER, scope="referrals to own services"),
    # issue 20: support meetings (支援会議): convened by a coordinator for its area; content
    # only to participants who acknowledged confidentiality, within the sight window
    "Query.supportMeeting": roles(
        Role.COORDINATOR,
        Role.COUNSELLOR,
        Role.CASEWORKER,
        Role.AUDITOR,
        scope="convener, invited organisations' members, auditors of its area",
    ),
    "Query.supportMeetings": roles(
        Role.COORDINATOR,
        Role.COUNSELLOR,
        Role.CASEWORKER,
        Role.AUDITOR,
        scope="convened, invited to, or (auditor) in its area",
    ),
    "Mutation.conveneSupportMeeting": roles(Role.COORDINATOR, scope="an area within its own"),
    "Mutation.inviteToSupportMeeting": roles(Role.COORDINATOR, scope="meetings it convened"),
    "Mutation.acknowledgeConfidentiality": roles(
        Role.COORDINATOR, Role.COUNSELLOR, Role.CASEWORKER, scope="invited organisations' members"
    ),
    "Mutation.addMeetingSubject": roles(Role.COORDINATOR, scope="meetings it convened"),
    "Mutation.recordMeetingMinutes": roles(Role.COORDINATOR, scope="meetings it convened"),
    "Mutation.recordMeetingDecision": roles(Role.COORDINATOR, scope="meetings it convened"),
    "Mutation.closeSupportMeeting": roles(Role.COORDINATOR, scope="meetings it convened"),
}

# issue 20: generations — a welfare volunteer (民生委員) reports a concern heard on their
# rounds in their district (the organisation's area), naming no one; nothing else.
DECLARED["Mutation.recordConcernSignal"] = roles(
    Role.COUNSELLOR,
    Role.CASEWORKER,
    Role.ORG_ADMIN,
    Role.WELFARE_VOLUNTEER,
    scope="own organisation's area; a welfare volunteer's district",
)


def markdown_table() -> str:
    """The permission table in docs/identity-and-audit.md (SYSTEM_ADMIN may do everything
    and is not listed)."""
    lines = ["| operation | who may call it |", "|---|---|"]
    for key in sorted(DECLARED, key=lambda k: (not k.startswith("Query"), k)):
        kind, name = key.split(".")
        lines.append(f"| {kind.lower()} `{name}` | {DECLARED[key].describe()} |")
    return "\n".join(lines)


class DeclaredPermissions(PermissionMiddleware):
    """The permission middleware with the declarations above: what every document runs
    through (schema/core/entry.py) and what graphene-django's own view is given
    (GRAPHENE["MIDDLEWARE"] in settings), which builds it with no arguments."""

    def __init__(self) -> None:
        super().__init__(DECLARED)
