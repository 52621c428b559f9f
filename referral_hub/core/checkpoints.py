"""Signed checkpoints of the audit log, in the manner of Certificate Transparency (RFC 9162).

Hash chains show an edited, inserted, reordered or deleted event, but one who can write
the graph can also cut a chain's tail and move its head back, or rewrite a whole chain
and re-hash it: the chain alone still verifies. So a periodic task (Celery beat,
`hub.maintenance.audit_checkpoint`) signs a Merkle root over every chain's (key, seq, head) with an
Ed25519 key the graph never sees, and keeps it in Django's database. Verification then
asks of each checkpoint: is it signed by a trusted key, does its root match its heads,
does it follow the one before, and does the log still hold every head it vouched for?
Events written after the last checkpoint are protected by their chain alone until the
next one, so the interval bounds that window (HUB_AUDIT_CHECKPOINT_MINUTES).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import IntegrityError, transaction

from graph import audit_log
from graph.audit_log import BrokenLink
from referral_hub.core.merkle import heads_root
from referral_hub.core.models import AuditCheckpoint

_FORMAT = "tsunagari-audit-checkpoint/1"


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key() -> Ed25519PrivateKey:
    """The key that signs checkpoints: 32 bytes (base64url) in HUB_AUDIT_SIGNING_KEY."""
    return Ed25519PrivateKey.from_private_bytes(_b64(settings.HUB_AUDIT_SIGNING_KEY))


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_text(private: str | None = None) -> str:
    """The public half (base64url) of a signing key, by default the hub's: what an operator
    adds to HUB_AUDIT_TRUSTED_KEYS when the signing key is rotated."""
    key = Ed25519PrivateKey.from_private_bytes(_b64(private or settings.HUB_AUDIT_SIGNING_KEY))
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """The signing key's public half and any earlier ones (HUB_AUDIT_TRUSTED_KEYS, base64url
    raw public keys), so checkpoints signed before a key rotation still verify."""
    keys = [signing_key().public_key()] + [
        Ed25519PublicKey.from_public_bytes(_b64(text)) for text in settings.HUB_AUDIT_TRUSTED_KEYS
    ]
    return {key_id(key): key for key in keys}


def signed_text(
    *, created_at: str, chains: int, events: int, root: str, previous_root: str
) -> bytes:
    """What the signature covers: the root (which covers every head) and its place."""
    return "\n".join([_FORMAT, created_at, str(chains), str(events), root, previous_root]).encode()


def _text_of(checkpoint: AuditCheckpoint) -> bytes:
    return signed_text(
        created_at=checkpoint.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        chains=checkpoint.chains,
        events=checkpoint.events,
        root=checkpoint.root,
        previous_root=checkpoint.previous_root,
    )


def write_checkpoint() -> AuditCheckpoint | None:
    """Sign the chain heads as they are now; None when nothing changed since the last one
    (an idle hub adds no rows). Two concurrent writers cannot both extend one checkpoint
    (previous_root is unique): the second finds the first's and tries once more."""
    for _attempt in range(2):
        # The last checkpoint before the heads: a writer overtaken between the two reads
        # then fails on the unique previous root instead of saving older heads after newer.
        last = AuditCheckpoint.objects.order_by("-id").first()
        heads = audit_log.chain_heads()
        root = heads_root(heads)
        if last is not None and last.root == root:
            return None
        key = signing_key()
        checkpoint = AuditCheckpoint(
            created_at=datetime.now(UTC),
            chains=len(heads),
            events=sum(seq for _key, seq, _head in heads),
            root=root,
            previous_root=last.root if last else "",
            heads=[list(head) for head in sorted(heads)],
            key_id=key_id(key.public_key()),
        )
        checkpoint.signature = key.sign(_text_of(checkpoint)).hex()
        try:
            with transaction.atomic():
                checkpoint.save()
        except IntegrityError:
            continue
        return checkpoint
    return None


@dataclass(frozen=True)
class CheckpointVerification:
    checkpoints: int
    broken: list[BrokenLink]
    # The newest checkpoint's id, time and root: what an auditor writes down or publishes
    # (nothing in either store can show that the newest one was deleted).
    newest: tuple[int, str, str] | None = None


def _broken(checkpoint: AuditCheckpoint, reason: str) -> BrokenLink:
    return BrokenLink(f"checkpoint:{checkpoint.pk}", checkpoint.pk, None, reason, "CHECKPOINT")


def heads_of(checkpoint: AuditCheckpoint) -> list[tuple[str, int, str]] | None:
    """The checkpoint's heads, or None when its stored JSON is not [[text, int, text], …]
    (an edit: `int()` would let "5" and 5 give one root)."""
    heads = checkpoint.heads
    if not isinstance(heads, list):
        return None
    shaped = [
        (head[0], head[1], head[2])
        for head in heads
        if isinstance(head, list)
        and len(head) == 3
        and isinstance(head[0], str)
        and isinstance(head[1], int)
        and not isinstance(head[1], bool)
        and isinstance(head[2], str)
    ]
    return shaped if len(shaped) == len(heads) else None


def checkpoint_problems(
    checkpoints: Sequence[AuditCheckpoint],
    keys: dict[str, Ed25519PublicKey],
    include: Callable[[str], bool] = lambda _key: True,
) -> list[BrokenLink]:
    """Pure (no store): each checkpoint signed by a trusted key, its heads well formed and
    giving its root, its previous root the one before it, and no chain it names (of those
    `include` lets the caller see) shorter than the one before."""
    broken: list[BrokenLink] = []
    previous: list[tuple[str, int, str]] = []
    previous_root = ""
    for checkpoint in checkpoints:
        key = keys.get(checkpoint.key_id)
        try:
            if key is None:
                raise InvalidSignature
            key.verify(bytes.fromhex(checkpoint.signature), _text_of(checkpoint))
        except (InvalidSignature, ValueError):
            broken.append(_broken(checkpoint, "its signature does not verify with a trusted key"))
        heads = heads_of(checkpoint)
        if heads is None or heads_root(heads) != checkpoint.root or len(heads) != checkpoint.chains:
            broken.append(_broken(checkpoint, "its heads do not give the root it signed"))
            heads = []
        if checkpoint.previous_root != previous_root:
            broken.append(
                _broken(checkpoint, "it does not follow the checkpoint before it (one is gone)")
            )
        now = {k: q for k, q, _h in heads}
        shorter = [k for k, q, _h in previous if include(k) and now.get(k, -1) < q]
        if heads and shorter:  # the chain's key is left out: it may name another area's subject
            broken.append(
                _broken(
                    checkpoint, f"{len(shorter)} chain(s) shorter than in the checkpoint before"
                )
            )
        previous, previous_root = heads or previous, checkpoint.root
    return broken


def vouched_heads(
    checkpoints: Sequence[AuditCheckpoint], include: Callable[[str], bool]
) -> tuple[dict[tuple[str, int], str], list[AuditCheckpoint]]:
    """Every (chain, seq) any checkpoint vouched for (of the chains `include` lets through),
    with the first head named for it — a chain rewritten between two checkpoints keeps
    verifying against the later one alone, so the log is held to every one — and the
    checkpoints that name one of those places otherwise, in order, each once."""
    vouched: dict[tuple[str, int], str] = {}
    differing: list[AuditCheckpoint] = []
    for checkpoint in checkpoints:
        differs = False
        for k, q, h in heads_of(checkpoint) or []:
            if include(k) and vouched.setdefault((k, q), h) != h:
                differs = True
        if differs:
            differing.append(checkpoint)
    return vouched, differing


def verify_checkpoints(
    *, include: Callable[[str], bool] = lambda _key: True
) -> CheckpointVerification:
    """Every checkpoint, and the log against every head they vouched for. `include` limits
    the log check to some chains (an area's auditor's: see audit_reads)."""
    checkpoints = list(AuditCheckpoint.objects.order_by("id"))
    broken = checkpoint_problems(checkpoints, trusted_keys(), include)
    vouched, differing = vouched_heads(checkpoints, include)
    broken += [
        _broken(checkpoint, "another checkpoint names a chain's head otherwise")
        for checkpoint in differing
    ]
    heads = [(k, q, h) for (k, q), h in sorted(vouched.items())]
    broken += audit_log.checkpoint_breaks(heads)
    last = checkpoints[-1] if checkpoints else None
    newest = (
        None
        if last is None
        else (last.pk, last.created_at.astimezone(UTC).isoformat(timespec="seconds"), last.root)
    )
    return CheckpointVerification(checkpoints=len(checkpoints), broken=broken, newest=newest)
