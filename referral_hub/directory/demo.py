"""A deterministic demo network, so `make run` shows something real on first start.

The same seed always gives the same ids (UUID5), so loading twice changes nothing.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from referral_hub.directory.rules import OrganisationKind

_NAMESPACE = uuid.UUID("5b8f3c1e-2d7a-4e55-9c0b-7a1f2e3d4c5b")

# Setagaya (131121) and Meguro (131105), Tokyo: real JIS X 0402 codes.
AREAS = {"131121": "世田谷区", "131105": "目黒区"}

_TOWN_ORGANISATIONS: list[tuple[OrganisationKind, str, str]] = [
    (OrganisationKind.SCHOOL, "{area}立第一中学校", "公立中学校。スクールカウンセラー週2日。"),
    (OrganisationKind.SCHOOL, "{area}立桜小学校", "公立小学校。"),
    (OrganisationKind.SCHOOL, "{area}立けやき小学校", "公立小学校。"),
    (OrganisationKind.WELFARE_OFFICE, "{area}福祉事務所", "生活保護・子ども家庭支援の窓口。"),
    (OrganisationKind.SOCIAL_WELFARE_COUNCIL, "{area}社会福祉協議会", "地域福祉の要。"),
    (
        OrganisationKind.PLACE,
        "みんなの子ども食堂 {area}",
        "毎週水曜の夕食。誰でも来られる交流型の居場所。",
    ),
    (OrganisationKind.PLACE, "{area}中央図書館", "学習スペースとティーンズコーナー。"),
    (OrganisationKind.PLACE, "ふれあいサロン{area}", "高齢者と子どもの多世代交流サロン。"),
    (
        OrganisationKind.NPO,
        "NPO法人 {area}まなびの森",
        "不登校の子どもの学習支援とフリースクール。",
    ),
    (OrganisationKind.NPO, "NPO法人 {area}こもれび", "ひとり親家庭の相談と食料支援。"),
    (OrganisationKind.HEALTH, "{area}保健センター", "母子保健と思春期相談。"),
    (OrganisationKind.MUNICIPALITY, "{area}役所 子ども家庭課", "自治体の子ども家庭支援部門。"),
]


def demo_organisations(*, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    rows = []
    for area_code, area_name in AREAS.items():
        for index, (kind, name, description) in enumerate(_TOWN_ORGANISATIONS):
            rows.append(
                {
                    "id": str(uuid.uuid5(_NAMESPACE, f"{seed}:{area_code}:{index}")),
                    "name": name.format(area=area_name),
                    "kind": kind.value,
                    "description": description,
                    "area_code": area_code,
                    "website": None,
                    "email": None,
                    "phone": f"03-{rng.randint(3000, 6999)}-{rng.randint(1000, 9999)}",
                }
            )
    return rows
