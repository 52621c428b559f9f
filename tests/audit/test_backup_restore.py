"""backup_hub and restore_hub on a real Neo4j and a real Django database.

Given a small network with referrals, consents, audit events, a signed checkpoint, members
and one node holding every Neo4j property type; when it is backed up, both stores wiped
and the file restored; then every count, a sample of property values and the audit log's
verification are as they were. A damaged file, or a target that holds data, is refused
and changes nothing.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import stat
import threading
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import redis
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from graph import backup_repo, session
from graph.backup_values import encode_properties
from referral_hub.accounts.roles import Role
from referral_hub.core import checkpoints, worker_heartbeat
from referral_hub.core.backup import BackupError, backup
from referral_hub.core.restore import django_counts, restore
from referral_hub.directory import reference_data
from referral_hub.referrals import demo_history
from tests import directory_fixtures
from tests.conftest import member

# Every property type Neo4j stores, nanoseconds and named zones included.
_PROBE = """
CREATE (p:BackupProbe {
  id: 'probe',
  zoned: datetime('2026-03-29T01:59:59.123456789[Europe/Berlin]'),
  tokyo: datetime('2026-12-01T09:00:00.000000001[Asia/Tokyo]'),
  offset: datetime('2026-12-01T09:00:00.5-03:30'),
  local: localdatetime('2026-12-01T23:59:59.999999999'),
  day: date('2026-02-28'),
  clock: time('12:34:56.000000789+09:00'),
  wall: localtime('07:08:09.1'),
  span: duration('P1Y2M3DT4H5M6.000000007S'),
  flat: point({x: 1.5, y: -2.25}),
  space: point({x: 1.0, y: 2.0, z: 3.0}),
  here: point({latitude: 35.531, longitude: 139.697}),
  high: point({latitude: 35.0, longitude: 139.0, height: 12.5}),
  raw: $raw,
  days: [date('2026-01-01'), date('2026-01-02')],
  words: ['つながり', ''],
  big: 9007199254740993,
  ratio: 0.1,
  yes: true
})
CREATE (p)-[:PROBES {since: date('2026-01-01'), weight: 2.5}]->(p)
"""
_SAMPLE = """
MATCH (n) WHERE n:BackupProbe OR n:Referral OR n:Consent OR n:AuditEvent OR n:Subject
  OR n:SubjectKey OR n:AuditChain
RETURN labels(n) AS labels, properties(n) AS props
ORDER BY coalesce(n.id, n.key, n.chainSeq, n.subjectId, n.chain)
"""


def _sample() -> list[dict[str, Any]]:
    rows = session.read(lambda tx: tx.rows(_SAMPLE))
    return [{**row, "labels": sorted(row["labels"])} for row in rows]


def _state() -> tuple[dict[str, Any], dict[str, int]]:
    return backup_repo.counts(), django_counts()


@pytest.fixture
def seeded(graph_db, transactional_db, redis_db) -> Any:
    network = directory_fixtures.build()
    member("npo-admin", network["npo"], Role.ORG_ADMIN)
    member("counsellor", network["school"], Role.COUNSELLOR)
    # A second factor: its row is audited when added, and must not be again when restored.
    TOTP.activate(get_user_model().objects.get(username="counsellor"), generate_totp_secret())
    assert demo_history.seed(area=directory_fixtures.KAWASAKI_KU, referrals=8, seed=5)
    session.write(lambda tx: tx.run(_PROBE, raw=bytes(range(256))).consume())
    assert checkpoints.write_checkpoint() is not None
    yield network
    # Should a failure leave a half restore: no marks on the areas the next tests keep,
    # and the areas back if the graph was left wiped.
    backup_repo.load_finish()
    reference_data.sync(force=True)


def _verify_audit() -> str:
    out, errors = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=errors)
    except CommandError as exc:
        raise AssertionError(errors.getvalue()) from exc
    return out.getvalue()


def test_backup_wipe_restore_gives_back_both_stores(seeded, tmp_path: Path):
    counts, rows = _state()
    sample = _sample()
    assert counts["labels"]["Referral"] == 8
    assert counts["labels"]["AuditEvent"] > 8
    assert rows["hub_core.auditcheckpoint"] == 1
    assert rows["accounts.membership"] == 2
    assert rows["mfa.authenticator"] == 1
    audit_before = _verify_audit()
    file = tmp_path / "hub.jsonl.gz"
    out = StringIO()
    call_command("backup_hub", str(file), stdout=out)
    assert "backed up" in out.getvalue()

    backup_repo.wipe()
    call_command("flush", interactive=False, verbosity=0)
    reference_data.sync(force=True)  # a new hub: migrated, with the shipped reference data
    assert backup_repo.holds_only_reference_data()
    assert not backup_repo.is_empty()
    assert django_counts() == {}

    call_command("restore_hub", str(file), "--force", stdout=out)  # the tests' worker may run
    assert _state() == (counts, rows)
    restored = _sample()
    assert len(restored) == len(sample)
    for after, before in zip(restored, sample, strict=True):
        assert after["labels"] == before["labels"]
        for key, value in before["props"].items():  # the same instants, dates, points
            assert after["props"][key] == value, (before["labels"], key)
    assert restored == sample
    assert [encode_properties(r["props"]) for r in restored] == [
        encode_properties(r["props"]) for r in sample
    ]  # and the same zones, offsets and nanoseconds, which equality of instants can miss
    probe = next(r["props"] for r in restored if r["labels"] == ["BackupProbe"])
    assert probe["zoned"].tzinfo.zone == "Europe/Berlin"
    assert probe["tokyo"].nanosecond == 1
    assert probe["raw"] == bytes(range(256))
    assert not session.read(lambda tx: tx.rows("MATCH (n:_Restore) RETURN n LIMIT 1"))
    assert _verify_audit() == audit_before
    assert "audit log intact" in audit_before


def _rewritten(source: Path, target: Path, change: Any) -> None:
    """A well-formed gzip file whose records were changed after the backup."""
    with gzip.open(source, "rb") as read:
        lines = [json.loads(line) for line in read]
    change(lines)
    with gzip.open(target, "wb") as write:
        for line in lines:
            write.write(json.dumps(line).encode() + b"\n")


def _edit_a_property(lines: list[dict[str, Any]]) -> None:
    node = next(line for line in lines if line.get("k") == "n" and "Referral" in line["labels"])
    node["props"]["state"] = "CLOSED"


def _drop_the_trailer(lines: list[dict[str, Any]]) -> None:
    lines.pop()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("truncated", "not a complete gzip file"),
        ("flipped", "not a complete gzip file (CRC check failed"),
        ("edited", "checksum mismatch"),
        ("no-trailer", "no trailer"),
    ],
)
def test_a_damaged_backup_is_refused_and_changes_nothing(seeded, tmp_path, damage, reason):
    file = tmp_path / "hub.jsonl.gz"
    call_command("backup_hub", str(file), stdout=StringIO())
    bad = tmp_path / "bad.jsonl.gz"
    data = file.read_bytes()
    if damage == "truncated":
        bad.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "flipped":  # one bit of the gzip member's CRC-32 (its last 8 bytes)
        at = len(data) - 8
        bad.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
    elif damage == "edited":
        _rewritten(file, bad, _edit_a_property)
    else:
        _rewritten(file, bad, _drop_the_trailer)
    before = _state()
    with pytest.raises(CommandError, match=re.escape(reason)):
        call_command("restore_hub", str(bad), "--wipe", "--force", stdout=StringIO())
    assert _state() == before  # not even the wipe ran


def test_a_restore_is_refused_while_a_worker_runs(seeded, tmp_path, no_worker, settings):
    file = tmp_path / "hub.jsonl.gz"
    call_command("backup_hub", str(file), stdout=StringIO())
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # password hashes, factor secrets
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.set(worker_heartbeat.PREFIX + "hub-elsewhere", "4242", ex=worker_heartbeat.TTL)
    before = _state()
    with pytest.raises(CommandError, match=re.escape("workers are running (hub-elsewhere)")):
        call_command("restore_hub", str(file), "--wipe", stdout=StringIO())
    assert _state() == before
    client.delete(worker_heartbeat.PREFIX + "hub-elsewhere")


def test_a_target_holding_data_is_refused_without_the_wipe(seeded, tmp_path):
    file = tmp_path / "hub.jsonl.gz"
    call_command("backup_hub", str(file), stdout=StringIO())
    session.write(lambda tx: tx.run("MATCH (p:BackupProbe) SET p.yes = false").consume())
    before = _state()
    with pytest.raises(BackupError, match=r"not empty.*--wipe"):
        restore(file)
    assert _state() == before
    restore(file, wipe=True)  # told to, it replaces what was there
    assert _state() == before
    probe = session.read(lambda tx: tx.single("MATCH (p:BackupProbe) RETURN p.yes AS yes"))
    assert probe == {"yes": True}


def test_a_copy_the_graph_changed_under_is_thrown_away(seeded, tmp_path):
    """A writer committing throughout every attempt leaves no copy (and no partial file);
    once it stops, the same command succeeds."""
    stop = threading.Event()
    writes = 0

    def writer() -> None:
        nonlocal writes
        while not stop.is_set():
            session.write(lambda tx: tx.run("CREATE (:BackupNoise)").consume())
            writes += 1

    thread = threading.Thread(target=writer)
    thread.start()
    file = tmp_path / "hub.jsonl.gz"
    try:
        with pytest.raises(BackupError, match="written to during each of 2 attempts"):
            backup(file, attempts=2)
    finally:
        stop.set()
        thread.join()
    assert writes > 0
    assert list(tmp_path.iterdir()) == []
    assert backup(file, attempts=1)["labels"]["BackupNoise"] == writes


def test_keys_wrapped_by_a_master_key_the_hub_lacks_are_refused(seeded, tmp_path, settings):
    """Restored without its master key, every subject would be unreadable: refused first."""
    file = tmp_path / "hub.jsonl.gz"
    call_command("backup_hub", str(file), stdout=StringIO())
    settings.HUB_MASTER_KEYS = "other=" + base64.urlsafe_b64encode(bytes(32)).decode()
    settings.HUB_MASTER_KEY_ID = "other"
    before = _state()
    with pytest.raises(BackupError, match=r"master key\(s\) dev1, which HUB_MASTER_KEYS"):
        restore(file, wipe=True)
    assert _state() == before
