"""A referral history for the demo network, written through the same services as the API.

Schools in one ward register pupils, record their guardians' consent and refer them to
local services; the receivers acknowledge, accept, start, complete or decline. A second
story (issue 20, every generation): staff at community salons refer older carers — men
caring for a wife, who rarely ask for help — who consent themselves, and older people
living alone whose legally appointed guardian (保佐人) consents for them, to the regional
comprehensive support centre (地域包括支援センター). Every step
goes through the domain services (consent checks, encryption, audit, notifications), so
the history is what the API itself would have recorded, only all of it today. Then the
nightly responsiveness figures are computed, so `recommend` has rates to show.
Deterministic for a seed; written only into a graph that holds no referrals yet.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graph import bulk
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.roles import Role
from referral_hub.consent.policy import ConsentTerms
from referral_hub.directory import reference_data
from referral_hub.referrals import handoff
from referral_hub.referrals import services as referral_services
from referral_hub.referrals.requests import NewReferral
from referral_hub.referrals.tasks import refresh_responsiveness
from referral_hub.subjects import services as subject_services

NEEDS = ("school_non_attendance", "meal_provision", "study_support", "after_school_place")
_FAMILY = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
_GIVEN = ("陽翔", "蓮", "湊", "結菜", "陽葵", "凛", "葵", "大和", "芽依", "悠真")
_SUMMARIES = (
    "二学期から欠席が続いている。本人は家で過ごすことが多い。",
    "朝食をとらずに登校することが多く、保護者は夜遅くまで働いている。",
    "学習の遅れを気にして登校をためらっている。",
    "放課後に一人で過ごす時間が長い。",
)
# (how far the receiver takes it, share): the shape of a year's handoffs.
_PATHS: tuple[tuple[tuple[handoff.Action, ...], int], ...] = (
    ((), 10),
    ((handoff.Action.ACKNOWLEDGE,), 10),
    ((handoff.Action.ACKNOWLEDGE, handoff.Action.ACCEPT), 15),
    ((handoff.Action.ACKNOWLEDGE, handoff.Action.ACCEPT, handoff.Action.START), 15),
    (
        (
            handoff.Action.ACKNOWLEDGE,
            handoff.Action.ACCEPT,
            handoff.Action.START,
            handoff.Action.COMPLETE,
        ),
        30,
    ),
    ((handoff.Action.DECLINE,), 10),
    ((handoff.Action.ACKNOWLEDGE, handoff.Action.DECLINE), 10),
)
_PATH_STEPS, _PATH_SHARES = zip(*_PATHS, strict=True)


# The second story: who is referred, in their own words of the salon's staff.
_CARER_SUMMARIES = (
    "妻の介護を一人で担っている。サロンで「眠れない」と話していた。",
    "認知症の妻を介護している。最近サロンに来る回数が減った。",
    "妻の通院の付き添いで疲れている。介護保険の使い方が分からないと話していた。",
)
_ALONE_SUMMARY = "一人暮らし。物忘れが増え、保佐人から相談があった。"
# (who, share): a carer consenting himself, or a person living alone under a 保佐.
_ELDERLY_NEEDS = {
    "carer": ("carer_burnout", "long_term_care_consultation"),
    "alone": ("dementia", "long_term_care_consultation"),
}


@dataclass(frozen=True)
class History:
    referrals: int
    services_refreshed: int
    elderly_referrals: int = 0


def _counsellor(school_id: str) -> Actor:
    return Actor(
        username="demo-counsellor", organisation_id=school_id, roles=frozenset({Role.COUNSELLOR})
    )


def _caseworker(organisation_id: str) -> Actor:
    return Actor(
        username="demo-caseworker",
        organisation_id=organisation_id,
        roles=frozenset({Role.CASEWORKER}),
    )


def seed(
    *,
    area: str,
    referrals: int,
    seed: int = 1,
    carers: int = 6,
    progress: Callable[[], Any] = lambda: None,
) -> History | None:
    """None when the graph already holds referrals (so `make run` twice adds nothing) or
    the area has neither story's parties. The school story first, then the carers'."""
    codes = reference_data.area_codes_within(area)
    parties = bulk.demo_parties(area_codes=codes, needs=NEEDS)
    elderly = bulk.demo_elderly_parties(area_codes=codes)
    schools = bool(parties["schools"] and parties["services"])
    salons = bool(elderly["salons"] and elderly["centres"])
    if parties["referrals"] or not (schools or salons):
        return None
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data
    # A few busy services get most referrals, as in life, so they reach the figures' minimum.
    busy = parties["services"][: max(3, len(parties["services"]) // 4)]
    today = subject_services.today()
    for _ in range(referrals if schools else 0):
        school = rng.choice(parties["schools"])
        service = rng.choice(busy if rng.random() < 0.7 else parties["services"])
        _one_referral(rng, school, service, today)
        progress()
    # One centre per area takes the salons' referrals: its own figures reach the minimum.
    for index in range(carers if salons else 0):
        salon = rng.choice(elderly["salons"])
        centre = elderly["centres"][0]
        _one_elderly_referral(rng, salon, centre, today, alone=index % 3 == 2)
    figures = refresh_responsiveness()  # the nightly task, run now
    return History(
        referrals=referrals if schools else 0,
        services_refreshed=figures,
        elderly_referrals=carers if salons else 0,
    )


def _one_referral(
    rng: random.Random, school: dict[str, Any], service: dict[str, Any], today: date
) -> None:
    """A pupil registered at `school`, the guardian's consent, a referral to `service`,
    and the receiver's steps along one of the demo's paths."""
    counsellor = _counsellor(school["id"])
    subject, _ = subject_services.subject_register(
        actor=counsellor,
        data={
            "birthYear": today.year - rng.randint(7, 15),
            "areaCode": school["area_code"],
            "name": f"{rng.choice(_FAMILY)} {rng.choice(_GIVEN)}",
            "contact": f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        },
    )
    subject_services.consent_record(
        actor=counsellor,
        subject_id=subject["id"],
        terms=ConsentTerms(
            given_by="GUARDIAN",
            guardian_relationship=rng.choice(("母", "父", "祖母")),
            organisation_ids=[service["organisation_id"]],
            purposes=["REFERRAL"],
            categories=["CONTACT", "SCHOOL_ATTENDANCE"],
            valid_until=today + timedelta(days=365),
            method="WRITTEN",
            evidence_sha256=hashlib.sha256(f"demo consent {subject['id']}".encode()).hexdigest(),
        ),
    )
    referral = referral_services.referral_create(
        actor=counsellor,
        request=NewReferral(
            subject_id=subject["id"],
            service_id=service["id"],
            urgency="ROUTINE",
            summary=rng.choice(_SUMMARIES),
            need_tags=[rng.choice(service["needs"])],
            categories=["CONTACT", "SCHOOL_ATTENDANCE"],
        ),
    )
    receiver = _caseworker(service["organisation_id"])
    for action in rng.choices(_PATH_STEPS, weights=_PATH_SHARES)[0]:
        referral = referral_services.referral_transition(
            actor=receiver,
            referral_id=referral["id"],
            action=action,
            version_seen=referral["version"],
            reason=handoff.DeclineReason.NO_CAPACITY if action == handoff.Action.DECLINE else None,
            outcome=handoff.Outcome.CONNECTED if action == handoff.Action.COMPLETE else None,
        )


def _older_person(
    rng: random.Random,
    staff: Actor,
    salon: dict[str, Any],
    centre: dict[str, Any],
    today: date,
    *,
    alone: bool,
) -> str:
    """A man in his late seventies caring for his wife, who consents himself — or a woman
    living alone whose 保佐人 consents for her — registered by the salon's staff."""
    subject, _ = subject_services.subject_register(
        actor=staff,
        data={
            "birthYear": today.year - rng.randint(74, 86),
            "areaCode": salon["area_code"],
            "name": f"{rng.choice(_FAMILY)} {rng.choice(('節子', '和子', '幸子'))}"
            if alone
            else f"{rng.choice(_FAMILY)} {rng.choice(('正', '清', '茂', '博'))}",
            "contact": f"044-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        },
    )
    subject_services.consent_record(
        actor=staff,
        subject_id=subject["id"],
        terms=ConsentTerms(
            given_by="LEGAL_GUARDIAN" if alone else "SUBJECT",
            guardianship_type="CURATORSHIP" if alone else None,
            guardian_relationship="保佐人（司法書士）" if alone else None,
            organisation_ids=[centre["organisation_id"]],
            purposes=["REFERRAL"],
            categories=["CONTACT", "FAMILY", "HEALTH"],
            valid_until=today + timedelta(days=365),
            method="VERBAL",
        ),
    )
    return str(subject["id"])


def _one_elderly_referral(
    rng: random.Random,
    salon: dict[str, Any],
    centre: dict[str, Any],
    today: date,
    *,
    alone: bool,
) -> None:
    """An older person from the salon (_older_person), referred by its staff to the
    centre, which takes it all the way to CONNECTED."""
    staff = _counsellor(salon["id"])
    subject_id = _older_person(rng, staff, salon, centre, today, alone=alone)
    referral = referral_services.referral_create(
        actor=staff,
        request=NewReferral(
            subject_id=subject_id,
            service_id=centre["id"],
            urgency="ROUTINE",
            summary=_ALONE_SUMMARY if alone else rng.choice(_CARER_SUMMARIES),
            need_tags=list(_ELDERLY_NEEDS["alone" if alone else "carer"]),
            categories=["CONTACT", "FAMILY", "HEALTH"],
        ),
    )
    receiver = _caseworker(centre["organisation_id"])
    for action in (
        handoff.Action.ACKNOWLEDGE,
        handoff.Action.ACCEPT,
        handoff.Action.START,
        handoff.Action.COMPLETE,
    ):
        referral = referral_services.referral_transition(
            actor=receiver,
            referral_id=referral["id"],
            action=action,
            version_seen=referral["version"],
            outcome=handoff.Outcome.CONNECTED if action == handoff.Action.COMPLETE else None,
        )
