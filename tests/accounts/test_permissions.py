"""Declared permissions: complete, enforced for every role, and documented from the code."""

from pathlib import Path

import pytest

from referral_hub.accounts.roles import Role
from schema.permissions import DECLARED, markdown_table
from schema.schema import schema
from tests import directory_fixtures
from tests.conftest import GraphQLClient, member

PERMISSIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "identity-and-audit.md"

# One small document per root operation; {name} placeholders are ids from the network.
OPERATIONS = {
    "Query.health": ("{ health { ok } }", {}),
    "Query.node": ("query($id: ID!) { node(id: $id) { id } }", {"id": "{npo}"}),
    "Query.nodes": ("query($id: ID!) { nodes(ids: [$id]) { id } }", {"id": "{study}"}),
    "Query.organisation": ("query($id: ID!) { organisation(id: $id) { id } }", {"id": "{npo}"}),
    "Query.organisations": ("{ organisations(first: 1) { edges { node { id } } } }", {}),
    "Query.service": ("query($id: ID!) { service(id: $id) { id } }", {"id": "{study}"}),
    "Query.services": ("{ services(first: 1) { edges { node { id } } } }", {}),
    "Query.location": ("query($id: ID!) { location(id: $id) { id } }", {"id": "{npo_loc}"}),
    "Query.tags": ("{ tags { code } }", {}),
    "Query.areas": ("{ areas { code } }", {}),
    "Query.area": ('{ area(code: "131121") { code } }', {}),
    "Query.publicPlaces": ("{ publicPlaces(first: 1) { edges { cursor } } }", {}),
    "Query.publicOpportunities": ("{ publicOpportunities(first: 1) { edges { cursor } } }", {}),
    "Query.publicFinderChoices": ("{ publicFinderChoices { interestTags { code } } }", {}),
    "Query.me": ("{ me { username roles } }", {}),
    "Query.apiTokens": ("{ apiTokens { id } }", {}),
    "Query.auditEvents": ("{ auditEvents(first: 1) { edges { node { id } } } }", {}),
    "Query.verifyAuditLog": ("{ verifyAuditLog { intact } }", {}),
    "Query.disclosureRecord": (
        "query($s: ID!) { disclosureRecord(subjectId: $s) { subjectId } }",
        {"s": "{npo}"},
    ),
    "Mutation.createOrganisation": (
        'mutation { createOrganisation(input: {name: "新しい居場所", kind: PLACE}) '
        "{ errors { code } } }",
        {},
    ),
    "Mutation.updateOrganisation": (
        'mutation($id: ID!) { updateOrganisation(id: $id, input: {phone: "044-000-0000"}) '
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.decideOrganisationChange": (
        "mutation($id: ID!) { decideOrganisationChange(id: $id, approve: false) "
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.deactivateOrganisation": (
        "mutation($id: ID!) { deactivateOrganisation(id: $id) { errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.createLocation": (
        'mutation($o: ID!) { createLocation(input: {organisationId: $o, name: "分室", '
        'areaCode: "141330"}) { errors { code } } }',
        {"o": "{npo}"},
    ),
    "Mutation.updateLocation": (
        'mutation($id: ID!) { updateLocation(id: $id, input: {address: "中原区"}) '
        "{ errors { code } } }",
        {"id": "{npo_loc}"},
    ),
    "Mutation.deactivateLocation": (
        "mutation($id: ID!) { deactivateLocation(id: $id) { errors { code } } }",
        {"id": "{npo_loc}"},
    ),
    "Mutation.createService": (
        'mutation($o: ID!) { createService(input: {organisationId: $o, name: "読書会", '
        "mode: EXCHANGE}) { errors { code } } }",
        {"o": "{npo}"},
    ),
    "Mutation.updateService": (
        'mutation($id: ID!) { updateService(id: $id, input: {schedule: "毎週土曜"}) '
        "{ errors { code } } }",
        {"id": "{study}"},
    ),
    "Mutation.deactivateService": (
        "mutation($id: ID!) { deactivateService(id: $id) { errors { code } } }",
        {"id": "{study}"},
    ),
    "Mutation.setServiceTags": (
        'mutation($id: ID!) { setServiceTags(serviceId: $id, tagCodes: ["reading"]) '
        "{ errors { code } } }",
        {"id": "{study}"},
    ),
    "Mutation.updateServiceCapacity": (
        "mutation($id: ID!) { updateServiceCapacity(serviceId: $id, status: FULL) "
        "{ errors { code } } }",
        {"id": "{study}"},
    ),
    "Mutation.addPartnership": (
        "mutation($a: ID!, $b: ID!) { addPartnership(organisationId: $a, partnerId: $b) "
        "{ errors { code } } }",
        {"a": "{npo}", "b": "{school}"},
    ),
    "Mutation.removePartnership": (
        "mutation($a: ID!, $b: ID!) { removePartnership(organisationId: $a, partnerId: $b) "
        "{ errors { code } } }",
        {"a": "{npo}", "b": "{school}"},
    ),
    "Query.subject": ("query($id: ID!) { subject(id: $id) { id } }", {"id": "{npo}"}),
    "Query.findSubjects": (
        '{ findSubjects(name: "やまだ", birthYear: 2012, areaCode: "141313") { id } }',
        {},
    ),
    "Mutation.registerSubject": (
        'mutation { registerSubject(input: {birthYear: 2012, areaCode: "141313"}) '
        "{ errors { code } } }",
        {},
    ),
    "Mutation.recordConsent": (
        "mutation($s: ID!) { recordConsent(input: {subjectId: $s, givenBy: GUARDIAN, "
        'guardianRelationship: "母", purposes: [REFERRAL], categories: [CONTACT], '
        'validUntil: "2027-03-31", method: VERBAL, organisationIds: [$s]}) '
        "{ errors { code } } }",
        {"s": "{npo}"},
    ),
    "Mutation.amendConsent": (
        'mutation { amendConsent(id: "00000000-0000-4000-8000-000000000000", input: '
        "{givenBy: GUARDIAN, purposes: [REFERRAL], categories: [CONTACT], "
        'validUntil: "2027-03-31", method: VERBAL}) { errors { code } } }',
        {},
    ),
    "Mutation.withdrawConsent": (
        'mutation { withdrawConsent(id: "00000000-0000-4000-8000-000000000000") '
        "{ errors { code } } }",
        {},
    ),
    "Mutation.setSubjectPreference": (
        "mutation { setSubjectPreference(input: "
        '{subjectId: "00000000-0000-4000-8000-000000000000", givenBy: SUBJECT, '
        "doNotRefer: true}) { errors { code } } }",
        {},
    ),
    "Mutation.liftSubjectPreference": (
        "mutation { liftSubjectPreference(input: "
        '{subjectId: "00000000-0000-4000-8000-000000000000"}) { errors { code } } }',
        {},
    ),
    "Query.referral": ("query($id: ID!) { referral(id: $id) { id } }", {"id": "{npo}"}),
    "Query.referralAsFhir": ("query($id: ID!) { referralAsFhir(id: $id) }", {"id": "{npo}"}),
    "Query.notificationDeliveries": ("{ notificationDeliveries { id } }", {}),
    "Mutation.registerWebhook": (
        'mutation { registerWebhook(url: "https://example.jp/hook") { errors { code } } }',
        {},
    ),
    "Query.flows": (
        '{ flows(area: "141330", since: "2026-01-01", until: "2027-01-01") { shownReferrals } }',
        {},
    ),
    "Query.coverage": ('{ coverage(area: "141330") { area } }', {}),  # the NPO's ward
    "Query.networkMap": ('{ networkMap(area: "141330") { suppressedFlows } }', {}),
    "Query.routes": (
        'query($o: ID!) { routes(fromOrganisation: $o, need: "meal_provision") { hops } }',
        {"o": "{npo}"},
    ),
    "Query.recommend": (
        'query($o: ID!) { recommend(fromOrganisation: $o, needTags: ["meal_provision"], '
        'area: "141330") { exchangeFirst } }',
        {"o": "{npo}"},
    ),
    "Query.inbox": ("{ inbox { edges { node { id } } } }", {}),
    "Query.outbox": ("{ outbox { edges { node { id } } } }", {}),
    "Query.statutoryReviewQueue": ("{ statutoryReviewQueue { edges { node { id } } } }", {}),
    "Mutation.reviewStatutoryReferral": (
        "mutation($id: ID!) { reviewStatutoryReferral(id: $id, finding: APPROPRIATE) "
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.createReferral": (
        "mutation($s: ID!) { createReferral(input: {subjectId: $s, serviceId: $s, "
        "categories: [CONTACT]}) { errors { code } } }",
        {"s": "{npo}"},
    ),
    "Mutation.transitionReferral": (
        "mutation($id: ID!) { transitionReferral(id: $id, action: ACCEPT, version: 1) "
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.issueApiToken": (
        'mutation { issueApiToken(name: "ci", kind: PERSONAL) { errors { code } } }',
        {},
    ),
    "Mutation.revokeApiToken": (
        'mutation { revokeApiToken(id: "999999") { errors { code } } }',
        {},
    ),
    "Query.members": ("{ members { username } }", {}),
    "Query.memberInvitations": ("{ memberInvitations { id } }", {}),
    "Mutation.inviteMember": (
        'mutation { inviteMember(email: "x", role: "COUNSELLOR") { errors { code } } }',
        {},
    ),
    "Mutation.revokeMemberInvitation": (
        'mutation { revokeMemberInvitation(id: "999999") { errors { code } } }',
        {},
    ),
    "Mutation.resetMemberFactors": (
        'mutation { resetMemberFactors(userId: "999999") { errors { code } } }',
        {},
    ),
    "Mutation.removeMember": (
        'mutation { removeMember(userId: "999999") { errors { code } } }',
        {},
    ),
    "Mutation.setMemberRoles": (
        'mutation { setMemberRoles(userId: "999999", roles: ["CASEWORKER"]) { errors { code } } }',
        {},
    ),
    "Query.directoryImport": (
        'query { directoryImport(id: "6f1c0d0e-5a8e-4c52-9d1e-0c6d3f4b2a10") { id } }',
        {},
    ),
    "Query.directoryImports": ("{ directoryImports { id } }", {}),
    "Mutation.recordConcernSignal": (
        'mutation { recordConcernSignal(input: {needTag: "bullying", areaCode: "141330", '
        "ageBand: UNKNOWN}) { errors { code } } }",
        {},
    ),
    "Query.opportunity": ("query($id: ID!) { opportunity(id: $id) { id } }", {"id": "{npo}"}),
    "Query.opportunities": ("{ opportunities(first: 1) { edges { node { id } } } }", {}),
    "Mutation.createOpportunity": (
        "mutation($o: ID!, $s: ID!) { createOpportunity(input: {organisationId: $o, "
        'title: "将棋を教える", areaCode: "141330", serviceId: $s, interestTags: ["go_shogi"]}) '
        "{ errors { code } } }",
        {"o": "{npo}", "s": "{study}"},
    ),
    "Mutation.updateOpportunity": (
        'mutation($id: ID!) { updateOpportunity(input: {id: $id, schedule: "毎週土曜"}) '
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.archiveOpportunity": (
        "mutation($id: ID!) { archiveOpportunity(input: {id: $id}) { errors { code } } }",
        {"id": "{npo}"},
    ),
    # issue 20: check-ins
    "Query.checkIns": ("{ checkIns(first: 1) { edges { node { id } } } }", {}),
    "Mutation.recordCheckIn": (
        "mutation($id: ID!) { recordCheckIn(input: {referralId: $id, index: 0, answer: STOPPED}) "
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    # issue 20: support meetings (an unknown meeting: the permission is what is checked)
    "Query.supportMeeting": ("query($id: ID!) { supportMeeting(id: $id) { id } }", {"id": "{npo}"}),
    "Query.supportMeetings": ("{ supportMeetings { id } }", {}),
    "Mutation.conveneSupportMeeting": (
        'mutation { conveneSupportMeeting(input: {title: "会議", areaCode: "141305"}) '
        "{ errors { code } } }",
        {},
    ),
    "Mutation.inviteToSupportMeeting": (
        "mutation($id: ID!) { inviteToSupportMeeting(input: {meetingId: $id, "
        "organisationIds: [$id]}) { errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.acknowledgeConfidentiality": (
        "mutation($id: ID!) { acknowledgeConfidentiality(input: {meetingId: $id}) "
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.addMeetingSubject": (
        "mutation($id: ID!) { addMeetingSubject(input: {meetingId: $id, subjectId: $id}) "
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.recordMeetingMinutes": (
        'mutation($id: ID!) { recordMeetingMinutes(input: {meetingId: $id, text: "議事"}) '
        "{ errors { code } } }",
        {"id": "{npo}"},
    ),
    "Mutation.recordMeetingDecision": (
        "mutation($id: ID!) { recordMeetingDecision(input: {meetingId: $id, subjectId: $id, "
        'text: "決定"}) { errors { code } } }',
        {"id": "{npo}"},
    ),
    "Mutation.closeSupportMeeting": (
        "mutation($id: ID!) { closeSupportMeeting(input: {meetingId: $id}) { errors { code } } }",
        {"id": "{npo}"},
    ),
    # The file goes as a multipart upload (see UPLOADS).
    "Mutation.startDirectoryImport": (
        "mutation($file: Upload!) { startDirectoryImport(file: $file) { errors { code } } }",
        {},
    ),
}


def _root_fields() -> set[str]:
    graphql_schema = schema.graphql_schema
    return {
        f"{kind.name}.{name}"
        for kind in (graphql_schema.query_type, graphql_schema.mutation_type)
        for name in kind.fields
    }


def test_every_root_field_declares_who_may_call_it():
    assert _root_fields() - set(DECLARED) == set(), "declare them in schema/permissions.py"
    assert set(DECLARED) - _root_fields() == set(), "declared operations that do not exist"


def test_every_operation_is_in_the_role_matrix():
    assert set(OPERATIONS) == set(DECLARED)


def test_the_documented_permission_table_is_generated_from_the_declarations():
    assert markdown_table() in PERMISSIONS_DOC.read_text(encoding="utf-8"), (
        "docs/identity-and-audit.md is stale: paste `python manage.py permissions_table`"
    )


UPLOADS = {"Mutation.startDirectoryImport": {"file": b'{"organization": []}'}}


def _fill(variables, network):
    return {k: network[v.strip("{}")] if v.startswith("{") else v for k, v in variables.items()}


def _code(body):
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@pytest.fixture
def network(graph_db, db, redis_db):
    return directory_fixtures.build()


def test_the_role_by_operation_matrix(network):
    """Each role, acting for the NPO, on every operation: allowed or refused as declared."""
    callers = {None: GraphQLClient()}
    for role in Role:
        callers[role] = member(f"user-{role.value.lower()}", network["npo"], role)
    for key, (document, variables) in OPERATIONS.items():
        permission = DECLARED[key]
        for role, call in callers.items():
            answer = call(
                document, _fill(variables, network), expect_status=None, files=UPLOADS.get(key)
            )
            code = _code(answer)
            if permission.public:
                expected_refusal = None
            elif role is None:
                expected_refusal = "UNAUTHENTICATED"
            elif permission.roles is None or role in permission.roles or role == Role.SYSTEM_ADMIN:
                expected_refusal = None
            else:
                expected_refusal = "FORBIDDEN"
            refused = code if code in ("UNAUTHENTICATED", "FORBIDDEN") else None
            assert refused == expected_refusal, (key, role, code)


def test_an_org_admin_changes_only_its_own_organisation(network):
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    own = (
        'mutation($id: ID!) { updateOrganisation(id: $id, input: {phone: "044-1"}) '
        "{ organisation { phone } errors { code } } }"
    )
    assert admin(own, {"id": network["npo"]})["data"]["updateOrganisation"]["organisation"] == {
        "phone": "044-1"
    }
    for other in ("school", "welfare"):
        assert _code(admin(own, {"id": network[other]})) == "FORBIDDEN"
    consult = network["consult"]  # the welfare office's service
    capacity = (
        "mutation($id: ID!) { updateServiceCapacity(serviceId: $id, status: FULL) "
        "{ errors { code } } }"
    )
    # Another organisation's service answers like one that does not exist (issue 12).
    foreign = admin(capacity, {"id": consult})["data"]["updateServiceCapacity"]
    assert foreign == {"errors": [{"code": "NOT_FOUND"}]}
    assert (
        admin(capacity, {"id": network["study"]})["data"]["updateServiceCapacity"]["errors"] == []
    )


def test_a_caseworker_updates_capacity_but_not_the_entry(network):
    caseworker = member("npo-caseworker", network["npo"], Role.CASEWORKER)
    capacity = (
        "mutation($id: ID!) { updateServiceCapacity(serviceId: $id, status: FULL) "
        "{ service { capacityStatus } errors { code } } }"
    )
    body = caseworker(capacity, {"id": network["study"]})
    assert body["data"]["updateServiceCapacity"]["service"] == {"capacityStatus": "FULL"}
    foreign = caseworker(capacity, {"id": network["consult"]})["data"]["updateServiceCapacity"]
    assert foreign == {"service": None, "errors": [{"code": "NOT_FOUND"}]}
    update = 'mutation($id: ID!) { updateService(id: $id, input: {name: "x"}) { errors { code } } }'
    assert _code(caseworker(update, {"id": network["study"]})) == "FORBIDDEN"


def test_acting_for_an_organisation_you_do_not_belong_to_is_forbidden(network):
    user = member("npo-counsellor", network["npo"], Role.COUNSELLOR)
    intruder = GraphQLClient(
        user.headers["HTTP_AUTHORIZATION"].removeprefix("Bearer "),
        organisation_id=network["welfare"],
    )
    assert _code(intruder("{ me { username } }")) == "FORBIDDEN"
    assert user("{ me { organisationId roles } }")["data"]["me"] == {
        "organisationId": network["npo"],
        "roles": ["COUNSELLOR"],
    }
