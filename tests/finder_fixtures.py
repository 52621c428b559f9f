"""A network for the public finder's tests, on top of tests/directory_fixtures.py, whose
answers are known: four open exchange-type places, and one of each kind the finder must
leave out (a support service, a deactivated service, a service of a deactivated
organisation, a service at a deactivated location), plus two opportunities and an
inactive one (tests/pages/opportunity_fixture.py)."""

from __future__ import annotations

from referral_hub.accounts.actor import SYSTEM
from referral_hub.directory import services
from tests import directory_fixtures
from tests.directory_fixtures import KAWASAKI_KU, NAKAHARA_KU, SETAGAYA, Network, _loc, _org, _svc
from tests.pages.opportunity_fixture import create_opportunity


def build() -> Network:
    network = directory_fixtures.build()
    ids = network.ids
    ids["library"] = _org("川崎市立中原図書館", "PLACE", NAKAHARA_KU)
    ids["library_loc"] = _loc(ids["library"], "中原図書館", NAKAHARA_KU, 35.5765, 139.6595)
    ids["storytime"] = _svc(
        ids["library"],
        ids["library_loc"],
        "おはなし会",
        "EXCHANGE",
        ["reading"],
        schedule="毎週土曜 11:00-11:30",
        age_min=3,
        age_max=10,
        description="絵本の読み聞かせ。だれでも来られます。",
    )
    ids["games_loc"] = _loc(ids["cafe_org"], "駅前ひろば", KAWASAKI_KU, 35.5320, 139.7000)
    ids["games"] = _svc(
        ids["cafe_org"], ids["games_loc"], "ボードゲームの会", "EXCHANGE", ["board_games"]
    )
    ids["go_org"] = _org("世田谷囲碁クラブ", "NPO", SETAGAYA)
    ids["go_loc"] = _loc(ids["go_org"], "区民会館", SETAGAYA, 35.6470, 139.6530)
    ids["go"] = _svc(ids["go_org"], ids["go_loc"], "囲碁サロン", "EXCHANGE", ["go_shogi"])
    _left_out(ids)
    _opportunities(ids)
    return network


def _left_out(ids: dict[str, str]) -> None:
    """What a public search must never return, each with the `reading` interest."""
    ids["reading_support"] = _svc(
        ids["library"], ids["library_loc"], "読書支援（個別）", "SUPPORT", ["reading"]
    )
    ids["paused"] = _svc(
        ids["library"], ids["library_loc"], "休止中の読書会", "EXCHANGE", ["reading"]
    )
    services.service_deactivate(actor=SYSTEM, service_id=ids["paused"])
    ids["closed_org"] = _org("閉じた居場所", "PLACE", NAKAHARA_KU)
    closed_loc = _loc(ids["closed_org"], "閉じた会場", NAKAHARA_KU, 35.5770, 139.6600)
    _svc(ids["closed_org"], closed_loc, "閉じた読書会", "EXCHANGE", ["reading"])
    services.organisation_deactivate(actor=SYSTEM, organisation_id=ids["closed_org"])
    old_loc = _loc(ids["library"], "旧分室", NAKAHARA_KU, 35.5780, 139.6610)
    _svc(ids["library"], old_loc, "旧分室の読書会", "EXCHANGE", ["reading"])
    services.location_deactivate(actor=SYSTEM, location_id=old_loc)


def _opportunities(ids: dict[str, str]) -> None:
    ids["read_aloud"] = create_opportunity(
        organisation_id=ids["library"],
        service_id=ids["storytime"],
        title="絵本の読み聞かせボランティア",
        area_code=NAKAHARA_KU,
        tag_codes=["reading", "volunteering"],
        location_id=ids["library_loc"],
        schedule="第2土曜 10:00-11:00",
        age_min=15,
    )
    ids["cook_help"] = create_opportunity(
        organisation_id=ids["cafe_org"],
        service_id=ids["cafe"],
        title="子ども食堂の調理の手伝い",
        area_code=KAWASAKI_KU,
        tag_codes=["cooking", "volunteering"],
        location_id=ids["cafe_loc"],
    )
    ids["old_role"] = create_opportunity(
        organisation_id=ids["cafe_org"],
        service_id=ids["cafe"],
        title="終わった役割",
        area_code=KAWASAKI_KU,
        tag_codes=["cooking"],
        active=False,
    )
