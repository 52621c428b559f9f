"""The Merkle Tree Hash of RFC 9162 (Certificate Transparency 2.0, section 2.1.1), over the
audit log's chain heads.

A checkpoint signs one root over every chain's (key, seq, head), so the signature covers
each head without signing each; the leaf and node prefixes (0x00, 0x01) keep a leaf from
ever being read as an inner node (the second-preimage attack the RFC guards against).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def leaf_text(key: str, seq: int, head: str) -> bytes:
    # Chain keys, sequence numbers and hex hashes never hold the unit separator.
    return f"{key}\x1f{seq}\x1f{head}".encode()


def _leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _mth(leaves: Sequence[bytes]) -> bytes:
    if len(leaves) == 1:
        return _leaf(leaves[0])
    # k: the largest power of two smaller than n (RFC 9162, 2.1.1).
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return _node(_mth(leaves[:k]), _mth(leaves[k:]))


def merkle_root(leaves: Sequence[bytes]) -> str:
    """MTH(D[n]) as hex; the hash of the empty string for no leaves."""
    return _mth(leaves).hex() if leaves else EMPTY_ROOT


def heads_root(heads: Sequence[tuple[str, int, str]]) -> str:
    """The root over chain heads, in key order (so the same heads give the same root)."""
    return merkle_root([leaf_text(*head) for head in sorted(heads)])
