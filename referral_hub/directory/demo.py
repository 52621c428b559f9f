"""Deterministic demo networks at four scales, from the real JIS area list.

Counts follow population (estimated per area kind, since the shipped list has no
population) at national ratios: about 35,000 schools, 12,000 children's cafeterias
and 50,000 NPOs for all of Japan. Every id is a UUID5 of the seed and the row's
place in its municipality, so the same seed gives the same network and loading it
twice changes nothing. Coordinates are plausible, not surveyed: each municipality
gets a stable point near its prefecture's capital and its places lie around it.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from referral_hub.directory.reference_data import AreaRow, area_rows
from referral_hub.directory.rules import AreaKind, CapacityStatus, OrganisationKind, ServiceMode

_NAMESPACE = uuid.UUID("5b8f3c1e-2d7a-4e55-9c0b-7a1f2e3d4c5b")


class Scale(StrEnum):
    TOWN = "town"  # one small city: 狛江市
    CITY = "city"  # one designated city with its wards: 川崎市
    PREFECTURE = "prefecture"  # 神奈川県
    NATIONAL = "national"  # every municipality


# The six villages of the Northern Territories are on the official list but have no working
# local government, so no demo organisations are placed there.
_NO_LOCAL_GOVERNMENT = frozenset({"016951", "016969", "016977", "016985", "016993", "017001"})

_SCALE_ROOTS = {Scale.TOWN: "132195", Scale.CITY: "141305", Scale.PREFECTURE: "140007"}

# Rough residents per area by kind (the code list carries no population figures).
_POPULATION = {
    AreaKind.SPECIAL_WARD: 400_000,
    AreaKind.WARD: 130_000,
    AreaKind.CITY: 70_000,
    AreaKind.TOWN: 14_000,
    AreaKind.VILLAGE: 3_500,
    AreaKind.DESIGNATED_CITY: 700_000,  # only when the list has no wards for it
}

# Residents per organisation, tuned so all of Japan gives the national totals.
_RESIDENTS_PER = {
    "school": 2_770,
    "cafeteria": 8_000,
    "npo": 1_940,
    "library": 30_000,
    "salon": 6_000,
}

# Approximate coordinates of each prefecture's capital (lat, lon).
_PREFECTURE_CENTRES = {
    "01": (43.06, 141.35),
    "02": (40.82, 140.74),
    "03": (39.70, 141.15),
    "04": (38.27, 140.87),
    "05": (39.72, 140.10),
    "06": (38.24, 140.36),
    "07": (37.75, 140.47),
    "08": (36.34, 140.45),
    "09": (36.57, 139.88),
    "10": (36.39, 139.06),
    "11": (35.86, 139.65),
    "12": (35.61, 140.12),
    "13": (35.69, 139.69),
    "14": (35.45, 139.64),
    "15": (37.90, 139.02),
    "16": (36.70, 137.21),
    "17": (36.59, 136.63),
    "18": (36.07, 136.22),
    "19": (35.66, 138.57),
    "20": (36.65, 138.18),
    "21": (35.39, 136.72),
    "22": (34.98, 138.38),
    "23": (35.18, 136.91),
    "24": (34.73, 136.51),
    "25": (35.00, 135.87),
    "26": (35.02, 135.76),
    "27": (34.69, 135.52),
    "28": (34.69, 135.18),
    "29": (34.69, 135.83),
    "30": (34.23, 135.17),
    "31": (35.50, 134.24),
    "32": (35.47, 133.05),
    "33": (34.66, 133.93),
    "34": (34.40, 132.46),
    "35": (34.19, 131.47),
    "36": (34.07, 134.56),
    "37": (34.34, 134.04),
    "38": (33.84, 132.77),
    "39": (33.56, 133.53),
    "40": (33.61, 130.42),
    "41": (33.25, 130.30),
    "42": (32.74, 129.87),
    "43": (32.79, 130.74),
    "44": (33.24, 131.61),
    "45": (31.91, 131.42),
    "46": (31.56, 130.56),
    "47": (26.21, 127.68),
}

# Designated cities' halls, so searches near a real station find the city's places.
_CITY_CENTRES = {
    "札幌市": (43.062, 141.354),
    "仙台市": (38.268, 140.872),
    "さいたま市": (35.861, 139.646),
    "千葉市": (35.607, 140.106),
    "横浜市": (35.444, 139.638),
    "川崎市": (35.531, 139.703),
    "相模原市": (35.571, 139.373),
    "新潟市": (37.916, 139.036),
    "静岡市": (34.975, 138.383),
    "浜松市": (34.711, 137.726),
    "名古屋市": (35.181, 136.906),
    "京都市": (35.011, 135.768),
    "大阪市": (34.694, 135.502),
    "堺市": (34.573, 135.483),
    "神戸市": (34.690, 135.196),
    "岡山市": (34.655, 133.919),
    "広島市": (34.385, 132.455),
    "北九州市": (33.883, 130.875),
    "福岡市": (33.590, 130.402),
    "熊本市": (32.803, 130.708),
}

_SCHOOL_STEMS = [
    "桜",
    "東",
    "西",
    "南",
    "北",
    "中央",
    "若葉",
    "緑ヶ丘",
    "青葉",
    "旭",
    "富士見",
    "松原",
    "梅田",
    "本町",
    "栄",
    "宮前",
    "八幡",
    "山手",
    "泉",
    "日の出",
    "花園",
    "港",
]
_PLACE_STEMS = [
    "ひだまり",
    "たんぽぽ",
    "みんなの",
    "にじいろ",
    "ほっと",
    "おひさま",
    "わいわい",
    "こもれび",
    "つばさ",
    "そらまめ",
    "ぽかぽか",
    "あおぞら",
    "いろどり",
    "よりみち",
]
_NPO_STEMS = [
    "まなびの森",
    "つなぐ手",
    "こどもの未来",
    "ともに歩む",
    "地域の輪",
    "はぐくみ",
    "ひとりじゃない",
    "よりそい",
    "みらいの種",
    "ささえあい",
    "ひろば",
    "あしたの灯",
]
_NPO_SUFFIXES = ["の会", "ネット", "サポートセンター", "プロジェクト", "ネットワーク", "基金"]
_CHOME = ["本町", "中町", "栄町", "緑町", "旭町", "幸町", "大和町", "宮本町", "東町", "西町"]
_WEEKDAYS = ["月", "火", "水", "木", "金", "土", "日"]


@dataclass(frozen=True)
class ServiceTemplate:
    name: str
    mode: ServiceMode
    tags: tuple[str, ...]
    accepts_referrals: bool = True
    age: tuple[int | None, int | None] = (None, None)
    response_hours: int = 72


_SERVICES: dict[str, list[ServiceTemplate]] = {
    "school": [
        ServiceTemplate(
            "スクールカウンセラー相談",
            ServiceMode.SUPPORT,
            ("school_non_attendance", "bullying", "mental_health"),
            accepts_referrals=False,
            age=(6, 15),
        )
    ],
    "cafeteria": [
        ServiceTemplate(
            "こども食堂",
            ServiceMode.EXCHANGE,
            (
                "meal_provision",
                "eating_alone",
                "child_poverty",
                "cooking",
                "primary_school_children",
                "families",
            ),
            response_hours=168,
        )
    ],
    "library": [
        ServiceTemplate(
            "学習スペース・ティーンズコーナー",
            ServiceMode.EXCHANGE,
            ("study_support", "after_school_place", "reading", "junior_high_students"),
            response_hours=168,
        )
    ],
    "salon": [
        ServiceTemplate(
            "多世代交流サロン",
            ServiceMode.EXCHANGE,
            ("isolation_older_people", "loneliness_isolation", "go_shogi", "music", "older_people"),
            response_hours=168,
        )
    ],
    "npo": [
        ServiceTemplate(
            "学習支援教室",
            ServiceMode.SUPPORT,
            ("study_support", "child_poverty", "learning_difficulties"),
            age=(9, 18),
        ),
        ServiceTemplate(
            "フリースクール",
            ServiceMode.SUPPORT,
            ("school_non_attendance", "after_school_place", "junior_high_students"),
            age=(10, 18),
        ),
        ServiceTemplate(
            "居場所カフェ",
            ServiceMode.EXCHANGE,
            (
                "school_non_attendance",
                "loneliness_isolation",
                "board_games",
                "video_games",
                "high_school_age",
            ),
            age=(12, 24),
        ),
        ServiceTemplate(
            "フードパントリー",
            ServiceMode.SUPPORT,
            ("food_assistance", "financial_hardship", "single_parent_support"),
        ),
        ServiceTemplate(
            "ひとり親家庭の相談",
            ServiceMode.SUPPORT,
            ("single_parent_support", "parenting_support", "single_parents"),
        ),
        ServiceTemplate(
            "ヤングケアラー支援",
            ServiceMode.SUPPORT,
            ("young_carers", "carer_support"),
            age=(10, 24),
        ),
        ServiceTemplate(
            "日本語教室",
            ServiceMode.EXCHANGE,
            ("japanese_language_support", "foreign_roots_children", "foreign_residents"),
        ),
        ServiceTemplate(
            "ひきこもり家族会", ServiceMode.SUPPORT, ("hikikomori", "families", "mental_health")
        ),
        ServiceTemplate(
            "子ども食堂とあそび場",
            ServiceMode.EXCHANGE,
            ("meal_provision", "after_school_place", "arts_crafts", "cooking"),
        ),
        ServiceTemplate(
            "プログラミングクラブ",
            ServiceMode.EXCHANGE,
            ("programming", "study_support", "after_school_place"),
            age=(8, 18),
        ),
    ],
    "welfare": [
        ServiceTemplate(
            "子ども家庭相談",
            ServiceMode.SUPPORT,
            ("child_poverty", "parenting_support", "child_abuse_concern", "single_parent_support"),
            response_hours=24,
        ),
        ServiceTemplate(
            "生活困窮者自立相談",
            ServiceMode.SUPPORT,
            ("financial_hardship", "housing_insecurity", "employment_support", "debt_problems"),
            response_hours=48,
        ),
    ],
    "council": [
        ServiceTemplate(
            "生活福祉資金・ボランティアセンター",
            ServiceMode.SUPPORT,
            ("financial_hardship", "volunteering", "loneliness_isolation"),
        )
    ],
    "health": [
        ServiceTemplate(
            "母子保健・こころの健康相談",
            ServiceMode.SUPPORT,
            ("maternal_support", "mental_health", "health_checkup", "infants"),
            response_hours=48,
        )
    ],
    "municipality": [
        ServiceTemplate(
            "子ども家庭支援センター",
            ServiceMode.SUPPORT,
            ("parenting_support", "child_abuse_concern", "developmental_disability"),
            response_hours=24,
        )
    ],
    # The elderly pathway (issue 20): the centre is the first door for older people and
    # their carers; the care managers plan long-term care insurance services.
    "comprehensive": [
        ServiceTemplate(
            "高齢者総合相談・家族介護者の相談",
            ServiceMode.SUPPORT,
            (
                "long_term_care_consultation",
                "carer_burnout",
                "carer_support",
                "dementia",
                "isolation_older_people",
                "older_people",
                "family_carers",
                "living_alone",
            ),
            response_hours=48,
        )
    ],
    "care": [
        ServiceTemplate(
            "ケアプラン作成・介護サービスの調整",
            ServiceMode.SUPPORT,
            ("long_term_care_consultation", "dementia", "older_people"),
        )
    ],
}


@dataclass(frozen=True)
class OpportunityTemplate:
    """A role a place offers (issue 19): "we need your help", not only support."""

    title: str
    description: str
    schedule: str
    interest_tags: tuple[str, ...]
    age: tuple[int | None, int | None] = (None, None)


# One role per place of these kinds, taken up through its (only) service. Fixed texts, so
# adding them drew nothing from the random stream: the rest of the network is unchanged.
_OPPORTUNITIES: dict[str, OpportunityTemplate] = {
    "cafeteria": OpportunityTemplate(
        "こども食堂の調理・配膳のお手伝い",
        "食事づくりや配膳、片付けを一緒に。料理が得意でなくても大丈夫です。",
        "開催日の15:00-19:00",
        ("cooking", "volunteering"),
        age=(12, None),
    ),
    "library": OpportunityTemplate(
        "図書館で子どもたちへの絵本の読み聞かせ",
        "おはなし会で絵本を読んでくれる方を募集しています。練習会もあります。",
        "毎月第2土曜 10:30-11:30",
        ("reading", "volunteering"),
        age=(15, None),
    ),
    "salon": OpportunityTemplate(
        "サロンで将棋を教える",
        "将棋を指せる方、子どもや初心者の相手をしてください。",
        "毎週木曜 13:00-16:00",
        ("go_shogi", "volunteering"),
    ),
}

_KIND_OF = {
    "school": OrganisationKind.SCHOOL,
    "cafeteria": OrganisationKind.PLACE,
    "library": OrganisationKind.PLACE,
    "salon": OrganisationKind.PLACE,
    "npo": OrganisationKind.NPO,
    "welfare": OrganisationKind.WELFARE_OFFICE,
    "council": OrganisationKind.SOCIAL_WELFARE_COUNCIL,
    "health": OrganisationKind.HEALTH,
    "municipality": OrganisationKind.MUNICIPALITY,
    "comprehensive": OrganisationKind.COMPREHENSIVE_SUPPORT_CENTRE,
    "care": OrganisationKind.CARE_MANAGEMENT_OFFICE,
}


@dataclass
class Batch:
    """Rows for one municipality, ready for the batched writers in graph/demo.py."""

    organisations: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    partnerships: list[dict[str, Any]] = field(default_factory=list)
    opportunities: list[dict[str, Any]] = field(default_factory=list)


def areas_for(scale: Scale) -> list[AreaRow]:
    """The municipalities (and wards) a scale covers; designated cities with wards drop out."""
    rows = area_rows()[0]
    parents_with_children = {r.parent_code for r in rows if r.kind == AreaKind.WARD}
    leaves = [
        r
        for r in rows
        if r.kind != AreaKind.PREFECTURE
        and r.code not in parents_with_children
        and r.code not in _NO_LOCAL_GOVERNMENT
    ]
    if scale == Scale.NATIONAL:
        return leaves
    root = _SCALE_ROOTS[scale]
    if scale == Scale.PREFECTURE:
        return [r for r in leaves if r.prefecture_code == root[:2]]
    return [r for r in leaves if r.code == root or r.parent_code == root]


def _stable(*parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - demo data


def _centre(area: AreaRow, seed: int, city_name: str | None) -> tuple[float, float]:
    """A stable point for the area: wards around their city's hall, the rest near the capital."""
    if area.kind == AreaKind.WARD and city_name in _CITY_CENTRES:
        lat, lon = _CITY_CENTRES[city_name]
        ward = _stable("ward", seed, area.code)
        return lat + ward.uniform(-0.05, 0.05), lon + ward.uniform(-0.06, 0.06)
    lat, lon = _PREFECTURE_CENTRES[area.prefecture_code]
    spread = (
        0.08
        if area.kind == AreaKind.SPECIAL_WARD
        else (1.4 if area.prefecture_code == "01" else 0.35)
    )
    rng = _stable("centre", seed, area.code)
    return lat + rng.uniform(-spread, spread), lon + rng.uniform(-spread, spread) * 1.2


def _numbered(stems: list[str], index: int) -> str:
    """桜, 東, … and, once the list is used up, 第2桜, 第2東, … so names stay unique."""
    stem = stems[index % len(stems)]
    round_ = index // len(stems)
    return stem if round_ == 0 else f"第{round_ + 1}{stem}"


def _count(rng: random.Random, population: int, per: int, minimum: int = 0) -> int:
    return max(minimum, round(population / per * rng.uniform(0.8, 1.2)))


def municipality_batch(
    area: AreaRow, *, seed: int, prefecture_name: str, city_name: str | None = None
) -> Batch:
    rng = _stable("area", seed, area.code)
    centre = _centre(area, seed, city_name)
    local = area.name.removeprefix(city_name or "")  # 川崎市川崎区 → 川崎区
    batch = Batch()
    # One random stream in a fixed order: the same seed gives the same network.
    for index, (role, name) in enumerate(_plan(area, rng, local)):
        ident = uuid.uuid5(_NAMESPACE, f"{seed}:{area.code}:{index}")
        org_id, loc_id = str(ident), str(uuid.uuid5(ident, "location"))
        point = (centre[0] + rng.gauss(0, 0.012), centre[1] + rng.gauss(0, 0.015))
        batch.organisations.append(_organisation(org_id, role, name, area, rng))
        batch.locations.append(
            _location(loc_id, org_id, name, area, f"{prefecture_name}{area.name}", point, rng)
        )
        batch.services.extend(_services(ident, org_id, loc_id, role, name, rng))
        batch.opportunities.extend(_opportunities(ident, org_id, loc_id, role, area))
    batch.partnerships = _local_partnerships(batch.organisations, rng)
    return batch


def _plan(area: AreaRow, rng: random.Random, local: str) -> list[tuple[str, str]]:
    """The organisations of a municipality, as (role, name): its offices, then schools,
    libraries, cafeterias, salons and NPOs in numbers that follow its population, then its
    regional comprehensive support centre and a care management office."""
    population = _POPULATION[area.kind]
    municipal = "区" if area.kind in (AreaKind.WARD, AreaKind.SPECIAL_WARD) else "市"
    office = (
        f"{area.name}役所"
        if municipal == "区" or area.kind == AreaKind.CITY
        else f"{area.name}役場"
    )
    plan: list[tuple[str, str]] = [
        ("municipality", f"{office} 子ども家庭課"),
        ("welfare", f"{area.name}福祉事務所"),
        ("council", f"{area.name}社会福祉協議会"),
        ("health", f"{area.name}保健センター"),
    ]
    for i in range(_count(rng, population, _RESIDENTS_PER["school"], minimum=1)):
        level = "中学校" if i % 3 == 2 else "小学校"
        plan.append(("school", f"{area.name}立{_numbered(_SCHOOL_STEMS, i)}{level}"))
    for i in range(_count(rng, population, _RESIDENTS_PER["library"], minimum=1)):
        stem = "中央" if i == 0 else _numbered(_SCHOOL_STEMS, i)
        plan.append(("library", f"{area.name}立{stem}図書館"))
    for i in range(_count(rng, population, _RESIDENTS_PER["cafeteria"])):
        plan.append(("cafeteria", f"{local}{_numbered(_PLACE_STEMS, i)}こども食堂"))
    for i in range(_count(rng, population, _RESIDENTS_PER["salon"])):
        plan.append(("salon", f"{local}ふれあいサロン{_numbered(_PLACE_STEMS, i + 3)}"))
    for i in range(_count(rng, population, _RESIDENTS_PER["npo"])):
        # 12 stems x 6 suffixes give 72 distinct names before any needs a number.
        stem = _NPO_STEMS[i % len(_NPO_STEMS)]
        suffix = _numbered(_NPO_SUFFIXES, i // len(_NPO_STEMS))
        plan.append(("npo", f"NPO法人{stem}{suffix}（{local}）"))
    # Last, so every organisation before them keeps its id and its draws.
    plan.append(("comprehensive", f"{local}地域包括支援センター"))
    plan.append(("care", f"{local}居宅介護支援事業所"))
    return plan


def _organisation(
    org_id: str, role: str, name: str, area: AreaRow, rng: random.Random
) -> dict[str, Any]:
    return {
        "id": org_id,
        "name": name,
        "kind": _KIND_OF[role].value,
        "area_code": area.code,
        "description": _SERVICES[role][0].name,
        "website": None,
        "email": None,
        "phone": f"0{rng.randint(3, 99)}-{rng.randint(100, 9999)}-{rng.randint(1000, 9999)}",
    }


def _location(
    loc_id: str,
    org_id: str,
    name: str,
    area: AreaRow,
    town: str,
    point: tuple[float, float],
    rng: random.Random,
) -> dict[str, Any]:
    chome = _CHOME[rng.randrange(len(_CHOME))]
    return {
        "id": loc_id,
        "organisation_id": org_id,
        "name": name,
        "area_code": area.code,
        "address": f"{town}{chome}{rng.randint(1, 5)}丁目{rng.randint(1, 30)}-{rng.randint(1, 20)}",
        "postal_code": f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}",
        "latitude": round(point[0], 6),
        "longitude": round(point[1], 6),
    }


def _services(
    ident: uuid.UUID, org_id: str, loc_id: str, role: str, name: str, rng: random.Random
) -> list[dict[str, Any]]:
    """One of the role's services, sometimes two (each with its own day and capacity)."""
    templates = _SERVICES[role]
    chosen = (
        [templates[0]]
        if len(templates) == 1
        else rng.sample(templates, k=min(len(templates), 1 + (rng.random() < 0.35)))
    )
    services = []
    for s_index, template in enumerate(chosen):
        day = _WEEKDAYS[rng.randrange(7)]
        services.append(
            {
                "id": str(uuid.uuid5(ident, f"service:{s_index}")),
                "organisation_id": org_id,
                "location_ids": [loc_id],
                "name": f"{template.name}（{name}）" if role != "cafeteria" else name,
                "description": f"{template.name}。毎週{day}曜日に開催。",
                "mode": template.mode.value,
                "age_min": template.age[0],
                "age_max": template.age[1],
                "languages": ["ja", "en"] if rng.random() < 0.1 else ["ja"],
                "schedule": f"毎週{day}曜 {rng.choice(['10', '13', '16', '17'])}:00-",
                "accepts_referrals": template.accepts_referrals,
                "response_target_hours": template.response_hours,
                "capacity_status": rng.choices(list(CapacityStatus), weights=(70, 20, 10))[0].value,
                "tags": list(template.tags),
            }
        )
    return services


def _opportunities(
    ident: uuid.UUID, org_id: str, loc_id: str, role: str, area: AreaRow
) -> list[dict[str, Any]]:
    """The place's role, if its kind offers one, through its first service, at its place."""
    template = _OPPORTUNITIES.get(role)
    if template is None:
        return []
    return [
        {
            "id": str(uuid.uuid5(ident, "opportunity:0")),
            "organisation_id": org_id,
            "service_id": str(uuid.uuid5(ident, "service:0")),
            "location_id": loc_id,
            "title": template.title,
            "description": template.description,
            "schedule": template.schedule,
            "age_min": template.age[0],
            "age_max": template.age[1],
            "area_code": area.code,
            "interest_tags": list(template.interest_tags),
        }
    ]


def _local_partnerships(
    organisations: list[dict[str, Any]], rng: random.Random
) -> list[dict[str, Any]]:
    """Partnerships cluster locally: the municipality's offices link to most places."""
    hubs = organisations[:4]  # municipality, welfare office, council, health centre
    links: dict[tuple[str, str], dict[str, Any]] = {}

    def link(a: str, b: str, shares: bool) -> None:
        x, y = sorted((a, b))
        since = date(2015 + rng.randrange(10), rng.randint(1, 12), 1).isoformat()
        links.setdefault((x, y), {"a": x, "b": y, "since": since, "shares_data": shares})

    for i, hub in enumerate(hubs):
        for other in hubs[i + 1 :]:
            link(hub["id"], other["id"], True)
    for org in organisations[4:]:
        for hub in rng.sample(hubs, k=rng.randint(1, 2)):
            link(org["id"], hub["id"], org["kind"] != "PLACE" and rng.random() < 0.5)
        if len(organisations) > 6 and rng.random() < 0.6:
            other = organisations[4 + rng.randrange(len(organisations) - 4)]
            if other["id"] != org["id"]:
                link(org["id"], other["id"], False)
    return list(links.values())


def batches(scale: Scale, *, seed: int) -> Iterator[Batch]:
    prefectures = {
        r.prefecture_code: r.name for r in area_rows()[0] if r.kind == AreaKind.PREFECTURE
    }
    cities = {r.code: r.name for r in area_rows()[0] if r.kind == AreaKind.DESIGNATED_CITY}
    for area in areas_for(scale):
        yield municipality_batch(
            area,
            seed=seed,
            prefecture_name=prefectures[area.prefecture_code],
            city_name=cities.get(area.parent_code or ""),
        )
