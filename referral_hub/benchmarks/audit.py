"""The auditor's reads at scale: a subject's disclosure record (one statement over the
events that mention it, which the inbox bench grows with every page it reads) and the
verification of an area's chains (every chain with an event in the area, whole).

Runs as an auditor of 川崎市 (141305), above the inbox bench's ward (141313), signed in as
a person is; the statement alone is timed beside the GraphQL request."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.test import Client

from graph import audit_log, disclosure_repo, session
from referral_hub.accounts import signin
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.benchmarks.inbox import SCHOOL
from referral_hub.benchmarks.timing import Sample, graphql_runner, measure
from referral_hub.core.audit import audit_record
from referral_hub.directory import reference_data
from referral_hub.directory import services as directory

KAWASAKI = "141305"
_OFFICE = "ベンチ用 監査室"
_FIND_OFFICE = "MATCH (o:Organisation {name: $name, areaCode: $area}) RETURN o.id AS id"
# The bench school's subject with the longest audit history.
_LONGEST = """
MATCH (s:Subject)-[:REGISTERED_BY]->(:Organisation {name: $school})
WITH s, COUNT { (:AuditMention {subject: s.id}) } AS events
RETURN s.id AS id, events ORDER BY events DESC LIMIT 1
"""
_EVENTS = "MATCH (e:AuditEvent) WHERE e.areaCode IN $codes RETURN count(e) AS n"
RECORD = """
query($s: ID!) {
  disclosureRecord(subjectId: $s) {
    subjectId events { id seq at action actorOrganisationName recipientName legalBasis
                       consentVersion categories fields hash }
    consents { id version state organisations { name } }
  }
}
"""
VERIFY = "{ verifyAuditLog { chains events intact } }"


def auditor() -> Client:
    found = session.read(lambda tx: tx.single(_FIND_OFFICE, name=_OFFICE, area=KAWASAKI))
    office = found["id"] if found else None
    if office is None:
        data = {"name": _OFFICE, "kind": "MUNICIPALITY", "area_code": KAWASAKI}
        office = directory.organisation_create(actor=SYSTEM, data=data)["id"]
    user, _ = get_user_model().objects.get_or_create(username="bench-auditor")
    Membership.objects.get_or_create(user=user, organisation_id=office, role=Role.AUDITOR.value)
    return signin.sign_in(Client(HTTP_ACCEPT_LANGUAGE="ja"), user)


def run(*, count: int, warmup: int) -> Iterator[Sample]:
    """After the inbox bench (its subjects are the ones read)."""
    client = auditor()
    subject = session.read(lambda tx: tx.single(_LONGEST, school=SCHOOL))
    if subject is None:
        return
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    scale = f"{subject['events']} ev"
    cases = range(count + warmup)
    reader = audit_record(SYSTEM, "DISCLOSURE_RECORD_READ", "Subject", subject["id"])

    def raw(_: object) -> object:
        return disclosure_repo.disclosure_record(
            subject_id=subject["id"], every_area=True, reader=reader
        )

    yield measure("disclosure record", scale, "cypher", raw, cases, warmup=warmup)
    record = graphql_runner(client, RECORD, headers, lambda _: {"s": subject["id"]})
    yield measure("disclosure record", scale, "graphql", record, cases, warmup=warmup)

    codes = reference_data.area_codes_within(KAWASAKI)
    counted = session.read(lambda tx: tx.single(_EVENTS, codes=codes))
    assert counted is not None  # count() always returns its one row
    events = counted["n"]
    few = range(min(count, 10) + min(warmup, 2))
    verifier = audit_record(SYSTEM, "AUDIT_VERIFY", "AuditLog", None)

    def verify_raw(_: object) -> object:
        return audit_log.verify_area(area_codes=codes, reader=verifier)

    label, area_scale = "verify area chains", f"{events / 1000:.1f}k ev"
    yield measure(label, area_scale, "cypher", verify_raw, few, warmup=min(warmup, 2))
    verify = graphql_runner(client, VERIFY, headers, lambda _: {})
    yield measure(label, area_scale, "graphql", verify, few, warmup=min(warmup, 2))
