"""Envelope encryption of a subject's personal fields, and keyed hashes for duplicates.

Each subject has its own 256-bit data key. Personal fields are sealed with AES-GCM
under that key (the subject id is the associated data, so a ciphertext moved to
another subject does not open). The data key itself is stored only wrapped
(AES-GCM) by a master key from the environment, together with the master key's id,
so `rotate_master_key` re-wraps keys without touching any data. Erasure deletes the
wrapped key: every copy of the ciphertext, backups included, becomes unreadable
(crypto-shredding).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


class CryptoError(Exception):
    """A key is missing or a ciphertext does not open (tampered, or under another key)."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    secret: bytes  # 32 bytes

    @classmethod
    def from_text(cls, key_id: str, text: str) -> MasterKey:
        secret = base64.urlsafe_b64decode(text.encode("ascii"))
        if len(secret) != 32:
            raise CryptoError(f"master key {key_id} must be 32 bytes, base64url-encoded")
        return cls(key_id, secret)


@dataclass(frozen=True)
class WrappedKey:
    master_key_id: str
    blob: str  # base64url(nonce || AES-GCM(master, data key))


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap(data_key: bytes, master: MasterKey, *, subject_id: str) -> WrappedKey:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(master.secret).encrypt(nonce, data_key, f"key:{subject_id}".encode())
    return WrappedKey(master.key_id, base64.urlsafe_b64encode(nonce + sealed).decode("ascii"))


def unwrap(wrapped: WrappedKey, masters: Mapping[str, MasterKey], *, subject_id: str) -> bytes:
    master = masters.get(wrapped.master_key_id)
    if master is None:
        raise CryptoError(f"master key {wrapped.master_key_id} is not configured")
    raw = base64.urlsafe_b64decode(wrapped.blob.encode("ascii"))
    try:
        return AESGCM(master.secret).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], f"key:{subject_id}".encode()
        )
    except InvalidTag as exc:
        raise CryptoError("the data key does not unwrap (wrong master key or tampered)") from exc


def rewrap(
    wrapped: WrappedKey, masters: Mapping[str, MasterKey], new_master: MasterKey, *, subject_id: str
) -> WrappedKey:
    """Master key rotation: the data key (and so every ciphertext) stays the same."""
    return wrap(unwrap(wrapped, masters, subject_id=subject_id), new_master, subject_id=subject_id)


def seal(fields: Mapping[str, str | None], data_key: bytes, *, subject_id: str) -> str:
    """All personal fields as one ciphertext (so their number and sizes leak less)."""
    nonce = os.urandom(_NONCE_BYTES)
    plaintext = json.dumps(dict(fields), ensure_ascii=False, sort_keys=True).encode("utf-8")
    sealed = AESGCM(data_key).encrypt(nonce, plaintext, f"fields:{subject_id}".encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def open_sealed(ciphertext: str, data_key: bytes, *, subject_id: str) -> dict[str, str | None]:
    raw = base64.urlsafe_b64decode(ciphertext.encode("ascii"))
    try:
        plaintext = AESGCM(data_key).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], f"fields:{subject_id}".encode()
        )
    except InvalidTag as exc:
        raise CryptoError("the personal fields do not open (tampered or moved)") from exc
    return json.loads(plaintext)


def normalised_name(name: str) -> str:
    """NFKC, no spaces, katakana to hiragana, lower case: ヤマダ　タロウ → やまだたろう."""
    text = unicodedata.normalize("NFKC", name).replace(" ", "").lower()
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def duplicate_key(*, name: str, birth_year: int, area_code: str, secret: bytes) -> str:
    """A keyed hash (HMAC-SHA256) of who a subject probably is, to warn of duplicates.

    Names are never stored or compared in clear; without the secret the hash cannot be
    reversed by trying every common name.
    """
    message = f"{normalised_name(name)}|{birth_year}|{area_code}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
