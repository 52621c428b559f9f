"""A state machine of consents, referrals, handoff moves, reviews, organisation changes,
time and reads, run against the real graph, with the consent rule written plainly here
as its oracle.

After every read: subject data came back exactly when the oracle says it may (never
more, never less); every successful read has its audit event; no open referral rests on
a withdrawn consent. The subject's own preference (issue 19) is set and lifted by rules
too: no referral is sent and nothing is recommended against an active one, except a
statutory child-protection referral, whose override must be audited. Time is the
graph's clock (graph/clock.py), moved by a rule, so validity, the age of majority and
statutory sight are exercised. Steps that change what may be seen end with a look at
every reader × subject × category (`look_at`), so a rule broken by one step is seen at
once rather than when a random read happens to hit it.

Used by test_consent_properties.py, both on the real rule and on named mutants of it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    precondition,
    rule,
)

from graph import audit_log, clock, reference_repo, session
from graph.listing import PageRequest
from referral_hub.accounts.actor import SYSTEM, Actor
from referral_hub.accounts.roles import Role
from referral_hub.consent import policy
from referral_hub.consent.policy import ConsentTerms, Purpose
from referral_hub.core.errors import PublicError, ValidationFailed
from referral_hub.directory import reference_data
from referral_hub.directory import services as directory
from referral_hub.meetings import services as meetings
from referral_hub.pathways import recommend as recommending
from referral_hub.referrals import handoff, lists
from referral_hub.referrals import services as referrals
from referral_hub.referrals.requests import NewReferral
from referral_hub.subjects import preference_services
from referral_hub.subjects import services as subjects
from referral_hub.subjects.preferences import PreferenceTerms
from tests import directory_fixtures
from tests.conftest import wipe_graph

TOKYO = ZoneInfo("Asia/Tokyo")
RECEIVERS = ("welfare", "npo", "cafe_org")
SERVICES = {"consult": "welfare", "study": "npo", "freeschool": "npo", "cafe": "cafe_org"}
# The services' modes, written out (exchangeOnly lets only the EXCHANGE one through).
MODES = {"consult": "SUPPORT", "study": "SUPPORT", "freeschool": "SUPPORT", "cafe": "EXCHANGE"}
CATEGORIES = ("CONTACT", "SCHOOL_ATTENDANCE", "FAMILY", "NOTES")
FIELDS = {"name": "CONTACT", "contact": "CONTACT", "guardianName": "FAMILY", "notes": "NOTES"}
KINDS = ("WELFARE_OFFICE", "NPO", "PLACE")
# The test network's areas, and which of them each consent area holds (written out here,
# not computed, so the oracle does not share the code it checks).
AREA_OF = {
    "welfare": directory_fixtures.SETAGAYA,
    "npo": directory_fixtures.NAKAHARA_KU,
    "cafe_org": directory_fixtures.KAWASAKI_KU,
}
HOLDS = {
    directory_fixtures.KAWASAKI: {directory_fixtures.KAWASAKI_KU, directory_fixtures.NAKAHARA_KU},
    directory_fixtures.KAWASAKI_KU: {directory_fixtures.KAWASAKI_KU},
    directory_fixtures.SETAGAYA: {directory_fixtures.SETAGAYA},
}
SENT_OPEN = {"SENT", "RECEIVED", "ACCEPTED", "IN_PROGRESS"}
OPEN = {"DRAFT", *SENT_OPEN}
IDENTIFIED = {"REFERRAL", "CASE_COORDINATION", "SERVICE_DELIVERY"}
STATUTORY_PURPOSES = {"REFERRAL", "SERVICE_DELIVERY"}
SIGHT_DAYS = 30
# Few subjects, so steps go to consents, referrals and time rather than to strangers.
MAX_SUBJECTS = 4
WHY = "支援会議で共有が決定された。保護者と連絡が取れず、同意を得る見込みが立たないため。"
CHILD_ABUSE_WHY = "児童虐待の防止等に関する法律第6条に基づく通告。身体にあざが確認され安全が不明。"

_STATES = """
MATCH (r:Referral)-[:FOR]->(s:Subject), (r)-[:TO]->(svc:Service)<-[:PROVIDES]-(to:Organisation)
RETURN svc.id AS service, r.id AS id, r.state AS state, r.version AS version, r.legalBasis AS basis,
       s.id AS subject, to.id AS to, r.categories AS categories
"""
_OVERRIDES = """
MATCH (e:AuditEvent {action: 'PREFERENCE_OVERRIDDEN_STATUTORY'})
OPTIONAL MATCH (r:Referral {id: e.targetId})
RETURN e.targetId AS referral, e.legalBasis AS basis, r.overrodePreference AS preference
"""
_AUDITED = """
MATCH (e:AuditEvent {outcome: 'OK'}) WHERE e.action IN ['SUBJECT_READ', 'REFERRAL_INBOX_READ']
RETURN e.action AS action, count(e) AS n
"""
_OPEN_UNDER_WITHDRAWN = """
MATCH (r:Referral)-[:UNDER]->(c:Consent) WHERE c.state = 'WITHDRAWN' AND r.state IN $open
RETURN count(r) AS n
"""


def start_of_run() -> datetime:
    """The graph's clock at the start: now, but no earlier than 20 December, so that a
    new year (when a guardian's consent ends) is always within reach of the run,
    whatever the date. Never before today: consents start today by Python's clock."""
    now = datetime.now(TOKYO)
    return max(now, datetime(now.year, 12, 20, 12, tzinfo=TOKYO))


@dataclass
class Consent:
    subject: str
    receivers: frozenset[str]
    kinds: frozenset[str]
    area: str | None
    categories: frozenset[str]
    purposes: frozenset[str]
    valid_until: date
    guardian: bool
    active: bool = True


@dataclass
class Model:
    consents: dict[str, Consent] = field(default_factory=dict)
    birth_years: dict[str, int] = field(default_factory=dict)
    referrals: dict[str, dict] = field(default_factory=dict)  # synced from the graph
    sent: set[str] = field(default_factory=set)  # referrals seen sent
    sight_until: dict[str, datetime] = field(default_factory=dict)
    inappropriate: set[str] = field(default_factory=set)
    kinds: dict[str, str] = field(default_factory=dict)
    inactive: set[str] = field(default_factory=set)
    audited: dict[str, int] = field(
        default_factory=lambda: {"SUBJECT_READ": 0, "REFERRAL_INBOX_READ": 0}
    )
    # Each subject's active preference (doNotRefer, exchangeOnly, noContactBefore), if any.
    preferences: dict[str, dict] = field(default_factory=dict)
    overrides: set[str] = field(default_factory=set)  # referrals sent against one


class ConsentMachine(RuleBasedStateMachine):
    subjects = Bundle("subjects")
    consents = Bundle("consents")

    def __init__(self) -> None:
        super().__init__()
        wipe_graph()
        reference_repo.tags_sync(reference_data.tag_rows()[0], checksum="test")
        self.net = directory_fixtures.build()
        self.model = Model(kinds={"welfare": "WELFARE_OFFICE", "npo": "NPO", "cafe_org": "PLACE"})
        self.now = start_of_run()
        self.first_day = self.now.date()
        self.frozen = contextlib.ExitStack()
        self.frozen.enter_context(clock.frozen_at(self.now))
        self.sight = django_settings.HUB_STATUTORY_SIGHT_DAYS
        django_settings.HUB_STATUTORY_SIGHT_DAYS = SIGHT_DAYS

        def actor(name: str, org: str, *roles: Role) -> Actor:
            return Actor(username=name, organisation_id=org, roles=frozenset(roles))

        self.counsellor = actor("counsellor", self.net["school"], Role.COUNSELLOR)
        self.caseworkers = {o: actor(f"cw-{o}", self.net[o], Role.CASEWORKER) for o in RECEIVERS}
        self.admins = {o: actor(f"admin-{o}", self.net[o], Role.ORG_ADMIN) for o in RECEIVERS}
        self.readers = {"school": self.counsellor, **self.caseworkers}
        auditors = directory_fixtures.build_auditor_org(
            "川崎市 監査室", directory_fixtures.KAWASAKI
        )
        self.auditor = actor("auditor", auditors, Role.AUDITOR)
        coordinators = directory_fixtures.build_auditor_org(
            "川崎市 地域福祉課", directory_fixtures.KAWASAKI
        )
        self.coordinator = actor("coordinator", coordinators, Role.COORDINATOR)

    def teardown(self) -> None:
        try:
            assert all(broken is None for _, _, broken in audit_log.verify_all())
        finally:
            self.frozen.close()
            django_settings.HUB_STATUTORY_SIGHT_DAYS = self.sight

    # --- the oracle -------------------------------------------------------------------

    def covers(self, c: Consent, reader: str, categories: set[str], purpose: str) -> bool:
        today = self.now.date()
        plain = (
            c.active
            and today <= c.valid_until
            and purpose in c.purposes
            and categories <= c.categories
            and not (c.guardian and today.year - self.model.birth_years[c.subject] >= 18)
            and (
                reader in c.receivers
                or (
                    self.model.kinds[reader] in c.kinds
                    and c.area is not None
                    and AREA_OF[reader] in HOLDS[c.area]
                )
            )
        )
        # The domain's statement of the clause (consent/policy.permits) must agree with the
        # plain oracle, as the graph's Cypher must after every read: all three say the same.
        decision = policy.permits(
            self.as_policy(c), self.recipient(reader), **self.asked(purpose, categories, today)
        )
        assert decision.allowed == (plain and purpose in IDENTIFIED), (c, reader, decision)
        return plain

    def as_policy(self, c: Consent) -> policy.Consent:
        return policy.Consent(
            state=policy.ConsentState.ACTIVE if c.active else policy.ConsentState.WITHDRAWN,
            purposes=frozenset(policy.Purpose(p) for p in c.purposes),
            categories=frozenset(policy.DataCategory(x) for x in c.categories),
            organisation_ids=frozenset(self.net[r] for r in c.receivers),
            organisation_kinds=c.kinds,
            kind_area_codes=frozenset(HOLDS[c.area]) if c.area else frozenset(),
            valid_from=self.first_day,  # every consent here starts the day it is recorded
            valid_until=c.valid_until,
            given_by=policy.GivenBy.GUARDIAN if c.guardian else policy.GivenBy.SUBJECT,
            subject_birth_year=self.model.birth_years[c.subject],
        )

    def recipient(self, reader: str) -> policy.Recipient:
        return policy.Recipient(self.net[reader], self.model.kinds[reader], AREA_OF[reader])

    @staticmethod
    def asked(purpose: str, categories: set[str], today: date) -> dict:
        return {
            "purpose": policy.Purpose(purpose),
            "categories": [policy.DataCategory(x) for x in categories],
            "today": today,
        }

    def permitted(self, reader: str, subject: str, categories: set[str], purpose: str) -> bool:
        if reader in self.model.inactive or purpose not in IDENTIFIED:
            return False
        if reader == "school":  # it registered every subject here
            return True
        if any(
            c.subject == subject and self.covers(c, reader, categories, purpose)
            for c in self.model.consents.values()
        ):
            return True
        return any(
            r["subject"] == subject
            and r["to"] == self.net[reader]
            and r["basis"].startswith("STATUTORY_")
            and r["state"] in SENT_OPEN
            and purpose in STATUTORY_PURPOSES
            and categories <= set(r["categories"])
            and r["id"] not in self.model.inappropriate
            and self.now <= self.model.sight_until[r["id"]]
            for r in self.model.referrals.values()
        )

    def blocked_by(self, subject: str, mode: str) -> str | None:
        """The oracle of the subject's preference: which one a referral sent now to a
        service of `mode` goes against, if any."""
        preference = self.model.preferences.get(subject)
        if preference is None:
            return None
        if preference["doNotRefer"]:
            return "doNotRefer"
        if preference["exchangeOnly"] and mode != "EXCHANGE":
            return "exchangeOnly"
        before = preference["noContactBefore"]
        if before is not None and self.now.date() < before:
            return "noContactBefore"
        return None

    def sync(self) -> None:
        rows = session.read(lambda tx: tx.rows(_STATES))
        self.model.referrals = {row["id"]: row for row in rows}
        for row in rows:
            if row["state"] in SENT_OPEN | {"DECLINED", "COMPLETED"}:
                if row["id"] not in self.model.sent:
                    # Sent since the last look: by the step just taken, now.
                    self.sent_now(row)
                if row["id"] not in self.model.sent and row["basis"].startswith("STATUTORY_"):
                    # Sent since the last look, so at this moment of the test's clock.
                    self.model.sight_until[row["id"]] = self.now + timedelta(days=SIGHT_DAYS)
                self.model.sent.add(row["id"])

    def sent_now(self, row: dict) -> None:
        """A referral just sent respects the subject's active preference, or is a statutory
        child-protection referral (whose override must then be audited)."""
        service = next(name for name in SERVICES if self.net[name] == row["service"])
        blocked = self.blocked_by(row["subject"], MODES[service])
        if blocked is not None:
            assert row["basis"] == "STATUTORY_CHILD_ABUSE_PREVENTION", (blocked, row)
            self.model.overrides.add(row["id"])

    def receiver_of(self, referral: dict) -> str:
        return next(o for o in RECEIVERS if self.net[o] == referral["to"])

    # --- steps -----------------------------------------------------------------------

    @initialize(target=subjects, adult_soon=st.booleans())
    def first_subject(self, adult_soon: bool) -> str:
        return self.register(adult_soon)

    @initialize(
        target=consents,
        subject=subjects,
        receivers=st.frozensets(st.sampled_from(RECEIVERS), min_size=1),
        kinds=st.frozensets(st.sampled_from(KINDS)),
        area=st.sampled_from(sorted(HOLDS)),
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
        purposes=st.frozensets(st.sampled_from(list(Purpose)), min_size=1),
        days=st.sampled_from([1, 20, 400]),
    )
    def first_consent(
        self,
        subject: str,
        receivers: frozenset,
        kinds: frozenset,
        area: str,
        categories: frozenset,
        purposes: frozenset,
        days: int,
    ) -> str:
        return self.give_consent(subject, receivers, kinds, area, categories, purposes, days)

    @initialize(
        service=st.sampled_from(sorted(SERVICES)),
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
        send=st.booleans(),
    )
    def statutory_subject(self, service: str, categories: frozenset, send: bool) -> None:
        """A subject known to its receiver only through a statutory referral, so that what
        the statute allows is not hidden behind a consent: it stays out of the `subjects`
        bundle that consents are drawn for (the looks and its referral still reach it)."""
        subject = self.register(adult_soon=False)
        self.create_referral(subject, service, categories, statutory=True, send=send)

    @initialize(
        target=consents,
        receivers=st.frozensets(st.sampled_from(RECEIVERS), min_size=1),
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
    )
    def coming_of_age(self, receivers: frozenset, categories: frozenset) -> str:
        """A subject who turns 18 next year, with a guardian's long consent to refer them:
        when the year turns, the guardian no longer speaks for them."""
        subject = self.register(adult_soon=True)
        return self.give_consent(
            subject, receivers, frozenset(), None, categories, frozenset({"REFERRAL"}), 400
        )

    @precondition(lambda self: len(self.model.birth_years) < MAX_SUBJECTS)
    @rule(target=subjects, adult_soon=st.booleans())
    def register(self, adult_soon: bool) -> str:
        # Only the birth year is known; a guardian speaks until the year they turn 18.
        birth_year = date.today().year - 17 if adult_soon else 2012
        subject, _ = subjects.subject_register(
            actor=self.counsellor,
            data={
                "birthYear": birth_year,
                "areaCode": directory_fixtures.KAWASAKI_KU,
                "name": "山田 太郎",
                "contact": "090-1111-2222",
                "guardianName": "山田 花子",
                "notes": "欠席が続く",
            },
        )
        self.model.birth_years[subject["id"]] = birth_year
        return subject["id"]

    @rule(
        target=consents,
        subject=subjects,
        receivers=st.frozensets(st.sampled_from(RECEIVERS)),
        kinds=st.frozensets(st.sampled_from(KINDS)),
        area=st.sampled_from(sorted(HOLDS)),
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
        purposes=st.frozensets(st.sampled_from(list(Purpose)), min_size=1),
        days=st.sampled_from([1, 20, 400]),
    )
    def give_consent(
        self,
        subject: str,
        receivers: frozenset,
        kinds: frozenset,
        area: str | None,
        categories: frozenset,
        purposes: frozenset,
        days: int,
    ) -> str:
        if not receivers and not kinds:
            kinds = frozenset({"NPO"})
        guardian = date.today().year - self.model.birth_years[subject] < 18
        terms = ConsentTerms(
            given_by="GUARDIAN" if guardian else "SUBJECT",
            guardian_relationship="母",
            purposes=sorted(str(p) for p in purposes),
            categories=sorted(categories),
            valid_until=self.first_day + timedelta(days=days),
            method="VERBAL",
            organisation_ids=[self.net[r] for r in sorted(receivers)],
            organisation_kinds=sorted(kinds) if kinds else (),
            area_code=area if kinds else None,
        )
        consent = subjects.consent_record(actor=self.counsellor, subject_id=subject, terms=terms)
        self.model.consents[consent["id"]] = Consent(
            subject=subject,
            receivers=receivers,
            kinds=kinds,
            area=area if kinds else None,
            categories=categories,
            purposes=frozenset(str(p) for p in purposes),
            valid_until=self.first_day + timedelta(days=days),
            guardian=guardian,
        )
        return consent["id"]

    @rule(
        subject=subjects,
        do_not_refer=st.booleans(),
        exchange_only=st.booleans(),
        days=st.sampled_from([None, 1, 30]),
    )
    def set_preference(
        self, subject: str, do_not_refer: bool, exchange_only: bool, days: int | None
    ) -> None:
        """The subject's own choices; with none that limits a referral, a contact route
        (a preference that blocks nothing must block nothing)."""
        guardian = date.today().year - self.model.birth_years[subject] < 18
        before = None if days is None else date.today() + timedelta(days=days)
        preference_services.preference_set(
            actor=self.counsellor,
            subject_id=subject,
            terms=PreferenceTerms(
                given_by="GUARDIAN" if guardian else "SUBJECT",
                do_not_refer=do_not_refer,
                exchange_only=exchange_only,
                no_contact_before=before,
                contact_route="PHONE",
            ),
        )
        self.model.preferences[subject] = {
            "doNotRefer": do_not_refer,
            "exchangeOnly": exchange_only,
            "noContactBefore": before,
        }

    @rule(subject=subjects)
    def lift_preference(self, subject: str) -> None:
        with contextlib.suppress(ValidationFailed):  # none to lift
            preference_services.preference_lift(actor=self.counsellor, subject_id=subject)
        self.model.preferences.pop(subject, None)

    @rule(subject=subjects, need=st.sampled_from(["meal_provision", "school_non_attendance"]))
    def recommend_for(self, subject: str, need: str) -> None:
        """Nothing the subject's active preference excludes is recommended, and what it
        left out is said."""
        found = recommending.recommend(
            actor=self.counsellor,
            from_organisation=self.net["school"],
            need_tags=[need],
            area=directory_fixtures.KAWASAKI,
            for_subject=subject,
        )
        preference = self.model.preferences.get(subject) or {}
        modes = [item["service"]["mode"] for item in found["recommendations"]]
        if preference.get("doNotRefer"):
            assert modes == [], found
        elif preference.get("exchangeOnly"):
            assert set(modes) <= {"EXCHANGE"}, found
        named = [x["preference"] for x in found["left_out_by_preference"]]
        assert set(named) <= {"doNotRefer", "exchangeOnly"}
        if not (preference.get("doNotRefer") or preference.get("exchangeOnly")):
            assert named == [], found

    @rule(consent=consumes(consents), purpose=st.sampled_from(list(Purpose)))
    def withdraw(self, consent: str, purpose: Purpose) -> None:
        subjects.consent_withdraw(actor=self.counsellor, consent_id=consent)
        self.model.consents[consent].active = False
        self.sync()
        self.look_at([self.model.consents[consent].subject], purpose)

    @rule(days=st.sampled_from([1, 25, 200]), purpose=st.sampled_from(list(Purpose)))
    def time_passes(self, days: int, purpose: Purpose) -> None:
        """Time changes what everyone may see at once (expiry, majority, statutory sight),
        so everything is looked at again."""
        self.now += timedelta(days=days)
        self.frozen.enter_context(clock.frozen_at(self.now))
        self.look_at_everything(purpose)

    @rule(
        subject=subjects,
        service=st.sampled_from(sorted(SERVICES)),
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
        statutory=st.booleans(),
        send=st.booleans(),
    )
    def create_referral(
        self, subject: str, service: str, categories: frozenset, statutory: bool, send: bool
    ) -> None:
        request = NewReferral(
            subject_id=subject,
            service_id=self.net[service],
            summary="要支援",
            categories=sorted(categories),
            accept_waitlist=True,
            send=send,
            legal_basis="STATUTORY_SWA_106_6" if statutory else "CONSENT",
            justification=WHY if statutory else None,
            # 社会福祉法 第106条の6 cites the support meeting that decided it (issue 20).
            meeting_id=self.meeting_about(subject) if statutory else None,
        )
        # Refusals (no consent, a duplicate) are expected; the reads check what follows.
        with contextlib.suppress(ValidationFailed, PublicError):
            referrals.referral_create(actor=self.counsellor, request=request)
        self.sync()

    def meeting_about(self, subject: str) -> str:
        """A support meeting held now about the subject, the school invited and its
        counsellor bound by confidentiality: what a statutory referral under 第106条の6 cites."""
        meeting = meetings.meeting_convene(
            actor=self.coordinator,
            data={"title": "支援会議", "area_code": directory_fixtures.KAWASAKI},
        )["id"]
        meetings.meeting_invite(
            actor=self.coordinator,
            meeting_id=meeting,
            organisation_ids=[self.net["school"]],
            members=None,
        )
        meetings.meeting_acknowledge(actor=self.counsellor, meeting_id=meeting)
        meetings.meeting_add_subject(actor=self.coordinator, meeting_id=meeting, subject_id=subject)
        return meeting

    @rule(
        subject=subjects,
        categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
        send=st.booleans(),
    )
    def child_protection_referral(self, subject: str, categories: frozenset, send: bool) -> None:
        """A statutory child-protection notification to the welfare office: the one referral
        a subject's preference does not stop (its override is audited)."""
        request = NewReferral(
            subject_id=subject,
            service_id=self.net["consult"],
            summary="要保護",
            categories=sorted(categories),
            accept_waitlist=True,
            send=send,
            legal_basis="STATUTORY_CHILD_ABUSE_PREVENTION",
            justification=CHILD_ABUSE_WHY,
        )
        # Refusals (an adult, a relabelled receiver, a duplicate) are expected.
        with contextlib.suppress(ValidationFailed, PublicError):
            referrals.referral_create(actor=self.counsellor, request=request)
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
        receiver = self.receiver_of(referral)
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

    @rule(data=st.data(), inappropriate=st.booleans(), purpose=st.sampled_from(list(Purpose)))
    def auditor_reviews(self, data: st.DataObject, inappropriate: bool, purpose: Purpose) -> None:
        statutory = sorted(
            r["id"] for r in self.model.referrals.values() if r["basis"].startswith("STATUTORY_")
        )
        if not statutory:
            return
        referral = data.draw(st.sampled_from(statutory))
        finding = lists.ReviewFinding.INAPPROPRIATE if inappropriate else None
        lists.review_record(
            actor=self.auditor,
            referral_id=referral,
            finding=finding or lists.ReviewFinding.APPROPRIATE,
            note="会議録を確認した",
        )
        if inappropriate:
            self.model.inappropriate.add(referral)
        else:
            self.model.inappropriate.discard(referral)
        self.look_at([self.model.referrals[referral]["subject"]], purpose)

    @rule(
        org=st.sampled_from(RECEIVERS),
        kind=st.sampled_from(KINDS),
        approve=st.booleans(),
        purpose=st.sampled_from(list(Purpose)),
    )
    def relabel(self, org: str, kind: str, approve: bool, purpose: Purpose) -> None:
        """An organisation asks to be another kind; only a coordinator's approval makes it so."""
        directory.organisation_update(
            actor=self.admins[org], organisation_id=self.net[org], data={"kind": kind}
        )
        if approve:
            with contextlib.suppress(ValidationFailed):  # nothing pending: same kind
                directory.organisation_change_decide(
                    actor=SYSTEM, organisation_id=self.net[org], approve=True
                )
            self.model.kinds[org] = kind
        self.look_at_everything(purpose)

    # One organisation at most: a deactivated one sees nothing again, so more would leave
    # the rest of a run with no one to check the other rules on.
    @precondition(lambda self: not self.model.inactive)
    @rule(org=st.sampled_from(RECEIVERS), purpose=st.sampled_from(list(Purpose)))
    def deactivate(self, org: str, purpose: Purpose) -> None:
        directory.organisation_deactivate(actor=self.admins[org], organisation_id=self.net[org])
        self.model.inactive.add(org)
        self.look_at_everything(purpose)

    @rule(
        reader=st.sampled_from(["school", *RECEIVERS]),
        subject=subjects,
        fields=st.frozensets(st.sampled_from(sorted(FIELDS)), min_size=1),
        purpose=st.sampled_from(list(Purpose)),
    )
    def read_subject(self, reader: str, subject: str, fields: frozenset, purpose: Purpose) -> None:
        self.check_subject(reader, subject, fields, purpose)

    @rule(reader=st.sampled_from(RECEIVERS))
    def read_inbox(self, reader: str) -> None:
        self.check_inbox(reader)

    @rule(data=st.data(), reader=st.sampled_from(["sender", "receiver"]))
    def read_referral(self, data: st.DataObject, reader: str) -> None:
        if self.model.referrals:
            chosen = data.draw(st.sampled_from(sorted(self.model.referrals)))
            self.check_referral(self.model.referrals[chosen], reader)

    @rule(purpose=st.sampled_from(list(Purpose)))
    def look_at_everything(self, purpose: Purpose) -> None:
        """`look_at` every subject: a rule broken by an earlier step shows here, not only
        when a random read happens to hit it."""
        self.look_at(sorted(self.model.birth_years), purpose)

    def look_at(self, subject_ids: list[str], purpose: Purpose) -> None:
        """Every reader asks for these subjects one category at a time, for REFERRAL (the
        purpose most consents and every statutory referral serve) and for `purpose`;
        then every inbox and every referral is read from both sides."""
        for subject in subject_ids:
            for reader in ("school", *RECEIVERS):
                for one in ("name", "guardianName", "notes"):
                    for asked in sorted({Purpose.REFERRAL, purpose}):
                        self.check_subject(reader, subject, frozenset({one}), asked)
        for reader in RECEIVERS:
            self.check_inbox(reader)
        for referral in list(self.model.referrals.values()):
            for side in ("sender", "receiver"):
                self.check_referral(referral, side)

    # --- the checks ---------------------------------------------------------------------

    def check_subject(self, reader: str, subject: str, fields: frozenset, purpose: Purpose) -> None:
        expected = self.permitted(reader, subject, {FIELDS[f] for f in fields}, purpose.value)
        seen = subjects.subject_read(
            actor=self.readers[reader], subject_id=subject, fields=sorted(fields), purpose=purpose
        )
        assert (seen is not None) == expected, (reader, sorted(fields), purpose.value, self.now)
        if seen is not None:
            assert seen["name"] == "山田 太郎" if "name" in fields else "name" not in seen
            self.model.audited["SUBJECT_READ"] += 1

    def check_inbox(self, reader: str) -> None:
        page = lists.referral_box(
            actor=self.caseworkers[reader], box=lists.Box.INBOX, page=PageRequest(first=100)
        )
        listed = {item["id"] for item in page.items}
        assert listed == {
            r["id"]
            for r in self.model.referrals.values()
            if r["to"] == self.net[reader] and r["id"] in self.model.sent
        }, "the inbox holds exactly the referrals sent to it"
        shown = set()
        for item in page.items:
            expected = self.permitted(reader, item["subject_id"], {"CONTACT"}, "REFERRAL")
            assert (item["subject_initials"] is not None) == expected, item
            if expected:
                shown.add(item["subject_id"])
        self.model.audited["REFERRAL_INBOX_READ"] += len(shown)

    def check_referral(self, referral: dict, side: str) -> None:
        name = "school" if side == "sender" else self.receiver_of(referral)
        if name != "school" and referral["id"] not in self.model.sent:
            with contextlib.suppress(ValidationFailed):
                referrals.referral_read(actor=self.readers[name], referral_id=referral["id"])
                raise AssertionError("a receiver read a referral that was never sent")
            return
        seen = referrals.referral_read(actor=self.readers[name], referral_id=referral["id"])
        expected = self.permitted(
            name, referral["subject"], set(referral["categories"]), "REFERRAL"
        )
        assert (seen["summary"] is not None) == expected, (name, referral, self.now)

    # --- after every step -------------------------------------------------------------

    @invariant()
    def every_successful_read_is_audited(self) -> None:
        rows = session.read(lambda tx: tx.rows(_AUDITED))
        counts = {row["action"]: row["n"] for row in rows}
        for action, expected in self.model.audited.items():
            assert counts.get(action, 0) == expected, action

    @invariant()
    def every_override_of_a_preference_is_audited(self) -> None:
        """Exactly the referrals sent against an active preference have an override event,
        under the child-protection statute, and name the preference they overrode."""
        rows = session.read(lambda tx: tx.rows(_OVERRIDES))
        assert {row["referral"] for row in rows} == self.model.overrides
        assert all(
            row["basis"] == "STATUTORY_CHILD_ABUSE_PREVENTION" and row["preference"] for row in rows
        ), rows

    @invariant()
    def withdrawn_consent_leaves_no_open_referral(self) -> None:
        row = session.read(lambda tx: tx.single(_OPEN_UNDER_WITHDRAWN, open=sorted(OPEN)))
        assert row == {"n": 0}
