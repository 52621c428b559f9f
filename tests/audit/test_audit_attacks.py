"""An outside attack on issue 17 (writer chains, page reads as one event, signed
checkpoints), kept as regression tests: each tamper the attack found unseen is found now,
and what held (no shared locks, no false alarms under load, writer slots) stays held.
"""

from __future__ import annotations

import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from graph import audit_log, session
from graph.audit_log import AuditRecord
from graph.listing import PageRequest
from referral_hub.accounts.roles import Role
from referral_hub.core import checkpoints
from referral_hub.core.models import AuditCheckpoint
from tests import directory_fixtures
from tests.audit.test_writer_chains import (  # noqa: F401  (fixture)
    chain_events,
    consent_terms,
    problems,
    set_head,
    update,
    written,
)
from tests.conftest import member, subject_audit_events
from tests.referrals.flows import build_case
from tests.referrals.test_inbox import many_referrals

INBOX = "{ inbox(first: 50) { edges { node { id subjectInitials } } } }"
VERIFY = "{ verifyAuditLog { chains events intact broken { chain seq eventId code reason } } }"


def _page_read_of(subjects: list[str]) -> dict:
    rows = session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent {action: 'REFERRAL_INBOX_READ'}) "
            "RETURN properties(e) AS e ORDER BY e.at DESC"
        )
    )
    event = next(r["e"] for r in rows if sorted(r["e"]["subjects"]) == sorted(subjects))
    return event


def _verify_area_all() -> list[tuple[str, int, str]]:
    reader = AuditRecord("AUDIT_VERIFY", "AuditLog", None, "attacker-check", None, None, None)
    found = audit_log.verify_area(area_codes=None, reader=reader)
    return [(b.chain, b.seq, b.code) for b in found.broken]


# --- 1. the canonical text does not delimit list elements --------------------------------------


def test_splitting_the_subjects_list_is_found(graph_db, db, redis_db):
    """Found HIGH: `_render` joins a list with ',' and the v3 length prefix covers the
    whole joined text, so ['a','b','c'] and ['a,b','c'] hash alike; rewriting a page read's
    subjects that way (and its mentions) took a and b out of their disclosure records."""
    network, people, _first = build_case()
    referred = many_referrals(network, people, 3)
    assert len(people["welfare"](INBOX)["data"]["inbox"]["edges"]) == 3
    event = _page_read_of(referred)
    a, b, c = event["subjects"]
    assert event["id"] in [e["id"] for e in subject_audit_events(a)]

    session.write(
        lambda tx: tx.run(
            """
            MATCH (e:AuditEvent {id: $id})-[:MENTIONS]->(m:AuditMention)
            WHERE m.subject IN [$a, $b]
            DETACH DELETE m
            WITH DISTINCT e
            SET e.subjects = [$a + ',' + $b, $c]
            CREATE (e)-[:MENTIONS]->(:AuditMention {subject: $a + ',' + $b, at: e.at})
            """,
            id=event["id"],
            a=a,
            b=b,
            c=c,
        ).consume()
    )
    # The two lost the read from their history, and verification says so: no element of a
    # hashed list may hold the comma that joins them.
    assert event["id"] not in [e["id"] for e in subject_audit_events(a)]
    assert problems() == [(event["chain"], event["seq"], "EDITED")]
    assert _verify_area_all() == [(event["chain"], event["seq"], "EDITED")]


# --- 2. the canonical text does not encode types -----------------------------------------------


def test_statutory_true_as_a_string_is_found(graph_db, db, redis_db):
    """Found MEDIUM: `statutory: true` and `'true'` render one canonical text, so the hash
    held while the explorer's statutoryOnly filter lost the read; the types are checked."""
    directory_fixtures.build()
    record = AuditRecord(
        "SUBJECT_READ",
        "Subject",
        str(uuid.uuid4()),
        "snoop",
        1,
        None,
        None,
        legal_basis="STATUTORY_SWA_106_6",
        statutory=True,
        subjects=(str(uuid.uuid4()),),
    )
    stored = audit_log.record_and_return(record)
    reader = AuditRecord("AUDIT_LOG_READ", "AuditLog", None, "auditor", 2, None, None)

    def statutory_ids() -> list[str]:
        page = audit_log.audit_list(
            page=PageRequest(100), reader=reader, area_codes=None, statutory_only=True
        )
        return [item["id"] for item in page.items]

    assert stored["id"] in statutory_ids()
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {id: $id}) SET e.statutory = 'true'", id=stored["id"]
        ).consume()
    )
    assert stored["id"] not in statutory_ids()
    assert problems() == [(stored["chain"], stored["seq"], "EDITED")]
    assert _verify_area_all() == [(stored["chain"], stored["seq"], "EDITED")]


# --- 3. verify_audit only walks chains that still have an (:AuditChain) head -------------------


def test_a_deleted_head_is_found_by_both_verifiers(written):  # noqa: F811
    """Found HIGH: verify_audit walked only chains with a head, so after deleting one the
    chain's events could be edited at will while it said intact."""
    session.write(lambda tx: tx.run("MATCH (c:AuditChain {key: $k}) DELETE c", k=written).consume())
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {chain: $k}) SET e.actorUser = 'someone-else', "
            "e.outcome = 'DENIED'",
            k=written,
        ).consume()
    )
    assert problems() == [(written, 1, "HEAD")]
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
    update("046")  # the thread writes on: retired, a new chain
    assert checkpoints.write_checkpoint() is not None
    assert problems() == [(written, 1, "HEAD")]
    assert _verify_area_all() == [(written, 1, "HEAD")]


# --- 4. an event without `seq` is invisible to both verifiers ----------------------------------


def test_an_event_without_seq_is_reported_and_kept_out_of_the_record(graph_db, db, redis_db):
    """Found HIGH: both verifiers skipped events with no seq, while the disclosure record
    read every event through its mention: a forged read joined a subject's record."""
    network, _people, subject = build_case()
    forged = {
        "id": str(uuid.uuid4()),
        "action": "SUBJECT_READ",
        "actorUser": "forged-reader",
        "actorOrganisation": network["npo"],
        "at": "2026-11-30T00:00:00.000000+00:00",
        "chain": "writer:0000000000000000:0",
        "legalBasis": "CONSENT",
        "outcome": "OK",
        "hashVersion": 3,
        "subjects": [subject],
        "hash": "0" * 64,
    }
    session.write(
        lambda tx: tx.run(
            "CREATE (e:AuditEvent) SET e = $f "
            "CREATE (e)-[:MENTIONS]->(:AuditMention {subject: $s, at: e.at})",
            f=forged,
            s=subject,
        ).consume()
    )
    assert problems() == [("(no chain)", 0, "STRAY")]
    assert _verify_area_all() == [("(no chain)", 0, "STRAY")]
    auditor_org = directory_fixtures.build_auditor_org("川崎市 監査室", directory_fixtures.KAWASAKI)
    record = member("k-auditor", auditor_org, Role.AUDITOR)(
        "query($s: ID!) { disclosureRecord(subjectId: $s) { events { id } } }", {"s": subject}
    )["data"]["disclosureRecord"]
    assert forged["id"] not in [e["id"] for e in record["events"]]


def test_removing_the_last_events_seq_is_found(written):  # noqa: F811
    """The same hole on a real event: the newest loses its seq, the head moves back one."""
    events = chain_events(written)
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {id: $id}) REMOVE e.seq SET e.outcome = 'DENIED'",
            id=events[-1]["id"],
        ).consume()
    )
    set_head(written, 4, events[3]["hash"])
    assert problems() == [("(no chain)", 0, "STRAY")]
    assert _verify_area_all() == [("(no chain)", 0, "STRAY")]


# --- 7. an area auditor learns other areas' chain keys from the checkpoint check ---------------


def test_an_area_auditor_learns_no_other_areas_subject_from_checkpoint_errors(
    graph_db, db, redis_db
):
    """Found LOW: "chain subject:<id> is shorter than the checkpoint before" named another
    area's subject (an old chain) to every area's auditor."""
    from tests.audit.test_writer_chains import _legacy_chain

    directory_fixtures.build()
    foreign = "0f0e0d0c-0b0a-4000-8000-0000000000ff"  # registered nowhere near 川崎
    old = _legacy_chain(foreign, 3)
    assert checkpoints.write_checkpoint() is not None
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {id: $id}) DETACH DELETE e", id=old[2]["id"]
        ).consume()
    )
    set_head(f"subject:{foreign}", 2, old[1]["hash"])
    assert checkpoints.write_checkpoint() is not None  # signs the shorter chain
    auditor_org = directory_fixtures.build_auditor_org("川崎市 監査室", directory_fixtures.KAWASAKI)
    auditor = member("k-auditor", auditor_org, Role.AUDITOR)
    broken = auditor(VERIFY)["data"]["verifyAuditLog"]["broken"]
    assert not any(foreign in str(b) for b in broken), broken
    everything = [b.reason for b in checkpoints.verify_checkpoints().broken]
    assert everything == [
        "1 chain(s) shorter than in the checkpoint before",
        "a signed checkpoint vouches for seq 3 but the chain now ends at 2 (truncated)",
    ]


# --- held: two page reads over the same subjects do not wait on each other ------------------------


def test_a_page_read_held_open_does_not_block_another_readers_page(graph_db, db, redis_db):
    """Performance claim checked empirically: while one caseworker's inbox transaction
    (its audit event written, not yet committed) is held open, another caseworker's inbox
    page over the same subjects, and a consent recorded for one of them, finish at once."""
    import threading
    import time

    from graph import referral_list_repo
    from referral_hub.accounts.actor import Actor
    from referral_hub.core.audit import audit_record
    from referral_hub.referrals import lists

    network, people, _first = build_case()
    referred = many_referrals(network, people, 5)
    welfare = network["welfare"]
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        actor = Actor(
            username="holder",
            organisation_id=welfare,
            roles=frozenset({Role.CASEWORKER}),
            request_id="hold",
        )
        audit = audit_record(actor, "REFERRAL_INBOX_READ", "Referral", None)

        def work(tx):
            rows = tx.rows(
                referral_list_repo._INBOX,
                reader=welfare,
                state=None,
                urgency=None,
                overdue=None,
                purpose="REFERRAL",
                categories=["CONTACT"],
                **PageRequest(50).params(),
                **audit_log.audit_params(audit),
            )
            holding.set()
            release.wait(20)
            return rows

        session.write(work)

    timings: dict[str, float] = {}

    def other_page() -> None:
        actor = Actor(
            username="other",
            organisation_id=welfare,
            roles=frozenset({Role.CASEWORKER}),
            request_id="other",
        )
        started = time.monotonic()
        page = lists.referral_box(actor=actor, box=lists.Box.INBOX, page=PageRequest(50))
        timings["page"] = time.monotonic() - started
        assert len(page.items) == 5

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(20)
    try:
        reader = threading.Thread(target=other_page)
        reader.start()
        reader.join(15)
        started = time.monotonic()
        give_consent_for = referred[0]
        from tests.referrals.flows import give_consent

        give_consent(people, give_consent_for, organisationIds=[welfare])
        timings["consent"] = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    # A shared lock would hold them until the first commits (release waits 20 s).
    assert timings["page"] < 10, timings
    assert timings["consent"] < 10, timings
    assert problems() == []


# --- 8. the checkpoint check finds its event by chainSeq, which nothing ties to (chain, seq) ---


def test_deleting_an_event_inside_a_checkpointed_chain_is_found(written):  # noqa: F811
    """Found CRITICAL: `checkpoint_breaks` looked the vouched event up by `chainSeq` alone;
    `verify_chain` never checks that an event's chainSeq is `<chain>#<seq>`, and both
    verifiers skip events whose seq is null. So after a checkpoint vouched for seq 5:
    delete event 3, re-number/re-link/re-hash the rest giving them other chainSeq text, add
    a filler at seq 5, and keep a seq-less copy of the old event 5 (chainSeq '#5', its old
    hash) for the checkpoint check to find. Nothing reported the deletion."""
    assert checkpoints.write_checkpoint() is not None
    old = chain_events(written)
    victim = old[2]
    keep = [e for e in old if e["id"] != victim["id"]]  # seqs 1, 2, 4, 5
    filler = {**keep[-1], "id": str(uuid.uuid4())}
    rewritten, previous = [], audit_log.GENESIS
    for seq, event in enumerate([*keep, filler], start=1):
        fields = {k: v for k, v in event.items() if k != "hash"}
        fields["seq"] = seq
        fields["chainSeq"] = f"{written}#{seq}" if seq < 3 else f"{written}#{seq}r"
        fields["prevHash"] = previous
        fields["hash"] = audit_log.event_hash(fields)
        rewritten.append(fields)
        previous = fields["hash"]
    decoy = {k: v for k, v in old[4].items() if k != "seq"}
    decoy["id"] = str(uuid.uuid4())

    def tamper(tx):
        tx.run("MATCH (e:AuditEvent {chain: $c}) DETACH DELETE e", c=written).consume()
        tx.run("UNWIND $es AS f CREATE (e:AuditEvent) SET e = f", es=rewritten).consume()
        tx.run("CREATE (e:AuditEvent) SET e = $d", d=decoy).consume()
        tx.run(
            "MATCH (c:AuditChain {key: $k}) SET c.seq = 5, c.head = $h", k=written, h=previous
        ).consume()

    session.write(tamper)
    assert victim["id"] not in {e["id"] for e in chain_events(written)}
    assert problems() == [
        (written, 3, "EDITED"),  # its place text is not <chain>#<seq>
        ("(no chain)", 0, "STRAY"),  # the seq-less decoy
        (written, 5, "CHECKPOINT"),  # found by (chain, seq): another hash there
    ]
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())


# --- 9. two checkpoint writers: the later row can carry the older heads ---------------------------


def test_racing_checkpoint_writers_raise_no_false_alarm(written, monkeypatch):  # noqa: F811
    """Found MEDIUM (a false alarm): `write_checkpoint` read the heads, THEN the last one.
    A writer that read the heads, is overtaken by another writer that reads newer heads
    and saves, then reads `last` (the other's) and saves its older heads after it: the
    sequence links (previous_root is unique and right), but the newest checkpoint has a
    chain shorter than the one before, and verification reports CHECKPOINT on an
    untampered log."""
    real = audit_log.chain_heads
    calls = []

    def overtaken():
        heads = real()
        calls.append(1)
        if len(calls) == 1:  # writer A has its heads; writer B runs to the end meanwhile
            update("046")
            assert checkpoints.write_checkpoint() is not None
        return heads

    monkeypatch.setattr(audit_log, "chain_heads", overtaken)
    # A finds B's checkpoint in its way (the unique previous root), reads again, and
    # finds nothing new to sign.
    assert checkpoints.write_checkpoint() is None
    monkeypatch.setattr(audit_log, "chain_heads", real)
    assert AuditCheckpoint.objects.count() == 1
    assert checkpoints.verify_checkpoints().broken == []


# --- 10. a checkpoint's heads JSON with a string seq crashes verification -------------------------


def test_a_string_seq_in_checkpoint_heads_is_reported(written):  # noqa: F811
    """Found LOW: `int(q)` made the root of [[k, "5", h]] equal that of [[k, 5, h]], so the
    edit passes the root check; the next checkpoint's "no chain shorter" compares
    `now.get(k) < q` with the raw JSON value: int < str raises TypeError, and verify_audit
    crashes instead of reporting."""
    first = checkpoints.write_checkpoint()
    update("046")
    assert checkpoints.write_checkpoint() is not None
    AuditCheckpoint.objects.filter(pk=first.pk).update(
        heads=[[k, str(q), h] for k, q, h in first.heads]
    )
    assert [(b.chain, b.reason) for b in checkpoints.verify_checkpoints().broken] == [
        (f"checkpoint:{first.pk}", "its heads do not give the root it signed")
    ]


# --- 11. the explorer's targetId filter is not an indexed read ------------------------------------


def test_the_explorers_target_filter_and_the_record_read_through_indexes(graph_db, db, redis_db):
    """Found MEDIUM (speed): the explorer's target filter scanned every event."""
    network, people, subject = build_case()
    many_referrals(network, people, 3)
    people["welfare"](INBOX)
    params = {
        "area_codes": None,
        "action": None,
        "target_type": None,
        "target_id": subject,
        "organisation": None,
        "actor_user": None,
        "legal_basis": None,
        "statutory_only": None,
        "since": None,
        "until": None,
        **PageRequest(50).params(),
    }

    def plan(query: str, **p) -> list[str]:
        from graph import driver

        with driver.get_driver().session(database=driver.database()) as s:
            summary = s.run("PROFILE " + query, p).consume()
        ops = []

        def walk(node, depth=0):
            ops.append(
                "  " * depth
                + node["operatorType"]
                + " "
                + str(node.get("args", {}).get("Details", ""))[:120]
            )
            for child in node.get("children", []):
                walk(child, depth + 1)

        walk(summary.profile)
        return ops

    target = plan(audit_log._LIST_FOR_TARGET, **params)
    assert not [op for op in target if "LabelScan" in op], target
    assert any("AuditMention(subject)" in op for op in target), target
    assert any("AuditEvent(targetId)" in op for op in target), target
    mentions = plan(
        "MATCH (:AuditMention {subject: $s})<-[:MENTIONS]-(e:AuditEvent) RETURN e.id", s=subject
    )
    assert not [op for op in mentions if "LabelScan" in op], mentions


# --- held: verification and checkpoints while eight threads write --------------------------------


def test_verify_and_checkpoint_while_eight_threads_write_raise_no_false_alarm(
    graph_db, db, redis_db
):
    import threading

    from referral_hub.accounts.actor import Actor
    from referral_hub.referrals import lists
    from referral_hub.subjects import services as subjects
    from tests.referrals.flows import give_consent

    network, people, first = build_case()
    give_consent(people, first, organisationIds=[network["welfare"]])
    referred = many_referrals(network, people, 4)
    shared = [first, *referred]
    school, welfare = network["school"], network["welfare"]
    terms = consent_terms(welfare)
    stop = threading.Event()
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                if number % 2:
                    actor = Actor(
                        username=f"r{number}",
                        organisation_id=welfare,
                        roles=frozenset({Role.CASEWORKER}),
                        request_id=f"r{number}-{n}",
                    )
                    lists.referral_box(actor=actor, box=lists.Box.INBOX, page=PageRequest(50))
                else:
                    actor = Actor(
                        username=f"w{number}",
                        organisation_id=school,
                        roles=frozenset({Role.COUNSELLOR}),
                        request_id=f"w{number}-{n}",
                    )
                    subjects.consent_record(
                        actor=actor, subject_id=shared[n % len(shared)], terms=terms
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    alarms = []
    try:
        for _round in range(6):
            checkpoints.write_checkpoint()
            alarms += problems()
            alarms += _verify_area_all()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert alarms == []
    assert problems() == []


def test_a_seq_less_event_stays_out_of_the_explorer_and_is_reported(graph_db, db, redis_db):
    """Found LOW: one forged event without seq or chain was an INTERNAL_ERROR in every
    explorer page that included it."""
    directory_fixtures.build()
    auditor_org = directory_fixtures.build_auditor_org("川崎市 監査室", directory_fixtures.KAWASAKI)
    auditor = member("k-auditor", auditor_org, Role.AUDITOR)
    events = "{ auditEvents(first: 50) { edges { node { id seq chain action } } } }"
    assert "errors" not in auditor(events)
    session.write(
        lambda tx: tx.run(
            "CREATE (e:AuditEvent {id: randomUUID(), action: 'X', targetType: 'X', "
            "actorUser: 'x', prevHash: 'x', hash: 'x', statutory: false, "
            "at: '2999-01-01T00:00:00.000000+00:00', areaCode: $a})",
            a=directory_fixtures.KAWASAKI,
        ).consume()
    )
    body = auditor(events)
    assert "errors" not in body
    assert "X" not in [edge["node"]["action"] for edge in body["data"]["auditEvents"]["edges"]]
    assert ("(no chain)", 0, "STRAY") in problems()


# --- held: tampers the verifier does find -------------------------------------------------------


def test_page_read_tampers_are_found(graph_db, db, redis_db):
    network, people, _first = build_case()
    referred = many_referrals(network, people, 3)
    people["welfare"](INBOX)
    event = _page_read_of(referred)
    a, b, _c = event["subjects"]
    key, seq = event["chain"], event["seq"]

    def tampered(statement: str, **params) -> list:
        def check_inside(tx):
            tx.run(statement, id=event["id"], **params).consume()

        session.write(check_inside)
        found = [(c, s, code) for c, s, code in problems() if c == key]
        # restore
        session.write(
            lambda tx: tx.run(
                "MATCH (e:AuditEvent {id: $id}) SET e = $f", id=event["id"], f=event
            ).consume()
        )
        session.write(
            lambda tx: tx.run(
                "MATCH (e:AuditEvent {id: $id})-[:MENTIONS]->(m) DETACH DELETE m "
                "WITH DISTINCT 1 AS one MATCH (e:AuditEvent {id: $id}) "
                "UNWIND e.subjects AS s "
                "CREATE (e)-[:MENTIONS]->(:AuditMention {subject: s, at: e.at})",
                id=event["id"],
            ).consume()
        )
        assert [p for p in problems() if p[0] == key] == []
        return found

    # a mention re-pointed to another subject
    assert tampered(
        "MATCH (:AuditEvent {id: $id})-[:MENTIONS]->(m:AuditMention {subject: $a}) "
        "SET m.subject = $other",
        a=a,
        other=str(uuid.uuid4()),
    ) == [(key, seq, "MENTIONS")]
    # a subject's basis changed (same list shape)
    assert tampered(
        "MATCH (e:AuditEvent {id: $id}) SET e.subjectBases = ['STATUTORY_SWA_106_6'] + "
        "tail(e.subjectBases)"
    ) == [(key, seq, "EDITED")]
    # hash version 3 -> 2 (drops the lists from the canonical text)
    assert tampered("MATCH (e:AuditEvent {id: $id}) SET e.hashVersion = 2") == [
        (key, seq, "FIELDS_ADDED")
    ]
    # moved to another chain
    assert tampered("MATCH (e:AuditEvent {id: $id}) SET e.chain = 'writer:elsewhere:0'") == [
        (key, seq, "HEAD")
    ]  # the newest of its chain: the head names it
    # a subject dropped from the list and its mention
    assert tampered(
        "MATCH (e:AuditEvent {id: $id})-[:MENTIONS]->(m:AuditMention {subject: $b}) "
        "DETACH DELETE m WITH DISTINCT 1 AS one MATCH (e:AuditEvent {id: $id}) "
        "SET e.subjects = [x IN e.subjects WHERE x <> $b]",
        b=b,
    ) == [(key, seq, "EDITED")]


def test_writer_slots_follow_threads_and_forks():
    import os
    import threading

    from graph import audit_writers

    seen: list[str] = []
    for _ in range(5):  # one after another: the slot is reused
        t = threading.Thread(target=lambda: seen.append(audit_writers.writer_chain()))
        t.start()
        t.join()
    assert len(set(seen)) == 1, seen
    barrier, live = threading.Barrier(6), []

    def hold():
        live.append(audit_writers.writer_chain())
        barrier.wait()

    threads = [threading.Thread(target=hold) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(live)) == 6  # live threads never share
    parent = audit_writers.writer_chain()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write, audit_writers.writer_chain().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 200).decode()
    assert child.split(":")[1] != parent.split(":")[1]
