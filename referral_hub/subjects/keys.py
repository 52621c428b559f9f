"""The configured master keys and duplicate-detection secret (from settings)."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from referral_hub.subjects.crypto import CryptoError, MasterKey, WrappedKey, open_sealed, unwrap


def master_keys() -> dict[str, MasterKey]:
    keys = {}
    for item in filter(None, (part.strip() for part in settings.HUB_MASTER_KEYS.split(","))):
        key_id, _, text = item.partition("=")
        keys[key_id] = MasterKey.from_text(key_id, text)
    return keys


def active_master_key() -> MasterKey:
    keys = master_keys()
    if settings.HUB_MASTER_KEY_ID not in keys:
        raise CryptoError(
            f"HUB_MASTER_KEY_ID {settings.HUB_MASTER_KEY_ID} is not in HUB_MASTER_KEYS"
        )
    return keys[settings.HUB_MASTER_KEY_ID]


def duplicate_secret() -> bytes:
    return settings.HUB_DUPLICATE_SECRET.encode("utf-8")


def data_key(master_key_id: str, blob: str, *, subject_id: str) -> bytes:
    """A subject's data key, unwrapped with the master key it names."""
    return unwrap(WrappedKey(master_key_id, blob), master_keys(), subject_id=subject_id)


def open_sealed_for(sealed: str, wrapped: Mapping[str, str], *, subject_id: str) -> dict:
    """Open data sealed with a subject's key, given the stored {masterKeyId, blob}."""
    key = data_key(wrapped["masterKeyId"], wrapped["blob"], subject_id=subject_id)
    return open_sealed(sealed, key, subject_id=subject_id)
