"""The configured master keys and duplicate-detection secret (from settings)."""

from __future__ import annotations

from django.conf import settings

from referral_hub.subjects.crypto import CryptoError, MasterKey


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
