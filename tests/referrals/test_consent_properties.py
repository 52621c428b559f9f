"""Random sequences of consent, referrals, handoff moves and reads, against the real graph.

After every step: no read returned subject data unless a permitting consent or statutory
basis held at that moment (and every read that the rules permit did return it), every
successful read has its audit event, and no open referral rests on a withdrawn consent.
The oracle is the consent rule written plainly here, over the consents this test gave.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from graph import audit as audit_log
from graph import reference as reference_repo
from graph import session
from graph.listing import PageRequest
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.errors import PublicError, ValidationFailed
from referral_hub.directory import reference_data
from referral_hub.referrals import handoff, lists
from referral_hub.referrals import services as referrals
from referral_hub.subjects import services as subjects
from tests import directory_fixtures
from tests.conftest import wipe_graph

RECEIVERS = ("welfare", "npo", "cafe_org")
SERVICES = {"consult": "welfare", "study": "npo", "freeschool": "npo"}
CATEGORIES = ("CONTACT", "SCHOOL_ATTENDANCE", "NOTES")
FIELDS = {"name": "CONTACT", "contact": "CONTACT", "notes": "NOTES"}
OPEN = {"DRAFT", "SENT", "RECEIVED", "ACCEPTED", "IN_PROGRESS"}
WHY = "支援会議で共有が決定された。保護者と連絡が取れず、同意を得る見込みが立たないため。"

_STATES = """
MATCH (r:Referral)-[:FOR]->(s:Subject), (r)-[:TO]->(:Service)<-[:PROVIDES]-(to:Organisation)
RETURN r.id AS id, r.state AS state, r.version AS version, r.legalBasis AS basis,
       s.id AS subject, to.id AS to, r.categories AS categories
"""
_AUDITED = """
MATCH (e:AuditEvent {outcome: 'OK'}) WHERE e.action IN ['SUBJECT_READ', 'REFERRAL_INBOX_READ']
RETURN e.action AS action, count(e) AS n
"""
_OPEN_UNDER_WITHDRAWN = """
MATCH (r:Referral)-[:UNDER]->(c:Consent) WHERE c.state <> 'ACTIVE' AND r.state IN $open
RETURN count(r) AS n
"""


@dataclass
class Consent:
    subject: str
    receivers: frozenset[str]
    categories: frozenset[str]
    active: bool = True


@dataclass
class Model:
    consents: dict[str, Consent] = field(default_factory=dict)
    referrals: dict[str, dict] = field(default_factory=dict)  # synced from the graph
    audited: dict[str, int] = field(
        default_factory=lambda: {"SUBJECT_READ": 0, "REFERRAL_INBOX_READ": 0}
    )


class ConsentMachine(RuleBasedStateMachine):
    subjects = Bundle("subjects")
    consents = Bundle("consents")

    def __init__(self) -> None:
        super().__init__()
        wipe_graph()
        reference_repo.tags_sync(reference_data.tag_rows()[0], checksum="test")
        self.net = directory_fixtures.build()
        self.model = Model()

        def actor(name: str, org: str, *roles: Role) -> Actor:
            return Actor(username=name, organisation_id=self.net[org], roles=frozenset(roles))

        self.counsellor = actor("counsellor", "school", Role.COUNSELLOR)
        self.caseworkers = {org: actor(f"cw-{org}", org, Role.CASEWORKER) for org in RECEIVERS}
        self.readers = {"school": self.counsellor, **self.caseworkers}

    # --- the oracle -------------------------------------------------------------------

    def permitted(self, reader: str, subject: str, categories: set[str]) -> bool:
        if reader == "school":  # it registered every subject here
            return True
        if any(
            c.active
            and c.subject == subject
            and reader in c.receivers
            and categories <= c.categories
            for c in self.model.consents.values()
        ):
            return True
        return any(
            r["subject"] == subject
            and r["to"] == self.net[reader]
            and r["basis"].startswith("STATUTORY_")
            and r["state"] in OPEN
            for r in self.model.referrals.values()
        )

    def sync(self) -> None:
        rows = session.read(lambda tx: tx.rows(_STATES))
        self.model.referrals = {row["id"]: row for row in rows}

    # --- steps -----------------------------------------------------------------------

    @initialize(target=subjects)
    def first_subject(self) -> str:
        return self.register()

    @initialize(
        target=consents,
        subject=subjects,
        receivers=st.frozensets(st.sampled_from(RECEIVERS), min_size=1),
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
    )
    def first_consent(self, subject: str, receivers: frozenset, categories: frozenset) -> str:
        return self.give_consent(subject, receivers, categories)

    @rule(target=subjects)
    def register(self) -> str:
        subject, _ = subjects.subject_register(
            actor=self.counsellor,
            data={
                "birthYear": 2012,
                "areaCode": "141313",
                "name": "山田 太郎",
                "contact": "090-1111-2222",
                "notes": "欠席が続く",
            },
        )
        return subject["id"]

    @rule(
        target=consents,
        subject=subjects,
        receivers=st.frozensets(st.sampled_from(RECEIVERS), min_size=1),
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
    )
    def give_consent(self, subject: str, receivers: frozenset, categories: frozenset) -> str:
        consent = subjects.consent_record(
            actor=self.counsellor,
            data={
                "subjectId": subject,
                "givenBy": "GUARDIAN",
                "guardianRelationship": "母",
                "purposes": ["REFERRAL"],
                "categories": sorted(categories),
                "validUntil": date.today() + timedelta(days=90),
                "method": "VERBAL",
                "organisationIds": [self.net[r] for r in sorted(receivers)],
            },
        )
        self.model.consents[consent["id"]] = Consent(subject, receivers, categories)
        return consent["id"]

    @rule(consent=consumes(consents))
    def withdraw(self, consent: str) -> None:
        subjects.consent_withdraw(actor=self.counsellor, consent_id=consent)
        self.model.consents[consent].active = False
        self.sync()

    @rule(
        subject=subjects,
        service=st.sampled_from(sorted(SERVICES)),
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
        statutory=st.booleans(),
    )
    def create_referral(
        self, subject: str, service: str, categories: frozenset, statutory: bool
    ) -> None:
        data = {
            "subjectId": subject,
            "serviceId": self.net[service],
            "summary": "要支援",
            "categories": sorted(categories),
            "acceptWaitlist": True,
        }
        if statutory:
            data |= {"legalBasis": "STATUTORY_SWA_106_6", "justification": WHY}
        # Refusals (no consent, a duplicate) are expected; the reads check what follows.
        with contextlib.suppress(ValidationFailed, PublicError):
            referrals.referral_create(actor=self.counsellor, data=data)
        self.sync()

    @rule(
        data=st.data(),
        action=st.sampled_from(list(handoff.Action)),
        side=st.sampled_from(["sender", "receiver"]),
    )
    def move(self, data: st.DataObject, action: handoff.Action, side: str) -> None:
        if not self.model.referrals:
            return
        referral = self.model.referrals[data.draw(st.sampled_from(sorted(self.model.referrals)))]
        receiver = next(o for o in RECEIVERS if self.net[o] == referral["to"])
        actor = self.counsellor if side == "sender" else self.caseworkers[receiver]
        with contextlib.suppress(ValidationFailed, PublicError):
            referrals.referral_transition(
                actor=actor,
                referral_id=referral["id"],
                action=action,
                version_seen=referral["version"],
                reason=handoff.DeclineReason.NOT_ELIGIBLE
                if action == handoff.Action.DECLINE
                else None,
                outcome=handoff.Outcome.CONNECTED if action == handoff.Action.COMPLETE else None,
            )
        self.sync()

    @rule(
        reader=st.sampled_from(["school", *RECEIVERS]),
        subject=subjects,
        fields=st.frozensets(st.sampled_from(sorted(FIELDS)), min_size=1),
    )
    def read_subject(self, reader: str, subject: str, fields: frozenset) -> None:
        expected = self.permitted(reader, subject, {FIELDS[f] for f in fields})
        seen = subjects.subject_read(
            actor=self.readers[reader], subject_id=subject, fields=sorted(fields)
        )
        assert (seen is not None) == expected, (reader, fields)
        if seen is not None:
            assert seen["name"] == "山田 太郎" if "name" in fields else "name" not in seen
            self.model.audited["SUBJECT_READ"] += 1

    @rule(reader=st.sampled_from(RECEIVERS))
    def read_inbox(self, reader: str) -> None:
        page = lists.referral_box(
            actor=self.caseworkers[reader], box=lists.Box.INBOX, page=PageRequest(first=100)
        )
        shown = set()
        for item in page.items:
            expected = self.permitted(reader, item["subjectId"], {"CONTACT"})
            assert (item["subjectInitials"] is not None) == expected, item
            if expected:
                shown.add(item["subjectId"])
        self.model.audited["REFERRAL_INBOX_READ"] += len(shown)

    @rule(data=st.data(), reader=st.sampled_from(["sender", "receiver"]))
    def read_referral(self, data: st.DataObject, reader: str) -> None:
        if not self.model.referrals:
            return
        referral = self.model.referrals[data.draw(st.sampled_from(sorted(self.model.referrals)))]
        receiver = next(o for o in RECEIVERS if self.net[o] == referral["to"])
        name = "school" if reader == "sender" else receiver
        seen = referrals.referral_read(actor=self.readers[name], referral_id=referral["id"])
        expected = self.permitted(name, referral["subject"], set(referral["categories"]))
        assert (seen["summary"] is not None) == expected, (name, referral)

    # --- after every step -------------------------------------------------------------

    @invariant()
    def every_successful_read_is_audited(self) -> None:
        rows = session.read(lambda tx: tx.rows(_AUDITED))
        counts = {row["action"]: row["n"] for row in rows}
        for action, expected in self.model.audited.items():
            assert counts.get(action, 0) == expected, action

    @invariant()
    def withdrawn_consent_leaves_no_open_referral(self) -> None:
        row = session.read(lambda tx: tx.single(_OPEN_UNDER_WITHDRAWN, open=sorted(OPEN)))
        assert row == {"n": 0}

    def teardown(self) -> None:
        assert all(broken is None for _, _, broken in audit_log.verify_all())


def test_consent_rules_hold_over_random_sequences(neo4j_server):
    run_state_machine_as_test(
        ConsentMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
