"""The audit log: hash-chained `(:AuditEvent)` nodes written in the caller's transaction.

An action and its audit event commit or roll back together because `append` runs in
the same transaction as the action. Events form chains that follow the writer (one per
live thread of each process, graph/audit_writers.py), so no two requests ever wait on
one chain head; an event about subjects names them (`subjects`, hashed) and links to one
`(:AuditMention {subject})` per subject, the index a subject's history is read by. Chains
written before (one per subject, one per organisation) keep verifying as they are. Signed
checkpoints over every chain head (referral_hub/core/checkpoints.py) make a truncated or
rewritten chain detectable too. See docs/identity-and-audit.md: the audit log.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from graph import session
from graph.audit_writers import writer_chain
from graph.listing import PAGE_DESC, Page, PageRequest, page_from

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    """What happened, by whom, under what basis. Every field goes into the hash; the
    chain is the writer's (graph/audit_writers.py), chosen when the event is written."""

    action: str
    target_type: str
    target_id: str | None
    actor_user: str
    actor_user_id: int | None
    actor_organisation: str | None
    actor_role: str | None
    purpose: str | None = None
    legal_basis: str | None = None
    statutory: bool = False
    request_id: str | None = None
    client_address: str | None = None
    outcome: str = "OK"
    # What a read of personal data rested on and returned (docs/identity-and-audit.md:
    # what an audit event says). Absent on events about no subject's data.
    consent_id: str | None = None
    categories: tuple[str, ...] | None = None
    fields: tuple[str, ...] | None = None
    # The subjects whose data the action touched: each gets an (:AuditMention), so the
    # event is in their history. None for events about no subject's data.
    subjects: tuple[str, ...] | None = None


# Every stored field of an event except its hash, in the order the canonical text lists
# them. Both the Python writer and the Cypher writer (`AUDIT_HASH`, for statements that
# audit many subjects at once) render exactly these, so one verifier checks both.
HASHED_FIELDS: tuple[LiteralString, ...] = (
    "action",
    "actorOrganisation",
    "actorRole",
    "actorUser",
    "actorUserId",
    "areaCode",
    "at",
    "chain",
    "chainSeq",
    "clientAddress",
    "id",
    "legalBasis",
    "outcome",
    "prevHash",
    "purpose",
    "requestId",
    "seq",
    "statutory",
    "targetId",
    "targetType",
)
# Fields added later (issue 22): they enter the canonical text only when an event has
# them, after the fields above, so every event written before them keeps its hash.
OPTIONAL_HASHED_FIELDS: tuple[LiteralString, ...] = ("categories", "consentId", "fields")
_SEPARATOR = "\x1f"  # ASCII unit separator: never in any field the application writes


def _render(value: Any) -> str:
    # As Cypher's toString() renders them, so both sides agree; absent is the empty text.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def canonical_text(fields: dict[str, Any]) -> str:
    return _SEPARATOR.join(
        [f"{name}={_render(fields.get(name))}" for name in HASHED_FIELDS]
        + [
            f"{name}={_render(fields[name])}"
            for name in OPTIONAL_HASHED_FIELDS
            if fields.get(name) is not None
        ]
    )


# Version 2 (issue 12): each field is `name=<length>:<value>`, its length in code points
# (Python's len and Cypher's size agree on that), so no value, whatever characters it
# holds, can imitate a field boundary. Events written with it carry `hashVersion: 2`
# (itself hashed); events without it were written before and verify with version 1,
# unchanged, so existing chains need no rewriting.
V2_FIELDS: tuple[LiteralString, ...] = ("hashVersion", *HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS)
# Version 3 (issue 17): writer chains. The subjects an event is about are hashed, and a
# page read names several, each with the basis and consent its read rested on ('' for
# none), in three lists aligned by position.
SUBJECT_FIELDS: tuple[LiteralString, ...] = ("subjects", "subjectBases", "subjectConsents")
V3_FIELDS: tuple[LiteralString, ...] = (*V2_FIELDS, *SUBJECT_FIELDS)
HASH_VERSION = 3
_LIST_FIELDS = frozenset({"categories", "fields", *SUBJECT_FIELDS})


def stored_fields(event: dict[str, Any]) -> frozenset[str]:
    """The fields an event of its version may hold besides its hash: anything else was
    added after it was written (and is outside the hash)."""
    version = event.get("hashVersion")
    if version == 3:
        return frozenset(V3_FIELDS)
    if version == 2:
        return frozenset(V2_FIELDS)
    return frozenset((*HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS))


def _canonical_lengths(names: Sequence[str], fields: dict[str, Any]) -> str:
    rendered = [(name, _render(fields.get(name))) for name in names]
    return _SEPARATOR.join(f"{name}={len(text)}:{text}" for name, text in rendered)


def canonical_text_v2(fields: dict[str, Any]) -> str:
    return _canonical_lengths(V2_FIELDS, fields)


def canonical_text_v3(fields: dict[str, Any]) -> str:
    return _canonical_lengths(V3_FIELDS, fields)


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the canonical text of an event's fields (the hash itself excluded), in
    the version the event names."""
    version = fields.get("hashVersion")
    text = (
        canonical_text_v3(fields)
        if version == 3
        else canonical_text_v2(fields)
        if version == 2
        else canonical_text(fields)
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cypher_canonical(var: LiteralString, names: Sequence[LiteralString]) -> LiteralString:
    parts: list[LiteralString] = []
    for name in names:
        value: LiteralString = var + "." + name
        rendered: LiteralString = (
            "(CASE WHEN " + value + " IS NULL OR size(" + value + ") = 0 THEN '' "
            "ELSE reduce(t = head(" + value + "), x IN tail(" + value + ") | t + ',' + x) END)"
            if name in _LIST_FIELDS
            else "coalesce(toString(" + value + "), '')"
        )
        parts.append("'" + name + "=' + toString(size(" + rendered + ")) + ':' + " + rendered)
    return "hub.sha256(" + " + '\\u001f' + ".join(parts) + ")"


# The same hash in Cypher (version 3), over a map `e` holding the event's fields
# (hub.sha256 is registered by the Neo4j launcher:
# deploy/neo4j/src/main/java/hub/neo4j/HubFunctions.java).
AUDIT_HASH: LiteralString = _cypher_canonical("e", V3_FIELDS)


# Leases this thread's chain (its own, so never contended) and reads its head.
_LOCK_HEAD: LiteralString = """
MERGE (c:AuditChain {key: $chain})
ON CREATE SET c.seq = 0, c.head = $genesis
SET c.lockedAt = datetime()
WITH c
OPTIONAL MATCH (o:Organisation {id: $organisation})
RETURN c.seq AS seq, c.head AS head, o.areaCode AS area_code
"""

_APPEND: LiteralString = """
MATCH (c:AuditChain {key: $chain})
CREATE (e:AuditEvent)
SET e = $fields
SET c.seq = $fields.seq, c.head = $fields.hash
WITH e
UNWIND $subjects AS subject
CREATE (e)-[:MENTIONS]->(:AuditMention {subject: subject, at: e.at})
"""


def append(tx: session.Tx, record: AuditRecord) -> dict[str, Any]:
    """Add one event to this writer's chain inside `tx`; returns the stored fields."""
    chain = writer_chain()
    head = tx.single(
        _LOCK_HEAD, chain=chain, genesis=GENESIS, organisation=record.actor_organisation
    )
    assert head is not None
    seq = int(head["seq"]) + 1
    fields: dict[str, Any] = {
        **_record_fields(record),
        "chain": chain,
        "id": str(uuid.uuid4()),
        "seq": seq,
        "chainSeq": f"{chain}#{seq}",
        "prevHash": head["head"],
        "areaCode": head["area_code"],
        "at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "hashVersion": HASH_VERSION,
    }
    fields["hash"] = event_hash(fields)
    tx.run(_APPEND, chain=chain, fields=fields, subjects=list(record.subjects or ())).consume()
    return fields


def _record_fields(record: AuditRecord) -> dict[str, Any]:
    """The record's fields by their stored names; lists as lists (the driver's type)."""
    return {_camel(k): list(v) if isinstance(v, tuple) else v for k, v in asdict(record).items()}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def record_and_return(record: AuditRecord) -> dict[str, Any]:
    """An audit event on its own (for actions with no graph write of their own)."""
    return session.write(lambda tx: append(tx, record))


def expected_mentions(event: dict[str, Any]) -> list[str]:
    """The subjects an event must have an (:AuditMention) for: those it names (version
    3), or, for an event written on a subject's own chain before, that subject (the
    migration gave those theirs)."""
    if event.get("hashVersion") == 3:
        return sorted(event.get("subjects") or [])
    chain = str(event.get("chain") or "")
    return [chain.removeprefix("subject:")] if chain.startswith("subject:") else []


# --- verification ---------------------------------------------------------------------------

_CHAINS: LiteralString = (
    "MATCH (c:AuditChain) RETURN c.key AS key, c.seq AS seq, c.head AS head ORDER BY key"
)
# Every chain: those with a head, and those whose events remain when their head is gone
# (through the (chain, seq) index).
_CHAIN_KEYS: LiteralString = """
CALL () {
  MATCH (c:AuditChain) RETURN c.key AS key
  UNION
  MATCH (e:AuditEvent) WHERE e.chain IS NOT NULL AND e.seq IS NOT NULL RETURN e.chain AS key
}
RETURN key ORDER BY key
"""
_HEAD: LiteralString = (
    "OPTIONAL MATCH (c:AuditChain {key: $chain}) RETURN c IS NOT NULL AS has_head,"
    " coalesce(c.seq, 0) AS seq, coalesce(c.head, $genesis) AS head"
)
# Events outside any chain's order: no verifier would read them, so they are reported
# (and the explorer and the disclosure record leave them out).
_STRAY: LiteralString = """
MATCH (e:AuditEvent)
WHERE ($area_codes IS NULL OR e.areaCode IN $area_codes)
  AND (e.seq IS NULL OR e.chain IS NULL OR e.chainSeq IS NULL OR e.hash IS NULL)
RETURN e.id AS id, e.chain AS chain ORDER BY id LIMIT 100
"""


def stray_events(area_codes: Sequence[str] | None = None) -> list[BrokenLink]:
    rows = session.read(
        lambda tx: tx.rows(_STRAY, area_codes=None if area_codes is None else list(area_codes)),
        leader=True,
    )
    return [
        BrokenLink(
            "(no chain)",
            0,
            row["id"],
            "an event outside any chain's order (no seq, chain or hash): added by hand",
            "STRAY",
        )
        for row in rows
    ]


# `seq IS NOT NULL` lets the planner use the (chain, seq) index instead of a label scan.
_CHAIN_EVENTS: LiteralString = """
MATCH (e:AuditEvent {chain: $chain})
WHERE e.seq IS NOT NULL
RETURN properties(e) AS event, [(e)-[:MENTIONS]->(m:AuditMention) | m.subject] AS mentions
ORDER BY e.seq
"""


_HEAD_NOW: LiteralString = "MATCH (c:AuditChain {key: $chain}) RETURN c.seq AS seq"


@dataclass(frozen=True)
class BrokenLink:
    chain: str
    seq: int
    event_id: str | None
    reason: str
    # MISSING (a sequence gap), RELINKED (prevHash differs), FIELDS_ADDED, EDITED (the
    # hash differs), HEAD (the head disagrees: deleted or truncated), INSERTED (events
    # past the head that no writer committed), MENTIONS (a
    # subject's index entries disagree with the event), STRAY (an event with no place in
    # any chain), CHECKPOINT (a signed checkpoint
    # disagrees: truncated or rewritten): for people's words.
    code: str = "EDITED"

    def __str__(self) -> str:
        return f"chain {self.chain} breaks at seq {self.seq} (event {self.event_id}): {self.reason}"


# What each stored field may hold. The canonical text renders `true` and 'true' alike, and
# a list as its elements joined by commas, so the verifier holds the types and refuses a
# comma inside an element: otherwise ['a,b', 'c'] would hash as ['a', 'b', 'c'].
_INTEGER_FIELDS = frozenset({"seq", "hashVersion", "actorUserId"})
_BOOLEAN_FIELDS = frozenset({"statutory"})


def shape_problem(event: dict[str, Any]) -> str | None:
    """Pure: what is wrong with the types and lists of an event's fields, or None."""
    for name, value in event.items():
        if name in _LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                return f"{name} is not a list of texts"
            if any("," in x for x in value):
                return f"an element of {name} holds a comma"
        elif name in _BOOLEAN_FIELDS:
            if not isinstance(value, bool):
                return f"{name} is not true or false"
        elif name in _INTEGER_FIELDS:
            if not isinstance(value, int) or isinstance(value, bool):
                return f"{name} is not a whole number"
        elif not isinstance(value, str):
            return f"{name} is not a text"
    subjects = event.get("subjects")
    if subjects is not None and (not subjects or "" in subjects):
        return "subjects names no subject"
    for aligned in ("subjectBases", "subjectConsents"):
        if event.get(aligned) is not None and len(event[aligned]) != len(subjects or []):
            return f"{aligned} does not line up with subjects"
    return None


def _event_problem(
    event: dict[str, Any], chain: str, seq: int, previous: str, mentioned: Sequence[str] | None
) -> tuple[str, str] | None:
    """(code, reason) for the first thing wrong with one event at position `seq` of `chain`
    after an event hashed `previous`, or None."""
    if event.get("seq") != seq:
        return "MISSING", f"sequence jumps to {event.get('seq')} (an event is missing)"
    if event.get("chain") != chain or event.get("chainSeq") != f"{chain}#{seq}":
        return "EDITED", "the event's chain or place was changed"
    shape = shape_problem(event)
    if shape is not None:
        return "EDITED", f"{shape} (edited after it was written)"
    if event.get("prevHash") != previous:
        return "RELINKED", "prevHash does not match the previous event's hash"
    unknown = set(event) - stored_fields(event) - {"hash"}
    if unknown:
        return "FIELDS_ADDED", f"fields outside the hash were added: {', '.join(sorted(unknown))}"
    if event_hash(event) != event.get("hash"):
        return "EDITED", "content does not match its hash (edited after it was written)"
    if mentioned is not None and sorted(mentioned) != expected_mentions(event):
        return "MENTIONS", (
            "the subjects' index disagrees with the subjects the event names "
            "(an entry was deleted or added)"
        )
    return None


def verify_chain(
    chain: str,
    head_seq: int,
    head_hash: str,
    events: Sequence[dict[str, Any]],
    mentions: Sequence[Sequence[str]] | None = None,
    head_seq_after: int | None = None,
) -> BrokenLink | None:
    """The first broken link of one chain, or None. Pure: unit-testable without a graph.
    `mentions`, when given, holds each event's (:AuditMention) subjects, in event order;
    `head_seq_after`, the head's seq read again after the events."""
    previous = GENESIS
    for seq, event in enumerate(events, start=1):
        problem = _event_problem(
            event, chain, seq, previous, None if mentions is None else mentions[seq - 1]
        )
        if problem is not None:
            code, reason = problem
            return BrokenLink(chain, seq, event.get("id"), reason, code)
        previous = event["hash"]
    # A writer moves the head in the transaction that adds its event, so an event past a
    # head read AFTER the events was put there by someone other than a writer.
    if head_seq_after is not None and len(events) > head_seq_after:
        return BrokenLink(
            chain,
            head_seq_after + 1,
            events[head_seq_after].get("id"),
            f"events past the head (seq {head_seq_after}) that no writer committed (inserted)",
            "INSERTED",
        )
    # The head is read before the events, so events past it (linked and hashed like the
    # rest) were appended by a writer meanwhile, not forged: what the head vouches for is
    # its first `head_seq` events, ending in the hash it names.
    vouched = events[head_seq - 1]["hash"] if 0 < head_seq <= len(events) else GENESIS
    if len(events) < head_seq or vouched != head_hash:
        return BrokenLink(
            chain,
            min(len(events), head_seq) + 1 if len(events) < head_seq else head_seq,
            None,
            f"chain head says seq {head_seq} but {len(events)} events follow it "
            "(events were deleted or the head was altered)",
            "HEAD",
        )
    return None


# Neo4j isolates reads at read committed, with no snapshot: a reader can see part of a
# transaction that is being applied (a head moved before its event is in the index, an
# event before its head moved or its mentions exist; neo4j/neo4j#12082 and #12250). Each
# such sight lasts while one commit is applied; tampering stays. So a break is read again
# after each pause, and reported only if every reading shows one.
RECHECK_PAUSES: tuple[float, ...] = (0.05, 0.15, 0.4)


def settle(
    broken: list[BrokenLink], reread: Callable[[list[BrokenLink]], list[BrokenLink]]
) -> list[BrokenLink]:
    """The breaks still there after every pause. `reread` reads again only the chains
    (and stray events) given and returns their breaks now, so a chain stays reported
    only while each reading finds it broken. An intact log costs no pause."""
    for seconds in RECHECK_PAUSES:
        if not broken:
            break
        pause(seconds)
        broken = reread(broken)
    return broken


def pause(seconds: float) -> None:
    """Between two readings of a break (a name of its own, so a test can act in it)."""
    time.sleep(seconds)


def verify_all() -> Iterator[tuple[str, int, BrokenLink | None]]:
    """(chain, events checked, first broken link or None) for every chain, then each
    stray event as ("(no chain)", 0, its link)."""
    keys = [row["key"] for row in session.read(lambda tx: tx.rows(_CHAIN_KEYS), leader=True)]
    for key in keys:
        count, link = _verify_one(key)
        if link is not None:
            settled = settle([link], _chain_again)
            link = settled[0] if settled else None
        yield key, count, link
    strays = settle(stray_events(), _strays_again)
    for link in strays:
        yield link.chain, 0, link


def _chain_again(links: list[BrokenLink]) -> list[BrokenLink]:
    """One chain's break, read again (in its three transactions, as the first time)."""
    link = _verify_one(links[0].chain)[1]
    return [] if link is None else [link]


def _strays_again(links: list[BrokenLink]) -> list[BrokenLink]:
    ids = {link.event_id for link in links}
    return [link for link in stray_events() if link.event_id in ids]


def _verify_one(key: str) -> tuple[int, BrokenLink | None]:
    """One chain, each read in its own transaction (a whole log would outlast one): the
    head, then its events, then the head again."""
    # On the leader: three followers at three positions would disagree with each other.
    head = session.read(lambda tx: tx.single(_HEAD, chain=key, genesis=GENESIS), leader=True)
    rows = session.read(lambda tx: tx.rows(_CHAIN_EVENTS, chain=key), leader=True)
    after = session.read(lambda tx: tx.single(_HEAD_NOW, chain=key), leader=True)
    assert head is not None
    if not head["has_head"]:
        return len(rows), BrokenLink(key, 1, None, "the chain head is missing (deleted)", "HEAD")
    link = verify_chain(
        key,
        head["seq"],
        head["head"],
        [row["event"] for row in rows],
        [row["mentions"] for row in rows],
        None if after is None else after["seq"],
    )
    return len(rows), link


# --- checkpoints (signed in referral_hub/core/checkpoints.py) --------------------------------


def chain_heads() -> list[tuple[str, int, str]]:
    """Every chain's (key, seq, head) as committed now: what a checkpoint signs. A read
    takes no lock, so writers never wait for a checkpoint."""
    # On the leader: a follower's older heads signed after newer ones would move back.
    rows = session.read(lambda tx: tx.rows(_CHAINS), leader=True)
    return [(row["key"], int(row["seq"]), row["head"]) for row in rows]


# For each head a checkpoint vouched for: the event now at that place, and the chain's
# head now (found by the unique chainSeq, one lookup each).
_CHECKPOINTED: LiteralString = """
UNWIND $heads AS h
OPTIONAL MATCH (e:AuditEvent {chain: h.key, seq: h.seq})
WITH h, collect(e) AS there
OPTIONAL MATCH (c:AuditChain {key: h.key})
RETURN h.key AS key, h.seq AS seq, h.head AS head, [e IN there | e.id] AS event_ids,
       [e IN there | e.hash] AS found, c.seq AS now
"""


def checkpoint_breaks(heads: Sequence[tuple[str, int, str]]) -> list[BrokenLink]:
    """The heads a checkpoint signed that the log no longer holds: a chain truncated
    below them (and its head moved back), deleted, or rewritten (the event there now has
    another hash), however consistently the rewrite re-linked and re-hashed the chain."""

    def breaks(of: Sequence[tuple[str, int, str]]) -> list[BrokenLink]:
        rows = session.read(
            lambda tx: tx.rows(
                _CHECKPOINTED, heads=[{"key": k, "seq": q, "head": h} for k, q, h in of]
            ),
            leader=True,  # a follower behind the checkpoint would look like a truncation
        )
        return [link for row in rows if (link := checkpoint_break(row))]

    def again(links: list[BrokenLink]) -> list[BrokenLink]:
        broken = {link.chain for link in links}
        return breaks([head for head in heads if head[0] in broken])

    return settle(breaks(heads), again)


def checkpoint_break(row: dict[str, Any]) -> BrokenLink | None:
    """Pure: one checkpointed head against what the log holds there now."""
    key, seq = row["key"], row["seq"]
    if row["now"] is None:
        return BrokenLink(
            key, seq, None, "a signed checkpoint names this chain but it is gone", "CHECKPOINT"
        )
    if row["now"] < seq:
        return BrokenLink(
            key,
            seq,
            None,
            f"a signed checkpoint vouches for seq {seq} but the chain now ends at "
            f"{row['now']} (truncated)",
            "CHECKPOINT",
        )
    if not row["found"]:
        return BrokenLink(
            key, seq, None, "the event a signed checkpoint vouches for is gone", "CHECKPOINT"
        )
    if row["found"] != [row["head"]]:  # another hash, or more than one event in its place
        return BrokenLink(
            key,
            seq,
            row["event_ids"][0],
            "the event a signed checkpoint vouches for has another hash now (rewritten)",
            "CHECKPOINT",
        )
    return None


_AREA_CHAINS: LiteralString = """
CALL () {
  MATCH (e:AuditEvent)
  WHERE $area_codes IS NULL OR e.areaCode IN $area_codes
  RETURN DISTINCT e.chain AS key
  UNION
  MATCH (o:Organisation)
  WHERE $area_codes IS NULL OR o.areaCode IN $area_codes
  RETURN 'org:' + o.id AS key
  UNION
  MATCH (s:Subject)-[:REGISTERED_BY]->(o:Organisation)
  WHERE $area_codes IS NULL OR o.areaCode IN $area_codes
  RETURN 'subject:' + s.id AS key
  UNION
  // A writer chain with no event left belongs to no area: every auditor checks it.
  MATCH (c:AuditChain) WHERE c.key STARTS WITH 'writer:'
    AND NOT EXISTS { MATCH (e:AuditEvent {chain: c.key}) WHERE e.seq IS NOT NULL }
  RETURN c.key AS key
}
"""
# The chains named by `key`, verified whole: after the area's chains, or again by their keys.
_VERIFY_KEYED: LiteralString = """
OPTIONAL MATCH (c:AuditChain {key: key})
// Every head is read before any event (collect is eager; a property read in a plain WITH
// may be planned after the events' read). A writer that commits meanwhile then only adds
// events past a head, which verify_chain tells apart from a deletion.
WITH collect({key: key, has_head: c IS NOT NULL, seq: coalesce(c.seq, 0),
              head: coalesce(c.head, $genesis)}) AS heads
UNWIND heads AS h
CALL (h) {
  OPTIONAL MATCH (e:AuditEvent {chain: h.key})
  WHERE e.seq IS NOT NULL
  WITH e ORDER BY e.seq
  RETURN collect(properties(e)) AS events,
         collect([(e)-[:MENTIONS]->(m:AuditMention) | m.subject]) AS mentions
}
WITH h, events, mentions WHERE h.has_head OR size(events) > 0
// The head once more, after its events (see verify_chain: an event no writer committed).
CALL (h) {
  OPTIONAL MATCH (now:AuditChain {key: h.key})
  RETURN now.seq AS seq_after
}
RETURN h.key AS key, h.has_head AS has_head, h.seq AS seq, h.head AS head, events, mentions,
       seq_after
ORDER BY key
"""
_AREA_VERIFY: LiteralString = _AREA_CHAINS + _VERIFY_KEYED
_KEYS_VERIFY: LiteralString = "UNWIND $keys AS key\n" + _VERIFY_KEYED


@dataclass(frozen=True)
class AreaVerification:
    chains: int
    events: int
    broken: list[BrokenLink]
    keys: frozenset[str] = frozenset()  # the chains checked


def _verify_row(row: dict[str, Any]) -> BrokenLink | None:
    if not row["has_head"]:  # events whose chain head is gone: nothing vouches for them
        return BrokenLink(row["key"], 1, None, "the chain head is missing (deleted)", "HEAD")
    return verify_chain(
        row["key"], row["seq"], row["head"], row["events"], row["mentions"], row["seq_after"]
    )


def _area_strays(tx: session.Tx, codes: list[str] | None) -> list[BrokenLink]:
    return [
        BrokenLink("(no chain)", 0, row["id"], "an event outside any chain's order", "STRAY")
        for row in tx.rows(_STRAY, area_codes=codes)
    ]


def verify_area(*, area_codes: Sequence[str] | None, reader: AuditRecord) -> AreaVerification:
    """Every chain an area's auditor answers for — chains with an event written in the
    area, and those of its organisations and of the subjects they registered (so a chain
    whose events were all deleted is still checked against its head) — verified whole.
    The check itself is audited in the same transaction, after the chains were read."""

    def work(tx: session.Tx) -> AreaVerification:
        codes = None if area_codes is None else list(area_codes)
        rows = tx.rows(_AREA_VERIFY, area_codes=codes, genesis=GENESIS)
        broken = [link for row in rows if (link := _verify_row(row))]
        broken += _area_strays(tx, codes)

        def again(links: list[BrokenLink]) -> list[BrokenLink]:
            keys = sorted({link.chain for link in links if link.code != "STRAY"})
            now = [
                link
                for row in tx.rows(_KEYS_VERIFY, keys=keys, genesis=GENESIS)
                if (link := _verify_row(row))
            ]
            ids = {link.event_id for link in links if link.code == "STRAY"}
            return now + [link for link in _area_strays(tx, codes) if link.event_id in ids]

        broken = settle(broken, again)
        append(tx, reader)
        return AreaVerification(
            chains=len(rows),
            events=sum(len(row["events"]) for row in rows),
            broken=broken,
            keys=frozenset(row["key"] for row in rows),
        )

    return session.write(work)


# --- reading --------------------------------------------------------------------------------

# The explorer's filter over events `n` (only those in a chain's order, as verified).
_FILTER: LiteralString = """
WHERE ($area_codes IS NULL OR n.areaCode IN $area_codes)
  AND n.seq IS NOT NULL AND n.chain IS NOT NULL
  AND ($action IS NULL OR n.action = $action)
  AND ($target_type IS NULL OR n.targetType = $target_type)
  AND ($organisation IS NULL OR n.actorOrganisation = $organisation)
  AND ($actor_user IS NULL OR n.actorUser = $actor_user)
  AND ($legal_basis IS NULL OR n.legalBasis = $legal_basis
       OR $legal_basis IN coalesce(n.subjectBases, []))
  AND ($statutory_only IS NULL OR NOT $statutory_only OR n.statutory = true)
  AND ($since IS NULL OR n.at >= $since)
  AND ($until IS NULL OR n.at < $until)
WITH n, n.at AS sortKey
"""
_LIST: LiteralString = (
    "MATCH (n:AuditEvent)" + _FILTER + PAGE_DESC + "RETURN properties(n) AS event, sortKey\n"
)
# With a target: the events acting on it and those naming it as a subject, both found
# through an index (targetId; the mentions), not by reading the whole log.
_LIST_FOR_TARGET: LiteralString = (
    """
CALL () {
  MATCH (:AuditMention {subject: $target_id})<-[:MENTIONS]-(n:AuditEvent) RETURN n
  UNION
  MATCH (n:AuditEvent {targetId: $target_id}) RETURN n
}
WITH n"""
    + _FILTER
    + PAGE_DESC
    + "RETURN properties(n) AS event, sortKey\n"
)


def audit_list(
    *,
    page: PageRequest,
    reader: AuditRecord,
    area_codes: Sequence[str] | None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    organisation: str | None = None,
    actor_user: str | None = None,
    legal_basis: str | None = None,
    statutory_only: bool | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Page:
    """A page of events, newest first; the read itself is audited in the same transaction."""

    def work(tx: session.Tx) -> list[dict[str, Any]]:
        rows = tx.rows(
            _LIST if target_id is None else _LIST_FOR_TARGET,
            area_codes=None if area_codes is None else list(area_codes),
            action=action,
            target_type=target_type,
            target_id=target_id,
            organisation=organisation,
            actor_user=actor_user,
            legal_basis=legal_basis,
            statutory_only=statutory_only,
            since=since,
            until=until,
            **page.params(),
        )
        append(tx, reader)
        return rows

    return page_from(session.write(work), page, key="event")


_ALL: LiteralString = """
MATCH (e:AuditEvent)
WHERE $area_codes IS NULL OR e.areaCode IN $area_codes
RETURN properties(e) AS event
ORDER BY e.at, e.chain, e.seq
"""


def audit_export(*, area_codes: Sequence[str] | None, reader: AuditRecord) -> list[dict[str, Any]]:
    def work(tx: session.Tx) -> list[dict[str, Any]]:
        rows = [
            row["event"]
            for row in tx.rows(_ALL, area_codes=None if area_codes is None else list(area_codes))
        ]
        append(tx, reader)
        return rows

    return session.write(work)


# The end of both Cypher writers below: with the chain head `c` locked and the event's
# fields in `e`, hash them (the verifier's canonical text), store the event and move the
# head — the one place a statement writes an event.
_STORE_EVENT: LiteralString = (
    """
  WITH c, e, """
    + AUDIT_HASH
    + """ AS hash
  CREATE (event:AuditEvent)
  SET event = e, event.hash = hash
  SET c.seq = e.seq, c.head = hash"""
)


# --- auditing many subjects in one statement -------------------------------------------------

# A fragment for statements that read many subjects at once (inbox pages, the review
# queue, the daily maintenance): ONE event on this writer's chain names every subject
# read, in the same statement as the read, and links a mention per subject. Needs in
# scope `reads`, a list of {subject, basis, consent} (one per subject read: `consent` the
# consent id a 'CONSENT' basis rests on; a null basis for maintenance), and `auditArea`
# (the reader's area code); takes $audit (see `audit_params`) and $genesis. Nothing is
# written when `reads` is empty. The event's legalBasis is the one basis all reads share,
# MIXED when they differ (each subject's is in subjectBases); statutory when any is.
APPEND_PAGE_READ: LiteralString = (
    """
CALL (reads, auditArea) {
  UNWIND reads AS read
  WITH read.subject AS subject, min(read.basis) AS basis, min(read.consent) AS consent,
       auditArea
  ORDER BY subject
  WITH collect(subject) AS subjects, collect(coalesce(basis, '')) AS bases,
       collect(coalesce(consent, '')) AS consents, auditArea
  MERGE (c:AuditChain {key: $audit.chain})
  ON CREATE SET c.seq = 0, c.head = $genesis
  SET c.lockedAt = datetime()
  WITH c, subjects, bases, consents, auditArea, c.seq + 1 AS seq,
       [b IN bases WHERE b <> ''] AS given
  WITH c, subjects, {
    chain: c.key, action: $audit.action, targetType: 'Subject', targetId: null,
    actorUser: $audit.actorUser, actorUserId: $audit.actorUserId,
    actorOrganisation: $audit.actorOrganisation, actorRole: $audit.actorRole,
    purpose: $audit.purpose,
    legalBasis: CASE WHEN size(given) = 0 THEN null
                     WHEN all(b IN bases WHERE b = head(given)) THEN head(given)
                     ELSE 'MIXED' END,
    statutory: any(b IN given WHERE b STARTS WITH 'STATUTORY_'),
    requestId: $audit.requestId, clientAddress: $audit.clientAddress, outcome: 'OK',
    categories: CASE WHEN size(given) > 0 THEN $audit.categories END,
    fields: CASE WHEN size(given) > 0 THEN $audit.fields END,
    subjects: subjects, subjectBases: bases, subjectConsents: consents,
    id: randomUUID(), seq: seq, chainSeq: c.key + '#' + toString(seq), prevHash: c.head,
    areaCode: auditArea, at: $audit.at, hashVersion: 3
  } AS e
"""
    + _STORE_EVENT
    + """
  WITH event, e.subjects AS subjects
  UNWIND subjects AS subject
  CREATE (event)-[:MENTIONS]->(:AuditMention {subject: subject, at: event.at})
  RETURN count(*) AS audited
}
"""
)


def audit_params(record: AuditRecord) -> dict[str, Any]:
    """$audit and $genesis for APPEND_PAGE_READ and APPEND_ONE: the record's actor and
    action fields, and this writer's chain (the statement must run on this thread)."""
    return {
        "genesis": GENESIS,
        "audit": {
            **_record_fields(record),
            "chain": writer_chain(),
            "at": datetime.now(UTC).isoformat(timespec="microseconds"),
        },
    }


# --- one event, inside a statement that reads -----------------------------------------------

# For a read that must be one round trip with its audit (the disclosure record): appends
# the event `$audit` describes (see `audit_params`) to this writer's chain in the same
# statement, with a mention per subject it names. Needs in scope `auditArea` (the
# reader's area code) and `auditOutcome` ('OK' or 'DENIED'); takes $audit and $genesis.
# Returns `auditEventId`.
APPEND_ONE: LiteralString = (
    """
CALL (auditArea, auditOutcome) {
  MERGE (c:AuditChain {key: $audit.chain})
  ON CREATE SET c.seq = 0, c.head = $genesis
  SET c.lockedAt = datetime()
  WITH c, c.seq + 1 AS seq
  WITH c, {
    chain: c.key, action: $audit.action, targetType: $audit.targetType,
    targetId: $audit.targetId, actorUser: $audit.actorUser, actorUserId: $audit.actorUserId,
    actorOrganisation: $audit.actorOrganisation, actorRole: $audit.actorRole,
    purpose: $audit.purpose, legalBasis: $audit.legalBasis, statutory: $audit.statutory,
    requestId: $audit.requestId, clientAddress: $audit.clientAddress, outcome: auditOutcome,
    consentId: $audit.consentId, categories: $audit.categories, fields: $audit.fields,
    subjects: $audit.subjects,
    id: randomUUID(), seq: seq, chainSeq: c.key + '#' + toString(seq), prevHash: c.head,
    areaCode: auditArea, at: $audit.at, hashVersion: 3
  } AS e
"""
    + _STORE_EVENT
    + """
  WITH event
  CALL (event) {
    UNWIND coalesce($audit.subjects, []) AS subject
    CREATE (event)-[:MENTIONS]->(:AuditMention {subject: subject, at: event.at})
  }
  RETURN event.id AS auditEventId
}
"""
)
