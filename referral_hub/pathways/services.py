"""Pathways: chains of partners that lead to a need, and where an area has none."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from graph import organisation_repo, pathway_repo
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import auditor_area_codes
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.core.validation import checked_uuid
from referral_hub.directory import reference_data
from referral_hub.directory.selectors import require_area, require_tags
from referral_hub.pathways.disclosure import perturbed
from referral_hub.pathways.rules import (
    ROUTES_LIMIT,
    flow_cells,
    hop_errors,
    months_errors,
    period_errors,
    recent_months,
)
from referral_hub.pathways.signals import concern_cells, concern_gaps
from referral_hub.pathways.somewhere import somewhere_months
from referral_hub.referrals.handoff import CONNECTING_OUTCOMES

JAPAN = ZoneInfo("Asia/Tokyo")


def routes(*, from_organisation: str, need: str, max_hops: int = 3) -> list[dict[str, Any]]:
    """Shortest partnership chains from an organisation to each that addresses `need`.

    Refusals are checked before the graph is asked; the answer itself is one statement.
    """
    organisation_id = checked_uuid(from_organisation, "fromOrganisation")
    errors = hop_errors(max_hops)
    if errors:
        raise ValidationFailed(errors)
    require_tags([need], field="need")
    found = pathway_repo.routes(
        from_id=organisation_id, need=need, max_hops=max_hops, limit=ROUTES_LIMIT
    )
    if not found and not organisation_repo.organisations_by_ids([organisation_id]):
        raise PublicError(
            ErrorCode.UNKNOWN_ORGANISATION, "No such organisation.", field="fromOrganisation"
        )
    return found


def _check_aggregate(actor: Actor, area: str, errors: list[FieldError]) -> None:
    """Aggregates are for coordinators and auditors, within their own organisation's area."""
    if not actor.has_role(Role.COORDINATOR, Role.AUDITOR):
        raise PublicError(ErrorCode.FORBIDDEN, "This is for coordinators and auditors.")
    if errors:
        raise ValidationFailed(errors)
    require_area(area, field="area")
    allowed = auditor_area_codes(actor)
    if allowed is not None and area not in allowed:
        raise PublicError(ErrorCode.FORBIDDEN, "That area is outside your organisation's.")


def coverage(*, actor: Actor, area: str, months: int = 6) -> dict[str, Any]:
    """どこも and どこか for an area within the coordinator's (or auditor's) own area, with
    the murmurs heard there and どこか measured month by month (one statement)."""
    _check_aggregate(actor, area, months_errors(months))
    row = pathway_repo.coverage(
        area=area,
        area_codes=reference_data.area_codes_within(area),
        months=months,
        connecting_outcomes=list(CONNECTING_OUTCOMES),
    )
    assert row is not None  # a known area has its node (reference data is synced)
    tags = sorted(row["tags"], key=lambda t: t["code"])
    return {
        "area": area,
        "months": months,
        "tags": [t for t in tags if t["services"] > 0],
        "missing_tags": [t["code"] for t in tags if t["services"] == 0],
        "empty_areas": sorted(row["empty_areas"], key=lambda a: a["code"]),
        "sub_areas": [
            {**sub, "tags": sorted(sub["tags"], key=lambda t: t["code"])}
            for sub in sorted(row["sub_areas"], key=lambda a: a["code"])
        ],
        "unconnected_subjects": perturbed(
            int(row["unconnected"]), int(row["unconnected_key"] or 0)
        ),
        "concerns": concern_cells(row["concerns"]),
        "concern_gaps": concern_gaps(row["concerns"], row["this_month"]),
        "somewhere": somewhere_months(row["somewhere"], row["this_month"]),
    }


def flows(
    *, actor: Actor, area: str, since: date, until: date, by_organisation: bool
) -> dict[str, Any]:
    """Who refers to whom in an area, by whole months: perturbed aggregates only."""
    _check_aggregate(actor, area, period_errors(since, until))
    start = datetime.combine(since, time(0), tzinfo=JAPAN)
    end = datetime.combine(until, time(0), tzinfo=JAPAN)
    rows = pathway_repo.flows(
        area_codes=reference_data.area_codes_within(area),
        since=start.isoformat(),
        until=end.isoformat(),
        by_organisation=by_organisation,
    )
    cells, hidden, total = flow_cells(rows)
    return {
        "cells": cells,
        "suppressed_cells": hidden,
        "shown_referrals": sum(cell["referrals"] for cell in cells),
        "total_referrals": total,
    }


def network_map(*, actor: Actor, area: str, months: int = 12) -> dict[str, Any]:
    """An area's organisations, their partnerships and the referral flows between them over
    the last `months` whole months (this one included): flows as perturbed counts, a
    flow under K_ANONYMITY left out whole (the same cells `flows` publishes by
    organisation, so the two answers cannot be differenced)."""
    _check_aggregate(actor, area, months_errors(months))
    since, until = recent_months(datetime.now(JAPAN).date(), months)
    found = pathway_repo.network_map(
        area_codes=reference_data.area_codes_within(area),
        since=datetime.combine(since, time(0), tzinfo=JAPAN).isoformat(),
        until=datetime.combine(until, time(0), tzinfo=JAPAN).isoformat(),
    )
    flows, hidden = [], 0
    for flow in found["flows"]:
        shown = perturbed(int(flow["referrals"]), int(flow["referrals_key"] or 0))
        if shown is None:
            hidden += 1
            continue
        flows.append({"source": flow["source"], "target": flow["target"], "referrals": shown})
    return {
        "area": area,
        "since": since,
        "until": until,
        "organisations": sorted(found["organisations"], key=lambda o: (o["kind"], o["name"])),
        "partnerships": found["partnerships"],
        "flows": sorted(flows, key=lambda f: (-f["referrals"], f["source"], f["target"])),
        "suppressed_flows": hidden,
    }
