"""Webhook signing secrets, sealed under the master key like the subjects' data keys.

The hub signs each body with HMAC, so it must be able to read the secret itself (a
digest would not do). Sealed, a copy of the database alone does not give the secrets
away, and `manage.py rotate_master_key` re-wraps them with the subjects' keys.
"""

from __future__ import annotations

from typing import Any

from referral_hub.subjects import crypto, keys


def _context(organisation_id: Any) -> str:
    # Bound to its organisation: a sealed secret copied onto another webhook does not open.
    return f"webhook:{organisation_id}"


def seal(secret: str, organisation_id: Any, master: crypto.MasterKey | None = None) -> dict:
    """The model fields that hold `secret` sealed under the active (or given) master key."""
    wrapped = crypto.wrap(
        secret.encode("utf-8"),
        master or keys.active_master_key(),
        subject_id=_context(organisation_id),
    )
    return {"secret_key_id": wrapped.master_key_id, "secret_blob": wrapped.blob}


def open_secret(hook: Any) -> str:
    wrapped = crypto.WrappedKey(hook.secret_key_id, hook.secret_blob)
    return crypto.unwrap(
        wrapped, keys.master_keys(), subject_id=_context(hook.organisation_id)
    ).decode("utf-8")
