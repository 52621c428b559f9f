"""How `recommend` ranks services. Pure: figures in, score and its parts out.

Each part is a fit between 0 and 1, weighted; the score is their sum, so a counsellor sees
exactly why one service stands above another. A figure we do not have (no location, too
few referrals for rates) counts as NEUTRAL: it neither rewards nor punishes a new place.
Where a need is stigma-sensitive (a per-tag setting), exchange-type places (交流型: open to
all, no label) come first whatever their score, as DESIGN.md "Pathways" asks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from referral_hub.core.errors import ErrorCode, FieldError
from referral_hub.referrals.responsiveness import BAND_HOURS, BAND_SHARE, ReplyBand, ShareBand

WEIGHTS: Mapping[str, float] = {
    "tag_match": 0.30,
    "distance": 0.20,
    "capacity": 0.15,
    "partnership": 0.10,
    "acceptance": 0.10,
    "completion": 0.10,
    "response": 0.05,
}
NEUTRAL = 0.5
CAPACITY_FIT: Mapping[str | None, float] = {"AVAILABLE": 1.0, "WAITLIST": 0.4, "FULL": 0.0}
INTEREST_WEIGHT = 0.5  # an interest met counts half a need met
HALF_FIT_KM = 3.0  # a place this far away gets half the distance points
HALF_FIT_HOURS = 24.0  # a median first response this slow gets half the response points

DEFAULT_LIMIT = 10
RECOMMEND_LIMIT_MAX = 50
RECOMMEND_TAGS_MAX = 10
# The statement returns at most this many candidates for scoring: exchange places first
# where that rule applies, then the most needs and interests met, then the nearest. A
# hundred keeps the answer well inside its budget where thousands of places are in reach.
CANDIDATES = 100


@dataclass(frozen=True)
class Scored:
    candidate: Mapping[str, Any]
    score: float
    points: Mapping[str, float]
    exchange_first: bool

    @property
    def sort_key(self) -> tuple[bool, float, float, str, str]:
        service = self.candidate["service"]
        distance = self.candidate.get("distance_km")
        return (
            not (self.exchange_first and service["mode"] == "EXCHANGE"),
            -self.score,
            math.inf if distance is None else distance,
            service["name"],
            service["id"],
        )


def tag_fit(needs_met: int, needs: int, interests_met: int, interests: int) -> float:
    wanted = needs + INTEREST_WEIGHT * interests
    return (needs_met + INTEREST_WEIGHT * interests_met) / wanted if wanted else 0.0


def distance_fit(km: float | None) -> float:
    return NEUTRAL if km is None else 1.0 / (1.0 + km / HALF_FIT_KM)


def partnership_fit(hops: int | None) -> float:
    """A direct partner 1, two hops 1/2, three 1/3, four 1/4; no chain 0."""
    return 0.0 if not hops else 1.0 / hops


def band_share(band: str | None) -> float | None:
    """The middle of a share band (responsiveness keeps bands, not rates)."""
    return None if band is None else BAND_SHARE[ShareBand(band)]


def band_hours(band: str | None) -> float | None:
    """The middle of a reply band, in hours."""
    return None if band is None else BAND_HOURS[ReplyBand(band)]


def rate_fit(rate: float | None) -> float:
    return NEUTRAL if rate is None else rate


def response_fit(hours: float | None) -> float:
    return NEUTRAL if hours is None else 1.0 / (1.0 + hours / HALF_FIT_HOURS)


def points_for(candidate: Mapping[str, Any], *, needs: int, interests: int) -> dict[str, float]:
    service = candidate["service"]
    fits = {
        "tag_match": tag_fit(
            len(candidate["needs_met"]), needs, len(candidate["interests_met"]), interests
        ),
        "distance": distance_fit(candidate.get("distance_km")),
        "capacity": CAPACITY_FIT.get(service.get("capacityStatus"), NEUTRAL),
        "partnership": partnership_fit(candidate.get("hops")),
        "acceptance": rate_fit(band_share(service.get("statsAcceptanceBand"))),
        "completion": rate_fit(band_share(service.get("statsCompletionBand"))),
        "response": response_fit(band_hours(service.get("statsReplyBand"))),
    }
    return {part: round(WEIGHTS[part] * fit, 4) for part, fit in fits.items()}


def rank(
    candidates: Sequence[Mapping[str, Any]],
    *,
    needs: int,
    interests: int,
    exchange_first: bool,
    limit: int,
) -> list[Scored]:
    """Best first: exchange-type places first when `exchange_first`, then by score, then
    nearest, then by name (a stable order for equal scores)."""
    scored = []
    for candidate in candidates:
        points = points_for(candidate, needs=needs, interests=interests)
        scored.append(Scored(candidate, round(sum(points.values()), 4), points, exchange_first))
    return sorted(scored, key=lambda s: s.sort_key)[:limit]


def recommend_errors(
    need_tags: Sequence[str], interest_tags: Sequence[str], *, where_given: int, limit: int
) -> list[FieldError]:
    """`where_given`: how many of area and near were given (exactly one is wanted)."""
    errors = []
    if not need_tags and not interest_tags:
        errors.append(
            FieldError("needTags", ErrorCode.REQUIRED, "Give at least one need or interest tag.")
        )
    if len(need_tags) + len(interest_tags) > RECOMMEND_TAGS_MAX:
        errors.append(
            FieldError(
                "needTags",
                ErrorCode.OUT_OF_RANGE,
                f"At most {RECOMMEND_TAGS_MAX} need and interest tags together.",
            )
        )
    if where_given != 1:
        errors.append(
            FieldError(
                "area",
                ErrorCode.REQUIRED if where_given == 0 else ErrorCode.INVALID,
                "Give either an area or a point (near), not both.",
            )
        )
    if not 1 <= limit <= RECOMMEND_LIMIT_MAX:
        errors.append(
            FieldError(
                "limit",
                ErrorCode.OUT_OF_RANGE,
                f"limit must be between 1 and {RECOMMEND_LIMIT_MAX}.",
            )
        )
    return errors
