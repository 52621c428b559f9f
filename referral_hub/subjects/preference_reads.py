"""A subject's preference as a reader gets it: what not to mention opened with the
subject's key (sealed like the summary, so consent, sight and erasure govern it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from referral_hub.subjects import keys


def opened(
    preference: Mapping[str, Any],
    *,
    master_key_id: str | None,
    blob: str | None,
    subject_id: str,
) -> dict[str, Any]:
    """A preference with avoidMentioning opened with the subject's stored key (None once
    the subject is erased: then it can never be read again)."""
    result = {key: value for key, value in preference.items() if key != "avoid_mentioning_sealed"}
    sealed = preference.get("avoid_mentioning_sealed")
    text = None
    if sealed and master_key_id and blob is not None:
        wrapped = {"masterKeyId": master_key_id, "blob": blob}
        text = keys.open_sealed_for(sealed, wrapped, subject_id=subject_id).get("avoidMentioning")
    return {**result, "avoid_mentioning": text}
