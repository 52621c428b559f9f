"""A small hand-built elderly network in 川崎区 whose answers are known (issue 20).

    サロン ─ 社協 ─ 包括 ─ 居宅        (partnerships; 川崎区 141313)
    みなとサロン (PLACE)               EXCHANGE  older_people, isolation_older_people, go_shogi
    川崎区社会福祉協議会 (COUNCIL)      SUPPORT   volunteering, loneliness_isolation
    川崎区地域包括支援センター (CENTRE) SUPPORT   long_term_care_consultation, carer_burnout,
                                                  carer_support, dementia, family_carers,
                                                  older_people, living_alone   ~0.5 km north
    川崎区居宅介護支援事業所 (CARE)     SUPPORT   long_term_care_consultation, dementia
                                                  ~3 km north

The salon sits at 35.5310, 139.7000. Distances are along a meridian, so they are known.
"""

from __future__ import annotations

from referral_hub.accounts.actor import SYSTEM
from referral_hub.directory import services
from tests.directory_fixtures import KAWASAKI_KU, Network, _loc, _org, _svc

SALON_AT = (35.5310, 139.7000)
KM_LAT = 1 / 111.0


def _north(km: float) -> float:
    return SALON_AT[0] + km * KM_LAT


def build() -> Network:
    ids: dict[str, str] = {}
    ids["salon_org"] = _org("みなとサロン", "PLACE", KAWASAKI_KU)
    ids["council"] = _org("川崎区社会福祉協議会", "SOCIAL_WELFARE_COUNCIL", KAWASAKI_KU)
    ids["centre_org"] = _org(
        "川崎区地域包括支援センター", "COMPREHENSIVE_SUPPORT_CENTRE", KAWASAKI_KU
    )
    ids["care_org"] = _org("川崎区居宅介護支援事業所", "CARE_MANAGEMENT_OFFICE", KAWASAKI_KU)
    for a, b in (("salon_org", "council"), ("council", "centre_org"), ("centre_org", "care_org")):
        services.partnership_add(actor=SYSTEM, organisation_id=ids[a], partner_id=ids[b])

    salon_loc = _loc(ids["salon_org"], "みなと会館", KAWASAKI_KU, *SALON_AT)
    council_loc = _loc(ids["council"], "社協会館", KAWASAKI_KU, _north(1.5), SALON_AT[1])
    centre_loc = _loc(ids["centre_org"], "包括センター", KAWASAKI_KU, _north(0.5), SALON_AT[1])
    care_loc = _loc(ids["care_org"], "居宅事業所", KAWASAKI_KU, _north(3.0), SALON_AT[1])
    ids["salon"] = _svc(
        ids["salon_org"],
        salon_loc,
        "多世代交流サロン",
        "EXCHANGE",
        ["older_people", "isolation_older_people", "go_shogi"],
        response_target_hours=168,
    )
    ids["volunteers"] = _svc(
        ids["council"],
        council_loc,
        "ボランティアセンター",
        "SUPPORT",
        ["volunteering", "loneliness_isolation"],
    )
    ids["centre"] = _svc(
        ids["centre_org"],
        centre_loc,
        "高齢者総合相談・家族介護者の相談",
        "SUPPORT",
        [
            "long_term_care_consultation",
            "carer_burnout",
            "carer_support",
            "dementia",
            "family_carers",
            "older_people",
            "living_alone",
        ],
        response_target_hours=48,
    )
    ids["care"] = _svc(
        ids["care_org"],
        care_loc,
        "ケアプラン作成・介護サービスの調整",
        "SUPPORT",
        ["long_term_care_consultation", "dementia"],
    )
    return Network(ids)
