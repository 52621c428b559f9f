"""recommend: which services can take a need, ranked, with the reasons shown.

Input is checked first (pure rules, the cached tag and area lists); the graph is then
asked once (graph/recommendation_repo.py) and the candidates are ranked in Python
(referral_hub/pathways/scoring.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph import recommendation_repo
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid
from referral_hub.directory import reference_data
from referral_hub.directory.rules import Near, checked_area_code, checked_tags, near_from
from referral_hub.directory.selectors import require_area, require_tags
from referral_hub.pathways.scoring import (
    CANDIDATES,
    DEFAULT_LIMIT,
    INTEREST_WEIGHT,
    Scored,
    recommend_errors,
)
from referral_hub.pathways.scoring import rank as rank_candidates
from referral_hub.subjects.services import today


@dataclass(frozen=True)
class _Ask:
    """recommend's arguments once each holds on its own."""

    organisation_id: str
    needs: list[str]
    interests: list[str]
    area_code: str | None
    point: Near | None
    subject_id: str | None
    limit: int


def recommend(
    *,
    actor: Actor,
    from_organisation: str,
    need_tags: Sequence[str] | None = (),
    interest_tags: Sequence[str] | None = (),
    area: str | None = None,
    near: Mapping[str, Any] | None = None,
    for_subject: str | None = None,
    limit: int | None = DEFAULT_LIMIT,
    include_opportunities: bool = False,
) -> dict[str, Any]:
    """`include_opportunities`: also up to `limit` opportunities (roles, issue 19) for the
    interests asked, from the same statement."""
    ask = _checked(from_organisation, need_tags, interest_tags, area, near, for_subject, limit)
    if ask.subject_id is not None and not (
        actor.acts_for(ask.organisation_id) and actor.has_role(Role.COUNSELLOR, Role.CASEWORKER)
    ):
        raise PublicError(
            ErrorCode.FORBIDDEN,
            "forSubject is for counsellors and caseworkers of fromOrganisation.",
        )
    row = _candidates(actor, ask, include_opportunities=include_opportunities)
    _refuse_unknown(row, ask)
    exchange_first = bool(row["stigma_needs"])
    ranked = rank_candidates(
        row["candidates"],
        needs=len(ask.needs),
        interests=len(ask.interests),
        exchange_first=exchange_first,
        limit=ask.limit,
    )
    return {
        "exchange_first": exchange_first,
        "stigma_sensitive_needs": row["stigma_needs"],
        "declined_left_out": row["declined"],
        # What the subject's own preference kept out, and how many (empty without one).
        "left_out_by_preference": row["left_out_by_preference"],
        "recommendations": [
            _recommendation(position, scored) for position, scored in enumerate(ranked, start=1)
        ],
        "opportunities": [
            {**found, "rank": position, "distance_km": _rounded(found["distance_km"], 2)}
            for position, found in enumerate(row["opportunities"], start=1)
        ],
    }


def _checked(
    from_organisation: str,
    need_tags: Sequence[str] | None,
    interest_tags: Sequence[str] | None,
    area: str | None,
    near: Mapping[str, Any] | None,
    for_subject: str | None,
    limit: int | None,
) -> _Ask:
    organisation_id = checked_uuid(from_organisation, "fromOrganisation")
    needs = list(checked_tags(list(need_tags or ()), field="needTags"))
    interests = list(checked_tags(list(interest_tags or ()), field="interestTags"))
    limit = DEFAULT_LIMIT if limit is None else limit
    errors = recommend_errors(
        needs, interests, where_given=(area is not None) + (near is not None), limit=limit
    )
    if errors:
        raise ValidationFailed(errors)
    require_tags(needs, field="needTags")
    require_tags(interests, field="interestTags")
    area_code = checked_area_code(area, field="area")
    require_area(area_code, field="area")
    return _Ask(
        organisation_id=organisation_id,
        needs=needs,
        interests=interests,
        area_code=area_code,
        point=near_from(near),
        subject_id=None if for_subject is None else checked_uuid(for_subject, "forSubject"),
        limit=limit,
    )


def _candidates(actor: Actor, ask: _Ask, *, include_opportunities: bool) -> dict[str, Any]:
    """One statement: the candidates, the stigma-sensitive needs, and — for a subject —
    the basis to consider them, with that consideration audited."""
    subject_id, point, area_code = ask.subject_id, ask.point, ask.area_code
    return recommendation_repo.recommendation_candidates(
        from_id=ask.organisation_id,
        need_tags=ask.needs,
        interest_tags=ask.interests,
        area_codes=None if area_code is None else reference_data.area_codes_within(area_code),
        center=None if point is None else (point.latitude, point.longitude),
        km=None if point is None else point.km,
        year=today().year,
        candidates=CANDIDATES,
        interest_weight=INTEREST_WEIGHT,
        opportunity_limit=ask.limit if include_opportunities else None,
        subject_id=subject_id,
        audit=None
        if subject_id is None
        else audit_record(
            actor,
            "RECOMMEND_FOR_SUBJECT",
            "Subject",
            subject_id,
            subjects=[subject_id],
            purpose="REFERRAL",
        ),
    )


def _refuse_unknown(row: dict[str, Any], ask: _Ask) -> None:
    if not row["known"]:
        raise ValidationFailed.one(
            "fromOrganisation", ErrorCode.UNKNOWN_ORGANISATION, "No such organisation."
        )
    if ask.subject_id is not None and row["basis"] is None:
        raise ValidationFailed.one(
            "forSubject", ErrorCode.NOT_FOUND, "No subject registered by fromOrganisation."
        )


def _recommendation(position: int, scored: Scored) -> dict[str, Any]:
    candidate = scored.candidate
    return {
        "rank": position,
        "score": scored.score,
        "service": candidate["service"],
        "organisation": candidate["organisation"],
        "needs_met": candidate["needs_met"],
        "interests_met": candidate["interests_met"],
        "distance_km": _rounded(candidate["distance_km"], 2),
        "partnership_hops": candidate["hops"],
        "points": scored.points,
    }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
