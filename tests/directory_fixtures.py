"""A small hand-built network in Kawasaki and Setagaya whose search answers are known."""

from __future__ import annotations

from dataclasses import dataclass

from referral_hub.accounts.actor import SYSTEM
from referral_hub.directory import services

KAWASAKI = "141305"  # 川崎市 (the city: its wards are below it)
KAWASAKI_KU = "141313"  # 川崎市川崎区 (a ward of 川崎市 141305, in 神奈川県 140007)
NAKAHARA_KU = "141330"  # 川崎市中原区
SETAGAYA = "131121"


@dataclass
class Network:
    ids: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.ids[key]


def _org(name: str, kind: str, area: str) -> str:
    return services.organisation_create(
        actor=SYSTEM, data={"name": name, "kind": kind, "area_code": area}
    )["id"]


def _loc(org: str, name: str, area: str, lat: float, lon: float) -> str:
    return services.location_create(
        actor=SYSTEM,
        data={
            "organisation_id": org,
            "name": name,
            "area_code": area,
            "latitude": lat,
            "longitude": lon,
        },
    )["id"]


def _svc(org: str, loc: str, name: str, mode: str, tags: list[str], **extra: object) -> str:
    return services.service_create(
        actor=SYSTEM,
        data={
            "organisation_id": org,
            "name": name,
            "mode": mode,
            "tag_codes": tags,
            "location_ids": [loc],
            **extra,
        },
    )["id"]


def build() -> Network:
    ids: dict[str, str] = {}
    ids["school"] = _org("川崎市立桜中学校", "SCHOOL", KAWASAKI_KU)
    ids["cafe_org"] = _org("みんなの子ども食堂", "PLACE", KAWASAKI_KU)
    ids["npo"] = _org("NPO法人まなびの森", "NPO", NAKAHARA_KU)
    ids["welfare"] = _org("世田谷区福祉事務所", "WELFARE_OFFICE", SETAGAYA)

    # Kawasaki station is about 35.531, 139.697; Musashi-Kosugi about 35.576, 139.659.
    ids["cafe_loc"] = cafe_loc = _loc(
        ids["cafe_org"], "川崎駅前会場", KAWASAKI_KU, 35.5310, 139.6970
    )
    ids["npo_loc"] = npo_loc = _loc(ids["npo"], "武蔵小杉教室", NAKAHARA_KU, 35.5760, 139.6590)
    ids["welfare_loc"] = welfare_loc = _loc(
        ids["welfare"], "世田谷区役所", SETAGAYA, 35.6466, 139.6533
    )

    ids["cafe"] = _svc(
        ids["cafe_org"],
        cafe_loc,
        "みんなの子ども食堂",
        "EXCHANGE",
        ["meal_provision", "eating_alone", "cooking"],
        description="毎週水曜の夕食。誰でも来られる交流型の居場所。",
    )
    ids["study"] = _svc(
        ids["npo"],
        npo_loc,
        "学習支援教室",
        "SUPPORT",
        ["study_support", "school_non_attendance"],
        age_min=9,
        age_max=18,
        capacity_status="WAITLIST",
        description="不登校の中学生の学習支援。",
    )
    ids["freeschool"] = _svc(
        ids["npo"],
        npo_loc,
        "フリースクール",
        "SUPPORT",
        ["school_non_attendance"],
        age_min=10,
        age_max=15,
        capacity_status="FULL",
        description="日中の学びの場。",
    )
    ids["consult"] = _svc(
        ids["welfare"],
        welfare_loc,
        "子ども家庭相談",
        "SUPPORT",
        ["child_poverty", "parenting_support"],
        response_target_hours=24,
    )
    ids["counsellor"] = _svc(
        ids["school"],
        cafe_loc,
        "スクールカウンセラー相談",
        "SUPPORT",
        ["school_non_attendance", "mental_health"],
        accepts_referrals=False,
    )
    return Network(ids)


def build_auditor_org(name: str, area: str) -> str:
    return _org(name, "MUNICIPALITY", area)
