"""Opportunities for the public finder's tests, written through the hub's own service
(referral_hub/directory/opportunity_services.py) as the system administrator, so the
finder reads exactly what createOpportunity writes; `active=False` archives it after."""

from __future__ import annotations

from referral_hub.accounts.actor import SYSTEM
from referral_hub.directory import opportunity_services


def create_opportunity(
    *,
    organisation_id: str,
    service_id: str,
    title: str,
    area_code: str,
    tag_codes: list[str],
    location_id: str | None = None,
    description: str | None = None,
    schedule: str | None = None,
    age_min: int | None = None,
    age_max: int | None = None,
    active: bool = True,
) -> str:
    created = opportunity_services.opportunity_create(
        actor=SYSTEM,
        data={
            "organisation_id": organisation_id,
            "service_id": service_id,
            "location_id": location_id,
            "title": title,
            "area_code": area_code,
            "interest_tags": tag_codes,
            "description": description,
            "schedule": schedule,
            "age_min": age_min,
            "age_max": age_max,
        },
    )
    opportunity_id = str(created["id"])
    if not active:
        opportunity_services.opportunity_archive(actor=SYSTEM, opportunity_id=opportunity_id)
    return opportunity_id
