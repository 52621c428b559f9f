"""Directory actions: validate with the pure rules, then write through the graph repository."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from graph import organisations as organisation_repo
from referral_hub.core.errors import ValidationFailed
from referral_hub.directory.rules import clean_organisation


def organisation_create(*, data: Mapping[str, Any]) -> dict[str, Any]:
    """Create one organisation from client input; raises ValidationFailed and writes nothing."""
    draft, errors = clean_organisation(data)
    if draft is None:
        raise ValidationFailed(errors)
    return organisation_repo.organisation_create(
        organisation_id=uuid.uuid4(),
        name=draft.name,
        kind=draft.kind.value,
        description=draft.description,
        area_code=draft.area_code,
        website=draft.website,
        email=draft.email,
        phone=draft.phone,
    )
