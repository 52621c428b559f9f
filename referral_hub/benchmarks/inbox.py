"""An inbox page of 50: one statement that pages, checks each subject's basis and appends
50 audit events, then 50 initials decrypted. Measured through the service layer; the
server bench (server.py) also runs the statement alone, with and without its audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import LiteralString

from graph import referral_list_repo, session
from graph.audit_log import APPEND_PAGE_READ
from graph.listing import PageRequest
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.benchmarks.timing import Sample, measure
from referral_hub.consent.policy import ConsentTerms
from referral_hub.directory import services as directory
from referral_hub.referrals import lists
from referral_hub.referrals import services as referrals
from referral_hub.referrals.requests import NewReferral
from referral_hub.subjects import services as subjects

SCHOOL, OFFICE = "ベンチ中学校", "ベンチ福祉事務所"

# The inbox's statement as the repository sends it, and the audit fragment inside it. The
# bench needs the text itself (to time it alone and to take the audit out), which no
# public name of graph/ gives; if the audit rewrite renames the fragment, this is the line.
INBOX_STATEMENT: LiteralString = referral_list_repo._INBOX
AUDIT_FRAGMENT: LiteralString = APPEND_PAGE_READ


def without_audit(
    statement: LiteralString = INBOX_STATEMENT, fragment: LiteralString = AUDIT_FRAGMENT
) -> LiteralString:
    """The statement with the audit fragment's text taken out: the same page, not audited,
    so the audit's own cost can be measured. Refuses a statement without the fragment (a
    renamed fragment would otherwise compare the audited statement with itself)."""
    if fragment not in statement:
        raise ValueError("the audit fragment is not in the statement")
    return statement.replace(fragment, "")


_EXISTING = """
OPTIONAL MATCH (o:Organisation {name: $school})
OPTIONAL MATCH (w:Organisation {name: $office})
OPTIONAL MATCH (w)-[:PROVIDES]->(svc:Service)
RETURN o.id AS school, w.id AS welfare, svc.id AS service,
       COUNT { (svc)<-[:TO]-(:Referral) } AS referrals
"""


def _network(referral_count: int) -> str:
    """The bench's own school and welfare office with `referral_count` referrals (made once,
    completed if an earlier run was interrupted)."""
    found = session.read(lambda tx: tx.single(_EXISTING, school=SCHOOL, office=OFFICE)) or {}
    admin = Actor(username="bench", roles=frozenset({Role.SYSTEM_ADMIN}))
    school = (
        found.get("school")
        or directory.organisation_create(
            actor=admin, data={"name": SCHOOL, "kind": "SCHOOL", "area_code": "141313"}
        )["id"]
    )
    welfare = (
        found.get("welfare")
        or directory.organisation_create(
            actor=admin, data={"name": OFFICE, "kind": "WELFARE_OFFICE", "area_code": "141313"}
        )["id"]
    )
    service = (
        found.get("service")
        or directory.service_create(
            actor=admin,
            data={"organisation_id": welfare, "name": "子ども家庭相談", "mode": "SUPPORT"},
        )["id"]
    )
    counsellor = Actor(username="bench", organisation_id=school, roles=frozenset({Role.COUNSELLOR}))
    for number in range(found.get("referrals") or 0, referral_count):
        subject, _ = subjects.subject_register(
            actor=counsellor,
            data={"birthYear": 2012, "areaCode": "141313", "name": f"山田 太郎{number}"},
        )
        subjects.consent_record(
            actor=counsellor,
            subject_id=subject["id"],
            terms=ConsentTerms(
                given_by="GUARDIAN",
                guardian_relationship="母",
                purposes=["REFERRAL"],
                categories=["CONTACT"],
                valid_until=date.today() + timedelta(days=300),
                method="VERBAL",
                organisation_ids=[welfare],
            ),
        )
        referrals.referral_create(
            actor=counsellor,
            request=NewReferral(
                subject_id=subject["id"], service_id=service, categories=["CONTACT"]
            ),
        )
    return welfare


def run(*, count: int, warmup: int) -> Iterator[Sample]:
    welfare = _network(200)
    caseworker = Actor(
        username="bench", organisation_id=welfare, roles=frozenset({Role.CASEWORKER})
    )

    def page(_: object) -> object:
        result = lists.referral_box(
            actor=caseworker, box=lists.Box.INBOX, page=PageRequest(first=50)
        )
        assert len(result.items) == 50
        assert result.items[0]["subject_initials"]
        return result

    yield measure(
        "inbox page of 50", "200 in box", "service", page, range(count + warmup), warmup=warmup
    )
