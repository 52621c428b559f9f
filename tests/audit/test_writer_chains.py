"""Issue 17: an audit log with no hot spots. Chains follow the writer, a page read is one
event naming its subjects, signed checkpoints catch what chains alone cannot (a truncated
tail, a whole chain rewritten), and every kind of tampering is found."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from graph import audit_log, audit_writers, migrate, session
from graph.listing import PageRequest
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.consent.policy import ConsentTerms
from referral_hub.core import checkpoints, tasks
from referral_hub.core.models import AuditCheckpoint
from referral_hub.referrals import lists
from referral_hub.subjects import services as subjects
from tests import directory_fixtures
from tests.conftest import member, subject_audit_events
from tests.referrals.flows import build_case, give_consent
from tests.referrals.test_inbox import many_referrals

UPDATE = (
    "mutation($id: ID!, $p: String) { updateOrganisation(id: $id, input: {phone: $p}) "
    "{ errors { code } } }"
)
_CHAIN = "MATCH (e:AuditEvent {chain: $chain}) RETURN properties(e) AS e ORDER BY e.seq"


def chain_events(key: str) -> list[dict]:
    return [row["e"] for row in session.read(lambda tx: tx.rows(_CHAIN, chain=key))]


def problems() -> list[tuple[str, int, str]]:
    """(chain, seq, code) of every broken link the chains and the checkpoints show."""
    found = [(c, link.seq, link.code) for c, _, link in audit_log.verify_all() if link]
    found += [(b.chain, b.seq, b.code) for b in checkpoints.verify_checkpoints().broken]
    return found


NETWORK: dict = {}


@pytest.fixture
def written(graph_db, db, redis_db):
    """Five events on this thread's writer chain; its key."""
    NETWORK.update(directory_fixtures.build().ids)
    NETWORK["admin"] = member("npo-admin", NETWORK["npo"], Role.ORG_ADMIN)
    audit_writers.retire()  # a chain of its own for the five, so their seqs are 1 to 5
    for phone in ("044-1", "044-2", "044-3", "044-4", "044-5"):
        update(phone)
    key = chain_events_of_action("ORGANISATION_UPDATE")
    assert [e["seq"] for e in chain_events(key)] == [1, 2, 3, 4, 5]
    assert problems() == []
    return key


def update(phone: str) -> None:
    """One more event on this thread's chain (an organisation's admin edits its phone)."""
    body = NETWORK["admin"](UPDATE, {"id": NETWORK["npo"], "p": phone})
    assert body["data"]["updateOrganisation"]["errors"] == []


def chain_events_of_action(action: str) -> str:
    row = session.read(
        lambda tx: tx.single(
            "MATCH (e:AuditEvent {action: $a}) RETURN e.chain AS c ORDER BY e.at DESC LIMIT 1",
            a=action,
        )
    )
    assert row is not None
    return row["c"]


def set_head(key: str, seq: int, head: str) -> None:
    session.write(
        lambda tx: tx.run(
            "MATCH (c:AuditChain {key: $k}) SET c.seq = $s, c.head = $h", k=key, s=seq, h=head
        ).consume()
    )


def rewrite(key: str, change: dict) -> None:
    """What one who can write the graph and knows the hash would do: change the first
    event, then re-link and re-hash every event after it and move the head, so the chain
    alone verifies."""
    events = chain_events(key)
    previous = audit_log.GENESIS
    for index, event in enumerate(events):
        fields = {k: v for k, v in event.items() if k != "hash"}
        fields |= change if index == 0 else {}
        fields["prevHash"] = previous
        fields["hash"] = audit_log.event_hash(fields)
        session.write(
            lambda tx, f=fields: tx.run(
                "MATCH (e:AuditEvent {id: $id}) SET e = $f", id=f["id"], f=f
            ).consume()
        )
        previous = fields["hash"]
    set_head(key, len(events), previous)


# --- each kind of tampering ----------------------------------------------------------------


def test_an_edited_event_is_found(written):
    victim = chain_events(written)[2]
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {id: $id}) SET e.outcome = 'DENIED'", id=victim["id"]
        )
    )
    assert problems() == [(written, 3, "EDITED")]


def test_a_deleted_event_is_found(written):
    session.write(
        lambda tx: tx.run("MATCH (e:AuditEvent {chain: $c, seq: 2}) DETACH DELETE e", c=written)
    )
    assert problems() == [(written, 2, "MISSING")]


def renumber(key: str, old: int, new: int) -> None:
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {chain: $c, seq: $old}) SET e.seq = $new, e.chainSeq = $cs",
            c=key,
            old=old,
            new=new,
            cs=f"{key}#{new}",
        ).consume()
    )


def test_an_event_inserted_in_the_middle_is_found(written):
    for seq in (5, 4, 3):  # room made by moving the later events up one, hashes kept
        renumber(written, seq, seq + 1)
    second = chain_events(written)[1]
    forged = {**second, "id": "forged", "seq": 3, "chainSeq": f"{written}#3"}
    forged["prevHash"] = second["hash"]
    forged["hash"] = audit_log.event_hash({k: v for k, v in forged.items() if k != "hash"})
    session.write(lambda tx: tx.run("CREATE (e:AuditEvent) SET e = $f", f=forged))
    set_head(written, 6, chain_events(written)[-1]["hash"])
    # The forged event links and hashes; the one it displaced no longer does.
    assert problems() == [(written, 4, "RELINKED")]


def test_an_event_appended_past_the_head_is_not_mistaken_for_a_writers(written):
    last = chain_events(written)[-1]
    forged = {
        **last,
        "id": "forged",
        "seq": 6,
        "chainSeq": f"{written}#6",
        "prevHash": last["hash"],
    }
    forged["hash"] = audit_log.event_hash({k: v for k, v in forged.items() if k != "hash"})
    session.write(lambda tx: tx.run("CREATE (e:AuditEvent) SET e = $f", f=forged))
    assert problems() == [(written, 6, "INSERTED")]


def test_reordered_events_are_found(written):
    renumber(written, 2, 99)
    renumber(written, 3, 2)
    renumber(written, 99, 3)
    assert problems() == [(written, 2, "RELINKED")]


def test_a_truncated_tail_passes_the_chain_but_not_the_checkpoint(written):
    signed = checkpoints.write_checkpoint()
    assert signed is not None
    events = chain_events(written)
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {chain: $c}) WHERE e.seq > 3 DETACH DELETE e", c=written
        )
    )
    set_head(written, 3, events[2]["hash"])
    # The chain alone cannot tell: it ends where its head says.
    assert [link for c, _, link in audit_log.verify_all() if c == written] == [None]
    assert problems() == [(written, 5, "CHECKPOINT")]
    [link] = checkpoints.verify_checkpoints().broken
    assert "now ends at 3 (truncated)" in link.reason


def test_a_whole_chain_rewritten_passes_the_chain_but_not_the_checkpoint(written):
    assert checkpoints.write_checkpoint() is not None
    rewrite(written, {"actorUser": "nobody"})
    assert [link for c, _, link in audit_log.verify_all() if c == written] == [None]
    assert problems() == [(written, 5, "CHECKPOINT")]
    [link] = checkpoints.verify_checkpoints().broken
    assert "has another hash now (rewritten)" in link.reason


def test_a_chain_rewritten_between_two_checkpoints_is_found_by_the_earlier(written):
    assert checkpoints.write_checkpoint() is not None
    rewrite(written, {"actorUser": "nobody"})
    update("045")  # the log moves on
    assert checkpoints.write_checkpoint() is not None  # signs the rewritten chain
    assert problems() == [(written, 5, "CHECKPOINT")]


# --- a commit seen half-applied is no alarm; tampering stays one ----------------------------
# Neo4j's readers may see part of a commit being applied (read committed, no snapshot): a
# head moved before its event is indexed, or an event before its head moves. The verifier
# reads a break again after each pause and reports only what every reading shows.

VERIFY = audit_log.AuditRecord("AUDIT_VERIFY", "AuditLog", None, "test", None, None, None)


def _pauses(monkeypatch, landing=None) -> list[float]:
    """Each pause between readings, recorded; in the first, `landing` (the rest of the
    commit) is applied."""
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        if landing is not None and not pauses:
            landing()
        pauses.append(seconds)

    monkeypatch.setattr(audit_log, "pause", pause)
    return pauses


def _appended_unseen(key: str):
    """The next event of `key` as a writer writes it, without the head it moves; and
    the landing of that head."""
    last = chain_events(key)[-1]
    event = {**last, "id": "next", "seq": 6, "chainSeq": f"{key}#6", "prevHash": last["hash"]}
    event["hash"] = audit_log.event_hash({k: v for k, v in event.items() if k != "hash"})
    session.write(lambda tx: tx.run("CREATE (e:AuditEvent) SET e = $f", f=event).consume())
    return lambda: set_head(key, 6, event["hash"])


def _head_ahead(key: str):
    """The head moved to a sixth event not yet seen; and the landing of that event."""
    landing = _appended_unseen(key)
    landing()
    [event] = [e for e in chain_events(key) if e["seq"] == 6]
    session.write(lambda tx: tx.run("MATCH (e:AuditEvent {id: 'next'}) DELETE e").consume())
    return lambda: session.write(
        lambda tx: tx.run("CREATE (e:AuditEvent) SET e = $f", f=event).consume()
    )


@pytest.mark.parametrize("half", [_appended_unseen, _head_ahead], ids=["event", "head"])
def test_a_commit_seen_half_applied_is_read_again_and_raises_no_alarm(written, monkeypatch, half):
    pauses = _pauses(monkeypatch, half(written))
    assert [link for c, _, link in audit_log.verify_all() if c == written] == [None]
    assert pauses == [audit_log.RECHECK_PAUSES[0]]
    assert problems() == []


@pytest.mark.parametrize("half", [_appended_unseen, _head_ahead], ids=["event", "head"])
def test_an_area_check_reads_a_half_applied_commit_again(written, monkeypatch, half):
    pauses = _pauses(monkeypatch, half(written))
    found = audit_log.verify_area(area_codes=None, reader=VERIFY)
    assert (found.broken, len(pauses)) == ([], 1)


def test_a_checkpoint_check_reads_a_half_applied_head_again(written, monkeypatch):
    assert checkpoints.write_checkpoint() is not None
    fifth = chain_events(written)[4]["hash"]
    set_head(written, 4, chain_events(written)[3]["hash"])  # seen before it moved to 5
    pauses = _pauses(monkeypatch, lambda: set_head(written, 5, fifth))
    assert (checkpoints.verify_checkpoints().broken, len(pauses)) == ([], 1)


def test_a_break_that_every_reading_shows_is_reported_after_every_pause(written, monkeypatch):
    _appended_unseen(written)  # and no head ever lands: inserted by hand
    audit_writers.retire()  # the check's own event goes to a new chain, not into seq 6
    pauses = _pauses(monkeypatch)
    assert problems() == [(written, 6, "INSERTED")]
    assert pauses == list(audit_log.RECHECK_PAUSES)
    pauses.clear()
    assert [
        (b.chain, b.seq, b.code)
        for b in audit_log.verify_area(area_codes=None, reader=VERIFY).broken
    ] == [(written, 6, "INSERTED")]
    assert pauses == list(audit_log.RECHECK_PAUSES)


def test_an_intact_log_is_read_once(written, monkeypatch):
    pauses = _pauses(monkeypatch)
    assert checkpoints.write_checkpoint() is not None
    assert problems() == []
    assert audit_log.verify_area(area_codes=None, reader=VERIFY).broken == []
    assert pauses == []


def test_a_deleted_mention_hides_nothing(graph_db, db, redis_db):
    network, people, subject = build_case()
    give_consent(people, subject, organisationIds=[network["welfare"]])
    event = subject_audit_events(subject)[-1]
    session.write(
        lambda tx: tx.run(
            "MATCH (:AuditEvent {id: $id})-[:MENTIONS]->(m:AuditMention) DETACH DELETE m",
            id=event["id"],
        )
    )
    assert problems() == [(event["chain"], event["seq"], "MENTIONS")]


OTHER_KEY = "b3RoZXIta2V5LW5vdC10cnVzdGVkLWJ5LXRoZS1odWI"  # 32 bytes, base64url


def test_a_removed_checkpoint_edited_heads_and_a_foreign_signature_are_found(written, settings):
    first = checkpoints.write_checkpoint()
    update("046")
    second = checkpoints.write_checkpoint()
    update("047")
    third = checkpoints.write_checkpoint()
    assert None not in (first, second, third)
    assert checkpoints.verify_checkpoints().broken == []
    assert checkpoints.write_checkpoint() is None  # nothing changed: no new row

    AuditCheckpoint.objects.filter(pk=second.pk).delete()
    assert [(b.chain, b.reason) for b in checkpoints.verify_checkpoints().broken] == [
        (f"checkpoint:{third.pk}", "it does not follow the checkpoint before it (one is gone)")
    ]
    second.save()  # back, with its own id

    AuditCheckpoint.objects.filter(pk=third.pk).update(heads=[[written, 99, "f" * 64]])
    reasons = {(b.chain, b.reason) for b in checkpoints.verify_checkpoints().broken}
    assert (f"checkpoint:{third.pk}", "its heads do not give the root it signed") in reasons
    AuditCheckpoint.objects.filter(pk=third.pk).update(heads=third.heads)
    assert checkpoints.verify_checkpoints().broken == []

    # A key the hub does not trust signs one of its own.
    settings.HUB_AUDIT_SIGNING_KEY = OTHER_KEY
    update("048")
    forged = checkpoints.write_checkpoint()
    settings.HUB_AUDIT_SIGNING_KEY = settings.DEV_AUDIT_SIGNING_KEY
    assert [(b.chain, b.reason) for b in checkpoints.verify_checkpoints().broken] == [
        (f"checkpoint:{forged.pk}", "its signature does not verify with a trusted key")
    ]
    # After a rotation, the earlier key's public half is trusted and it verifies.
    settings.HUB_AUDIT_TRUSTED_KEYS = [checkpoints.public_key_text(OTHER_KEY)]
    assert checkpoints.verify_checkpoints().broken == []


def test_the_command_reports_checkpoint_breaks_and_names_the_newest_root(written):
    signed = checkpoints.write_checkpoint()
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    assert f"newest signed checkpoint: #{signed.pk} at " in out.getvalue()
    assert f", root {signed.root}\n" in out.getvalue()
    assert "audit log intact: " in out.getvalue()
    assert " 1 signed checkpoints" in out.getvalue()
    rewrite(written, {"outcome": "DENIED"})
    errors = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_audit", stdout=StringIO(), stderr=errors)
    assert f"chain {written} breaks at seq 5" in errors.getvalue()
    assert "rewritten" in errors.getvalue()


# --- the log written before writer chains ----------------------------------------------------


def _legacy_chain(subject: str, count: int) -> list[dict]:
    """Events as the hub wrote them before 0.3: a chain per subject, hash version 2."""
    key, previous, events = f"subject:{subject}", audit_log.GENESIS, []
    for seq in range(1, count + 1):
        fields = {
            "action": "SUBJECT_READ",
            "actorUser": "old-caseworker",
            "at": f"2026-01-0{seq}T00:00:00.000000+00:00",
            "chain": key,
            "chainSeq": f"{key}#{seq}",
            "id": f"legacy-{subject}-{seq}",
            "legalBasis": "CONSENT",
            "outcome": "OK",
            "prevHash": previous,
            "seq": seq,
            "statutory": False,
            "targetId": subject,
            "targetType": "Subject",
            "hashVersion": 2,
        }
        fields["hash"] = audit_log.event_hash(fields)
        events.append(fields)
        previous = fields["hash"]
    session.write(lambda tx: tx.run("UNWIND $es AS f CREATE (e:AuditEvent) SET e = f", es=events))
    session.write(
        lambda tx: tx.run(
            "CREATE (:AuditChain {key: $k, seq: $s, head: $h})", k=key, s=count, h=previous
        )
    )
    return events


def test_old_subject_chains_still_verify_and_join_the_subjects_history(graph_db, db):
    subject = "0f0e0d0c-0b0a-4000-8000-000000000001"
    old = _legacy_chain(subject, 3)
    migrate.backfill()
    migrate.backfill()  # idempotent: one mention each
    assert [e["id"] for e in subject_audit_events(subject)] == [e["id"] for e in old]
    assert problems() == []
    assert checkpoints.write_checkpoint() is not None  # old heads are signed too
    session.write(
        lambda tx: tx.run("MATCH (e:AuditEvent {id: $id}) SET e.actorUser = 'x'", id=old[1]["id"])
    )
    assert problems() == [(f"subject:{subject}", 2, "EDITED")]


# --- under load: no shared heads, no lost events ----------------------------------------------


def consent_terms(organisation: str) -> ConsentTerms:
    """A guardian's consent to refer to `organisation`, as the concurrent writers record it."""
    return ConsentTerms(
        given_by="GUARDIAN",
        guardian_relationship="母",
        purposes=["REFERRAL"],
        categories=["CONTACT"],
        valid_until=date.today() + timedelta(days=200),
        method="VERBAL",
        organisation_ids=[organisation],
    )


def test_sixteen_concurrent_readers_and_writers_lose_no_event(graph_db, db, redis_db):
    network, people, first = build_case()
    give_consent(people, first, organisationIds=[network["welfare"]])
    referred = many_referrals(network, people, 5)
    shared = [first, *referred]  # the writers touch all six, the readers the five referred
    school, welfare = network["school"], network["welfare"]
    terms = consent_terms(welfare)
    expected: dict[str, str] = {}  # request id -> the action its event must carry
    errors: list[BaseException] = []
    start, end = threading.Barrier(16), threading.Barrier(16)

    def reader(number: int) -> None:
        start.wait()
        for round_ in range(4):
            rid = f"conc-t{number}-r{round_}"
            actor = Actor(
                username=f"reader{number}",
                organisation_id=welfare,
                roles=frozenset({Role.CASEWORKER}),
                request_id=rid,
            )
            page = lists.referral_box(actor=actor, box=lists.Box.INBOX, page=PageRequest(50))
            assert len(page.items) == len(referred)
            expected[rid] = "REFERRAL_INBOX_READ"

    def writer(number: int) -> None:
        start.wait()
        for round_ in range(4):
            rid = f"conc-t{number}-w{round_}"
            actor = Actor(
                username=f"writer{number}",
                organisation_id=school,
                roles=frozenset({Role.COUNSELLOR}),
                request_id=rid,
            )
            subject = shared[(number + round_) % len(shared)]
            subjects.consent_record(actor=actor, subject_id=subject, terms=terms)
            expected[rid] = "CONSENT_RECORD"

    def run(target, number: int) -> None:
        try:
            target(number)
        except BaseException as error:  # reported below, in the test thread
            errors.append(error)
        # All 16 live to the end, so a slot freed by an early finisher is not reused by a
        # late starter: sixteen live threads must have sixteen chains.
        end.wait()

    threads = [
        threading.Thread(target=run, args=(reader if n % 2 else writer, n)) for n in range(16)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(expected) == 64

    rows = session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent) WHERE e.requestId STARTS WITH 'conc-' "
            "RETURN e.requestId AS rid, e.action AS action, e.chain AS chain, "
            "e.subjects AS subjects"
        )
    )
    by_request = defaultdict(list)
    for row in rows:
        by_request[row["rid"]].append(row)
    assert set(by_request) == set(expected)  # every request's event, and no other
    for rid, action in expected.items():
        assert [row["action"] for row in by_request[rid]] == [action], rid
    # One event per page naming every subject it showed, not one per subject.
    reads = [row for row in rows if row["action"] == "REFERRAL_INBOX_READ"]
    assert len(reads) == 32
    assert all(sorted(row["subjects"]) == sorted(referred) for row in reads)
    # Each thread wrote one chain of its own: no two threads waited on one head.
    chains = defaultdict(set)
    for row in rows:
        chains[row["rid"].split("-")[1]].add(row["chain"])
    assert all(len(keys) == 1 for keys in chains.values())
    assert len({next(iter(keys)) for keys in chains.values()}) == 16
    assert problems() == []


# --- the periodic task, in a real worker -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_signs_a_checkpoint_in_a_worker(graph_db, redis_db, celery_worker_process):
    network = directory_fixtures.build()
    member("npo-admin", network["npo"], Role.ORG_ADMIN)(UPDATE, {"id": network["npo"], "p": "1"})
    made = tasks.audit_checkpoint.apply_async().get(timeout=60)
    assert isinstance(made, int)
    assert tasks.audit_checkpoint.apply_async().get(timeout=60) is None  # nothing new
    signed = AuditCheckpoint.objects.get(pk=made)
    assert signed.chains == len(audit_log.chain_heads())
    assert checkpoints.verify_checkpoints().broken == []
