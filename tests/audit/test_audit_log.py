"""The audit log: written with the action, hash-chained, verifiable, readable by area."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from graph import audit_log, session
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import member

UPDATE = (
    "mutation($id: ID!, $p: String) { updateOrganisation(id: $id, input: {phone: $p}) "
    "{ errors { code } } }"
)
EVENTS = """
query($f: AuditFilterInput) {
  auditEvents(filter: $f, first: 50) {
    edges { node { action targetType targetId actorUser actorOrganisation actorRole areaCode
                   requestId chain seq } }
  }
}"""


def events(**match):
    rows = session.read(
        lambda tx: tx.rows("MATCH (e:AuditEvent) RETURN properties(e) AS e ORDER BY e.at")
    )
    return [r["e"] for r in rows if all(r["e"].get(k) == v for k, v in match.items())]


@pytest.fixture
def network(graph_db, db, redis_db):
    return directory_fixtures.build()


def test_a_successful_action_has_exactly_one_event_with_who_and_why(network):
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    before = len(events())
    assert (
        admin(UPDATE, {"id": network["npo"], "p": "044-000"})["data"]["updateOrganisation"][
            "errors"
        ]
        == []
    )
    new = events()[before:]
    assert len(new) == 1
    event = new[0]
    assert (event["action"], event["targetType"], event["targetId"]) == (
        "ORGANISATION_UPDATE",
        "Organisation",
        network["npo"],
    )
    assert (event["actorUser"], event["actorOrganisation"], event["actorRole"]) == (
        "npo-admin",
        network["npo"],
        "ORG_ADMIN",
    )
    assert event["areaCode"] == "141330"
    # On this thread's own chain (graph/audit_writers.py), naming no subject.
    assert event["chain"].startswith("writer:")
    assert "subjects" not in event
    assert len(event["requestId"]) == 32


def test_a_failed_action_leaves_no_event(network):
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    before = len(events())
    body = admin(UPDATE, {"id": network["npo"], "p": "not a phone"})
    assert body["data"]["updateOrganisation"]["errors"] == [{"code": "INVALID"}]
    forbidden = admin(UPDATE, {"id": network["welfare"], "p": "044"})
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert len(events()) == before


def test_a_write_that_fails_inside_the_transaction_rolls_back_its_event(network):
    """The unknown tag is found inside the write transaction, after the check ran."""
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    before = len(events())
    body = admin(
        'mutation($o: ID!) { createService(input: {organisationId: $o, name: "x", '
        'mode: SUPPORT, tagCodes: ["nope"]}) { errors { code } } }',
        {"o": network["npo"]},
    )
    assert body["data"]["createService"]["errors"] == [{"code": "UNKNOWN_TAG"}]
    assert len(events()) == before


def test_chains_verify_and_an_edited_event_is_found_at_its_link(network):
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    for phone in ("044-1", "044-2", "044-3"):
        admin(UPDATE, {"id": network["npo"], "p": phone})
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    assert "audit log intact" in out.getvalue()

    chain = events(action="ORGANISATION_UPDATE")[-1]["chain"]
    victim = events(chain=chain, seq=2)[0]
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {id: $id}) SET e.actorUser = 'someone-else'", id=victim["id"]
        ).consume()
    )
    errors = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_audit", stdout=StringIO(), stderr=errors)
    assert f"chain {chain} breaks at seq 2 (event {victim['id']})" in errors.getvalue()
    assert "edited after it was written" in errors.getvalue()


def test_a_deleted_event_breaks_the_chain(network):
    admin = member("npo-admin", network["npo"], Role.ORG_ADMIN)
    for phone in ("044-1", "044-2", "044-3"):
        admin(UPDATE, {"id": network["npo"], "p": phone})
    chain = events(action="ORGANISATION_UPDATE")[-1]["chain"]
    session.write(
        lambda tx: tx.run(
            "MATCH (e:AuditEvent {chain: $chain, seq: 2}) DETACH DELETE e", chain=chain
        ).consume()
    )
    broken = {c: link for c, _, link in audit_log.verify_all()}[chain]
    assert broken is not None
    assert broken.seq == 2
    assert "missing" in broken.reason


def test_verify_chain_is_pure():
    assert audit_log.verify_chain("c", 0, audit_log.GENESIS, []) is None
    link = audit_log.verify_chain("c", 1, "x" * 64, [])
    assert link is not None
    assert "head says seq 1" in link.reason


def _settled(
    monkeypatch, readings: list[list[str]], first: list[str]
) -> tuple[list[str], list, list]:
    """settle() over breaks named by chain: `readings` are what each reading again finds
    among the chains it is given. Returns (reported, pauses, what each reading was given)."""
    pauses: list[float] = []
    given: list[list[str]] = []
    link = {c: audit_log.BrokenLink(c, 1, None, "r", "HEAD") for c in "abc"}

    def reread(links):
        given.append([b.chain for b in links])
        now = readings[len(given) - 1]
        return [link[c] for c in now if c in given[-1]]

    monkeypatch.setattr(audit_log, "pause", pauses.append)
    reported = audit_log.settle([link[c] for c in first], reread)
    return [b.chain for b in reported], pauses, given


def test_settle_reports_only_a_break_every_reading_shows(monkeypatch):
    every = list(audit_log.RECHECK_PAUSES)
    assert audit_log.RECHECK_PAUSES == (0.05, 0.15, 0.4)
    # Nothing broken: no pause, no second reading.
    assert _settled(monkeypatch, [], []) == ([], [], [])
    # Seen once, gone at the next reading (a commit being applied).
    assert _settled(monkeypatch, [[]], ["a"]) == ([], [0.05], [["a"]])
    # Still there at every reading: reported after all three pauses.
    assert _settled(monkeypatch, [["a"]] * 3, ["a"]) == (["a"], every, [["a"]] * 3)
    # Gone only at the last reading: no alarm.
    assert _settled(monkeypatch, [["a"], ["a"], []], ["a"]) == ([], every, [["a"]] * 3)
    # A chain that reads clean once is not read again, nor reported when it breaks later.
    assert _settled(monkeypatch, [["b"], ["a", "b"], ["a", "b"]], ["a", "b"]) == (
        ["b"],
        every,
        [["a", "b"], ["b"], ["b"]],
    )


def _events(n: int) -> list[dict]:
    """A well-formed chain of n events (version 2 hashes)."""
    events, previous = [], audit_log.GENESIS
    for seq in range(1, n + 1):
        event = {
            "action": "X",
            "actorUser": "u",
            "at": f"2026-11-30T00:00:0{seq}",
            "chain": "c",
            "chainSeq": f"c#{seq}",
            "id": f"e{seq}",
            "outcome": "OK",
            "prevHash": previous,
            "seq": seq,
            "statutory": False,
            "targetType": "T",
            "hashVersion": 2,
        }
        event["hash"] = audit_log.event_hash(event)
        events.append(event)
        previous = event["hash"]
    return events


def test_the_head_vouches_for_its_events_and_later_appends_are_a_writers():
    events = _events(3)
    # Read while a writer appended the third: the head (read first) says 2.
    assert audit_log.verify_chain("c", 2, events[1]["hash"], events) is None
    assert audit_log.verify_chain("c", 3, events[2]["hash"], events) is None
    # The last event deleted: the head vouches for one that is not there.
    cut = audit_log.verify_chain("c", 3, events[2]["hash"], events[:2])
    assert (cut.seq, cut.code) == (3, "HEAD")
    # The head altered to name another hash.
    moved = audit_log.verify_chain("c", 2, events[2]["hash"], events)
    assert (moved.seq, moved.code) == (2, "HEAD")
    # Every chain deleted down to nothing while its head stays.
    assert audit_log.verify_chain("c", 3, events[2]["hash"], []).seq == 1
    # An appended event must still link and hash like the rest.
    forged = [*events[:2], {**events[2], "prevHash": "0" * 64}]
    assert audit_log.verify_chain("c", 2, events[1]["hash"], forged).code == "RELINKED"


def test_auditors_read_their_area_only_and_the_read_is_audited(network):
    kawasaki = directory_fixtures.build_auditor_org("川崎市 監査室", "141305")
    setagaya = directory_fixtures.build_auditor_org("世田谷区 監査室", "131121")
    member("npo-admin", network["npo"], Role.ORG_ADMIN)(
        UPDATE, {"id": network["npo"], "p": "044-1"}
    )
    member("w-admin", network["welfare"], Role.ORG_ADMIN)(
        UPDATE, {"id": network["welfare"], "p": "03-1"}
    )
    k_auditor = member("k-auditor", kawasaki, Role.AUDITOR)
    s_auditor = member("s-auditor", setagaya, Role.AUDITOR)

    seen_k = [
        e["node"]
        for e in k_auditor(EVENTS, {"f": {"action": "ORGANISATION_UPDATE"}})["data"]["auditEvents"][
            "edges"
        ]
    ]
    seen_s = [
        e["node"]
        for e in s_auditor(EVENTS, {"f": {"action": "ORGANISATION_UPDATE"}})["data"]["auditEvents"][
            "edges"
        ]
    ]
    assert [e["targetId"] for e in seen_k] == [network["npo"]]  # 中原区 is in 川崎市
    assert [e["targetId"] for e in seen_s] == [network["welfare"]]

    reads = events(action="AUDIT_LOG_READ")
    assert {e["actorUser"] for e in reads} == {"k-auditor", "s-auditor"}


def test_export_for_the_regulator(network, tmp_path):
    member("npo-admin", network["npo"], Role.ORG_ADMIN)(UPDATE, {"id": network["npo"], "p": "1"})
    call_command("export_audit", str(tmp_path / "log.jsonl"), stdout=StringIO())
    lines = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert any(e["action"] == "ORGANISATION_UPDATE" for e in lines)
    assert all(len(e["hash"]) == 64 for e in lines)

    call_command(
        "export_audit", str(tmp_path / "log.csv"), format="csv", area="141305", stdout=StringIO()
    )
    rows = list(csv.DictReader((tmp_path / "log.csv").open(encoding="utf-8")))
    assert {row["areaCode"] for row in rows} <= {"141330", "141313", "141305", ""}
    assert any(row["action"] == "ORGANISATION_UPDATE" for row in rows)
    assert events(action="AUDIT_LOG_EXPORT")


def test_the_csv_export_quotes_what_a_spreadsheet_would_run(network, tmp_path):
    # "@" and "-" are allowed in Django usernames; "@SUM(1)" would be a formula cell.
    member("@SUM(1)", network["npo"], Role.ORG_ADMIN)(UPDATE, {"id": network["npo"], "p": "2"})
    call_command("export_audit", str(tmp_path / "log.csv"), format="csv", stdout=StringIO())
    rows = list(csv.DictReader((tmp_path / "log.csv").open(encoding="utf-8")))
    [row] = [r for r in rows if r["action"] == "ORGANISATION_UPDATE"]
    assert row["actorUser"] == "'@SUM(1)"
    call_command("export_audit", str(tmp_path / "log.jsonl"), stdout=StringIO())
    exact = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert [e["actorUser"] for e in exact if e["action"] == "ORGANISATION_UPDATE"] == ["@SUM(1)"]
