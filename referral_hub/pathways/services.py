"""Pathways: which chains of partner organisations lead to a service for a need."""

from __future__ import annotations

from typing import Any

from graph import pathways as pathway_repo
from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.core.validation import checked_uuid
from referral_hub.directory.selectors import known_tags
from referral_hub.pathways.rules import ROUTES_LIMIT, hop_errors


def routes(*, from_organisation: str, need: str, max_hops: int = 3) -> list[dict[str, Any]]:
    """Shortest partnership chains from an organisation to each that addresses `need`.

    Refusals are checked before the graph is asked; the answer itself is one statement.
    """
    organisation_id = checked_uuid(from_organisation, "fromOrganisation")
    errors = hop_errors(max_hops)
    if errors:
        raise PublicError(errors[0].code, errors[0].message, field=errors[0].field)
    if known_tags.unknown([need]):
        raise PublicError(ErrorCode.UNKNOWN_TAG, f"need: unknown tag {need}.", field="need")
    found = pathway_repo.routes(
        from_id=organisation_id, need=need, max_hops=max_hops, limit=ROUTES_LIMIT
    )
    if not found and not pathway_repo.organisation_exists(organisation_id):
        raise PublicError(
            ErrorCode.UNKNOWN_ORGANISATION, "No such organisation.", field="fromOrganisation"
        )
    return found
