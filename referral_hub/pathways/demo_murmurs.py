"""Murmurs for the demo network (issue 19), so `make run` shows them on the coverage page.

Open places in one ward record what their staff heard over the last months: a handful of
concerns that some place in the ward answers, and one the ward has no place for, heard
often enough (5 or more in the last three months) to show as a gap. Written through the
graph's one signal statement, each with its audit event, but for past months too (the API
takes only this month and the previous one). Deterministic for a seed; written only into
a graph that holds no signals yet.
"""

from __future__ import annotations

import contextlib
import random
import uuid

from graph import concern_signal_repo
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from referral_hub.directory import reference_data
from referral_hub.pathways.signals import AgeBand, months_back
from referral_hub.subjects import services as subject_services

# Needs murmured about at children's cafeterias and salons, most often first.
HEARD = ("eating_alone", "young_carers", "loneliness_isolation", "school_non_attendance")
GAP_SIGNALS = 7  # the ward's unanswered need, this month: above K_SIGNALS, so it shows


def seed(*, area: str, months: int = 6, seed: int = 1) -> int | None:
    """How many signals were written; None when there are some already or no open place."""
    if concern_signal_repo.any_signal():
        return None
    places = concern_signal_repo.demo_places(
        area_codes=reference_data.area_codes_within(area), limit=5
    )
    unanswered = concern_signal_repo.unaddressed_needs(area_code=area)
    if not places:
        return None
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data
    recent = months_back(subject_services.today(), months)
    written = 0
    for month in recent:
        for need in HEARD:
            for _ in range(rng.randrange(0, 8)):
                _record(rng.choice(places), need, month, rng.choice(list(AgeBand)))
                written += 1
    if unanswered:
        gap = "hikikomori" if "hikikomori" in unanswered else unanswered[0]
        for _ in range(GAP_SIGNALS):
            _record(rng.choice(places), gap, recent[-1], AgeBand.AGE_19_39)
            written += 1
    return written


def _record(place: dict, need: str, month: object, band: AgeBand) -> None:
    staff = Actor(
        username="demo-place-staff",
        organisation_id=place["id"],
        roles=frozenset({Role.CASEWORKER}),
    )
    signal_id = str(uuid.uuid4())
    # A need tag missing from this directory is refused: nothing to show for it.
    with contextlib.suppress(concern_signal_repo.SignalRefused):
        concern_signal_repo.concern_signal_record(
            fields={
                "id": signal_id,
                "month": month,
                "ageBand": band.value,
                "needTag": need,
                "areaCode": place["area_code"],
                "organisationId": place["id"],
            },
            audit=audit_record(staff, "CONCERN_SIGNAL_RECORD", "ConcernSignal", signal_id),
        )
