"""Many processes, one truth (issue 18): 3 web servers, 2 Celery workers and one beat on
one Neo4j, one Redis and one Django database. 2,000 mixed requests go round-robin over
the servers from 8 client threads; afterwards nothing acknowledged is missing or doubled,
every notification reached the webhook exactly once, beat ran each period once, a rate
limit and a browser session hold across the servers, and the audit log verifies."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from graph import session
from referral_hub.accounts import signin, tokens
from referral_hub.accounts.authentication import BEARER_FAILURES
from referral_hub.accounts.models import ApiToken, Membership
from referral_hub.accounts.roles import Role
from referral_hub.core import beat_ticks
from tests import directory_fixtures
from tests.production.hub import (
    DATA,
    ENV,
    ROOT,
    TEST,
    TICK_SECONDS,
    Browser,
    Caller,
    Receiver,
    Servers,
    eventually,
    many_processes,
    second_beat,
)

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

CASES = 250  # of 8 requests each: 2,000
CLIENTS = 8
REGISTER = """mutation { registerSubject(input: {birthYear: 2012, areaCode: "141313",
  name: "山田 太郎"}) { subject { id } errors { code } } }"""
CONSENT = """mutation($input: ConsentInput!) {
  recordConsent(input: $input) { consent { id } errors { code } } }"""
CREATE = """mutation($input: ReferralInput!) {
  createReferral(input: $input) { referral { id version } errors { field code } } }"""
MOVE = """mutation($input: ReferralTransitionInput!) {
  transitionReferral(input: $input) { referral { state version } errors { field code } } }"""
WITHDRAW = """mutation($id: ID!) {
  withdrawConsent(input: {id: $id}) { consent { id } errors { field code } } }"""
INBOX = "{ inbox(first: 20) { edges { node { id } } } }"
ME = "{ me { username roles } }"
ISSUE = """mutation($name: String!) { issueApiToken(input: {name: $name, kind: PERSONAL}) {
  token errors { field code } } }"""
HOOK = "mutation($url: String!) { registerWebhook(input: {url: $url}) { errors { code } } }"

_STORED = """
MATCH (s:Subject) WHERE s.id IN $subjects
OPTIONAL MATCH (r:Referral)-[:FOR]->(s)
OPTIONAL MATCH (r)-[:HAS_EVENT]->(e)
WITH s, r, count(e) AS events
RETURN s.id AS subject, r.id AS referral, r.state AS state, r.version AS version, events
"""
_CONSENTS = "MATCH (c:Consent) WHERE c.id IN $ids RETURN c.id AS id, c.state AS state"


class Phases:
    """Wall-clock seconds of each phase, for the report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.monotonic()

    def done(self, phase: str) -> None:
        now = time.monotonic()
        self.seconds[phase] = now - self._last
        self._last = now


class Load:
    """What the clients were told: every acknowledged write, and every refusal."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.consents: dict[str, str] = {}  # consent → WITHDRAWN or ACTIVE
        self.referrals: dict[str, tuple[str, int]] = {}  # referral → (state, version)
        self.refusals: Counter[tuple[str, str]] = Counter()  # (step, code)
        self.unexpected: list[tuple[str, int, Any]] = []
        self.requests = 0
        self.seconds: dict[str, list[float]] = {}  # step → each request's time
        self._lock = threading.Lock()  # counters are written by every client thread

    def ok(self, step: str, reply: Any, name: str, thing: str) -> dict[str, Any]:
        with self._lock:
            self.requests += 1
            self.seconds.setdefault(step, []).append(reply.seconds)
        payload = reply.payload(name)
        if reply.status != 200 or payload.get("errors") != [] or not payload.get(thing):
            self.unexpected.append((step, reply.status, reply.body))
            raise RuntimeError(step)
        return dict(payload[thing])

    def refused(self, step: str, reply: Any, name: str) -> None:
        errors = reply.payload(name).get("errors") or []
        if reply.status != 200 or not errors:
            self.unexpected.append((step, reply.status, reply.body))
        with self._lock:
            self.requests += 1
            self.seconds.setdefault(step, []).append(reply.seconds)
            for error in errors:
                self.refusals[(step, f"{error['field']}:{error['code']}")] += 1

    def read(self, step: str, reply: Any) -> None:
        with self._lock:
            self.requests += 1
            self.seconds.setdefault(step, []).append(reply.seconds)
        if reply.status != 200 or reply.body.get("errors"):
            self.unexpected.append((step, reply.status, reply.body))


def _people(servers: Servers, network: Any) -> dict[str, Caller]:
    """Members with personal tokens, created here (the servers share this database)."""
    people = {}
    for username, organisation, role in [
        ("counsellor", network["school"], Role.COUNSELLOR),
        ("caseworker", network["welfare"], Role.CASEWORKER),
        ("npo-worker", network["npo"], Role.CASEWORKER),
        ("school-admin", network["school"], Role.ORG_ADMIN),
        ("welfare-admin", network["welfare"], Role.ORG_ADMIN),
    ]:
        user = get_user_model().objects.create_user(username=username)
        Membership.objects.create(user=user, organisation_id=organisation, role=role.value)
        token, _ = tokens.issue(user=user, name="multi", kind=ApiToken.Kind.PERSONAL)
        people[username] = Caller(servers, token, organisation)
    return people


def _consent(subject: str, welfare: str) -> dict[str, Any]:
    return {
        "subjectId": subject,
        "givenBy": "GUARDIAN",
        "guardianRelationship": "母",
        "purposes": ["REFERRAL"],
        "categories": ["CONTACT"],
        "validUntil": (date.today() + timedelta(days=180)).isoformat(),
        "method": "VERBAL",
        "organisationIds": [welfare],
    }


def _case(index: int, people: dict[str, Caller], network: Any, load: Load) -> None:
    """8 requests: a referral accepted (3 of 4 cases) or ended by a consent withdrawal."""
    counsellor, caseworker = people["counsellor"], people["caseworker"]
    reply = counsellor(REGISTER)
    subject = load.ok("register", reply, "registerSubject", "subject")["id"]
    load.subjects.append(subject)
    reply = counsellor(CONSENT, {"input": _consent(subject, network["welfare"])})
    consent = load.ok("consent", reply, "recordConsent", "consent")["id"]
    load.consents[consent] = "ACTIVE"
    referral_input = {
        "subjectId": subject,
        "serviceId": network["consult"],
        "urgency": "ROUTINE",
        "summary": f"試験 {index}",
        "categories": ["CONTACT"],
    }
    made = load.ok(
        "create", counsellor(CREATE, {"input": referral_input}), "createReferral", "referral"
    )
    referral = made["id"]
    load.referrals[referral] = ("SENT", made["version"])
    load.read("inbox", caseworker(INBOX))
    step = {"id": referral, "action": "ACKNOWLEDGE", "version": made["version"]}
    moved = load.ok(
        "acknowledge", caseworker(MOVE, {"input": step}), "transitionReferral", "referral"
    )
    load.referrals[referral] = (moved["state"], moved["version"])
    if index % 4 == 3:
        load.ok("withdraw", counsellor(WITHDRAW, {"id": consent}), "withdrawConsent", "consent")
        load.consents[consent] = "WITHDRAWN"
        load.referrals[referral] = ("WITHDRAWN", moved["version"] + 1)
        # Refused: no referral without consent.
        load.refused(
            "create-after-withdrawal",
            counsellor(CREATE, {"input": referral_input}),
            "createReferral",
        )
        load.read("inbox", caseworker(INBOX))
        return
    step = {"id": referral, "action": "ACCEPT", "version": moved["version"]}
    accepted = load.ok(
        "accept", caseworker(MOVE, {"input": step}), "transitionReferral", "referral"
    )
    load.referrals[referral] = (accepted["state"], accepted["version"])
    # Refused: not a party to it, and a version that is no longer current.
    step = {"id": referral, "action": "ACKNOWLEDGE", "version": made["version"]}
    load.refused("not-a-party", people["npo-worker"](MOVE, {"input": step}), "transitionReferral")
    load.refused("stale-version", caseworker(MOVE, {"input": step}), "transitionReferral")


def _drive(people: dict[str, Caller], network: Any) -> Load:
    load = Load()

    def one(index: int) -> None:
        with contextlib.suppress(RuntimeError):  # recorded in load.unexpected
            _case(index, people, network, load)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one, range(CASES)))
    return load


def _summary(load: Load) -> str:
    """Median and 95th percentile per step, for the report and docs/many-processes.md."""
    lines = []
    for step, times in sorted(load.seconds.items()):
        ordered = sorted(times)
        p50, p95 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95)]
        lines.append(
            f"  {step:<24} n={len(ordered):<4} p50={p50 * 1000:.0f} ms p95={p95 * 1000:.0f} ms"
        )
    return "\n".join(lines)


def _check_writes(load: Load) -> None:
    """Every acknowledged write is stored once, in the state its last answer gave."""
    rows = session.read(lambda tx: tx.rows(_STORED, subjects=load.subjects))
    assert len(load.subjects) == len(set(load.subjects)) == CASES
    by_subject = Counter(row["subject"] for row in rows)
    assert set(by_subject) == set(load.subjects)
    assert set(by_subject.values()) == {1}  # one referral each, none made twice
    stored = {row["referral"]: (row["state"], row["version"]) for row in rows}
    assert stored == load.referrals
    # Each step one handoff event: created (SENT), acknowledged, accepted or withdrawn.
    assert Counter(row["events"] for row in rows) == Counter({3: CASES})
    consents = session.read(lambda tx: tx.rows(_CONSENTS, ids=list(load.consents)))
    assert {row["id"]: row["state"] for row in consents} == load.consents


def _expected_notifications(load: Load) -> Counter[tuple[str, str]]:
    """(referral, kind) each acknowledged write announces by webhook, once."""
    expected: Counter[tuple[str, str]] = Counter()
    for referral, (state, _version) in load.referrals.items():
        expected[(referral, "SENT")] += 1
        expected[(referral, state)] += 1  # ACCEPTED to the sender, WITHDRAWN to the receiver
    return expected


def _check_notifications(receiver: Receiver, load: Load, clock: Phases) -> None:
    expected = _expected_notifications(load)

    def delivered() -> bool:
        return len(receiver.keys) >= sum(expected.values())

    eventually(delivered, 120, f"{sum(expected.values())} webhook deliveries")
    clock.done("last webhook after the last request")
    time.sleep(3 * TICK_SECONDS)  # three more relay passes: anything sent twice shows now
    counts = receiver.counts()
    assert [key for key, seen in counts.items() if seen > 1] == []  # exactly once each
    # Key: referral:version:kind:channel:recipient
    got = Counter((key.split(":")[0], key.split(":")[2]) for key in counts)
    assert got == expected


def _sign_in(servers: Servers) -> Browser:
    """Password on server 1, second factor on server 2: the half-signed-in session is in
    the shared database, as a load balancer without stickiness needs."""
    user = get_user_model().objects.get(username="welfare-admin")
    user.set_password(signin.PASSWORD)
    user.save()
    secret = signin.enrol_totp(user)
    first, second, _third = servers.ports
    browser = Browser()
    assert browser.get(first, "/accounts/login/").status == 200
    login = {"login": "welfare-admin", "password": signin.PASSWORD}
    reply = browser.form(first, "/accounts/login/", login)
    assert (reply.status, reply.location) == (302, "/accounts/2fa/authenticate/")
    code = signin.fresh_totp_code(secret)
    reply = browser.form(second, "/accounts/2fa/authenticate/", {"code": code})
    assert reply.status == 302, reply.location
    return browser


def _check_sessions(servers: Servers) -> None:
    browser = _sign_in(servers)
    for port in servers.ports:
        me = browser.graphql(port, ME)
        assert me.body["data"]["me"] == {"username": "welfare-admin", "roles": ["ORG_ADMIN"]}
    # A session write on each server (a token each, counted by one limiter) and each token
    # used on another server.
    issued = []
    for n, port in enumerate(servers.ports):
        reply = browser.graphql(port, ISSUE, {"name": f"from-{n}"})
        assert reply.payload("issueApiToken")["errors"] == [], reply.body
        issued.append(reply.payload("issueApiToken")["token"])
    for n, token in enumerate(issued):
        port = servers.ports[(n + 1) % len(servers.ports)]
        caller = Caller(Servers([port]), token, "")
        assert caller(ME).body["data"]["me"]["username"] == "welfare-admin"
    # Signed out on the third server, the session is gone on the first too.
    first, _second, third = servers.ports
    assert browser.form(third, "/accounts/logout/", {}).status == 302
    anonymous = Browser()
    anonymous.cookies = dict(browser.cookies)
    assert anonymous.graphql(first, ME).codes == ["UNAUTHENTICATED"]


def _check_rate_limit(servers: Servers) -> None:
    """Failed bearer tokens are counted per address in Redis: the (limit + 1)th failure,
    wherever it lands, is the first RATE_LIMITED."""
    limit, window = BEARER_FAILURES["limit"], BEARER_FAILURES["window_seconds"]
    if time.time() % window > window - 10:  # all in one fixed window
        time.sleep(window - time.time() % window + 0.1)
    wrong = Caller(servers, "not-a-token", "")
    codes = [(reply.port, reply.codes) for reply in (wrong(ME) for _ in range(limit + 1))]
    assert [c for _p, c in codes[:limit]] == [["UNAUTHENTICATED"]] * limit
    assert codes[limit][1] == ["RATE_LIMITED"]
    assert len({port for port, _c in codes}) == 3  # spread over every server


def _ticks_since(started: float) -> list[beat_ticks.Tick]:
    return [tick for tick in beat_ticks.recent(TEST.redis_url) if tick.at >= started]


def _check_beat(started: float) -> None:
    """Beat ran once per period: one scheduler sent every tick, no tick ran twice, and
    there were no more ticks than periods (half of them at least: beat kept running)."""
    ticks = _ticks_since(started)
    periods = (time.time() - started) / TICK_SECONDS
    assert len({tick.origin for tick in ticks}) == 1, Counter(t.origin for t in ticks)
    assert len({tick.task_id for tick in ticks}) == len(ticks)
    assert periods / 2 <= len(ticks) <= periods + 1, (len(ticks), periods)
    # The check sees the mistake it guards against: with a second beat running, a second
    # sender appears.
    since = time.time()
    with second_beat():
        eventually(
            lambda: len({tick.origin for tick in _ticks_since(since)}) == 2, 90, "a second sender"
        )


def _verify_audit() -> None:
    audit = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def _report(load: Load, phases: dict[str, float]) -> None:
    """Figures for docs/many-processes.md, printed and kept in .data/test/multi."""
    figures = {name: round(seconds, 1) for name, seconds in phases.items()}
    (DATA / "report.json").write_text(json.dumps(figures, indent=2))
    print("\n" + _summary(load) + "\n  seconds: " + json.dumps(figures))


def test_three_servers_two_workers_and_one_beat_keep_one_truth(
    neo4j_server: str, redis_db: str, graph_db: None, no_worker: None
) -> None:
    network = directory_fixtures.build()
    receiver = Receiver()
    started_at = time.time()
    clock = Phases()
    try:
        with many_processes() as ports:
            clock.done("start 3 servers, 2 workers, beat")
            servers = Servers(ports)
            people = _people(servers, network)
            for admin in ("school-admin", "welfare-admin"):
                reply = people[admin](HOOK, {"url": receiver.url})
                assert reply.payload("registerWebhook")["errors"] == [], reply.body
            load = _drive(people, network)
            clock.done("2,000 requests")
            assert load.unexpected == [], load.unexpected[:5]
            assert load.requests == 2000
            assert min(servers.served.values()) > 600  # each server took its third
            withdrawn = CASES // 4
            assert load.refusals == Counter(
                {
                    ("not-a-party", "id:NOT_FOUND"): CASES - withdrawn,
                    ("stale-version", "version:CONFLICT"): CASES - withdrawn,
                    ("create-after-withdrawal", "subjectId:CONSENT_REQUIRED"): withdrawn,
                }
            )
            _check_writes(load)
            _check_notifications(receiver, load, clock)
            _check_sessions(servers)
            _check_rate_limit(servers)
            _check_beat(started_at)
            clock.done("sessions, rate limit, beat")
        _verify_audit()
        clock.done("stop and verify_audit")
    finally:
        receiver.server.shutdown()
    _report(load, clock.seconds)
