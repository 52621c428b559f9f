"""coverage's murmurs and どこか measured (issue 19), on a hand-built 川崎市 with a frozen
clock, where every count is known."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from graph import clock, concern_signal_repo, pathway_repo, session
from graph.session import count_round_trips
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from referral_hub.directory import reference_data
from referral_hub.pathways.disclosure import perturbed, rate
from referral_hub.referrals.handoff import CONNECTING_OUTCOMES
from tests.conftest import member
from tests.directory_fixtures import KAWASAKI, KAWASAKI_KU, NAKAHARA_KU, SETAGAYA, _loc, _org, _svc

JAPAN = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 5, 15, 12, 0, tzinfo=JAPAN)
COVERAGE = """
query($area: String!) {
  coverage(area: $area) {
    concerns { areaCode areaName need month heard places }
    concernGaps { areaCode need }
    somewhere { month registered connected unconnected share }
  }
}"""


@pytest.fixture
def city(graph_db, db):
    """A children's cafeteria in 川崎区 for eating alone; the city's coordinator."""
    cafe = _org("みんなの子ども食堂", "PLACE", KAWASAKI_KU)
    _svc(
        cafe,
        _loc(cafe, "会場", KAWASAKI_KU, 35.53, 139.70),
        "子ども食堂",
        "EXCHANGE",
        ["eating_alone"],
    )
    coordinator = member("coordinator", _org("川崎市", "MUNICIPALITY", KAWASAKI), Role.COORDINATOR)
    return cafe, coordinator


def heard(cafe, area, need, month, times):
    for _ in range(times):
        signal_id = str(uuid.uuid4())
        concern_signal_repo.concern_signal_record(
            fields={
                "id": signal_id,
                "month": month,
                "ageBand": "UNKNOWN",
                "needTag": need,
                "areaCode": area,
                "organisationId": cafe,
            },
            audit=audit_record(SYSTEM, "CONCERN_SIGNAL_RECORD", "ConcernSignal", signal_id),
        )


def ask(coordinator, area=KAWASAKI):
    with clock.frozen_at(NOW):
        return coordinator(COVERAGE, {"area": area})["data"]["coverage"]


def test_concerns_by_area_need_and_month_with_small_counts_hidden(city):
    cafe, coordinator = city
    # The cafeteria's organisation is in 川崎区; a city-level place records for any ward,
    # so the wards' signals are written as the city's coordinator's area allows.
    session.autocommit(
        "MATCH (o:Organisation {id: $id}) SET o.areaCode = $city", id=cafe, city=KAWASAKI
    )
    heard(cafe, KAWASAKI_KU, "eating_alone", date(2026, 5, 1), 5)  # shown, a place for it
    heard(cafe, KAWASAKI_KU, "bullying", date(2026, 5, 1), 3)  # hidden
    heard(cafe, KAWASAKI_KU, "bullying", date(2026, 4, 1), 2)  # hidden; 5 in 3 months: a gap
    heard(cafe, NAKAHARA_KU, "hikikomori", date(2026, 3, 1), 5)  # shown; no place: a gap
    heard(cafe, NAKAHARA_KU, "hikikomori", date(2026, 2, 1), 4)  # hidden, before the window
    heard(cafe, KAWASAKI_KU, "study_support", date(2025, 5, 1), 7)  # 13 months back: out
    answer = ask(coordinator)
    assert [
        (c["areaCode"], c["need"], c["month"], c["heard"], c["places"]) for c in answer["concerns"]
    ] == [
        (KAWASAKI_KU, "bullying", "2026-05-01", None, 0),
        (KAWASAKI_KU, "eating_alone", "2026-05-01", 5, 1),
        (KAWASAKI_KU, "bullying", "2026-04-01", None, 0),
        (NAKAHARA_KU, "hikikomori", "2026-03-01", 5, 0),
        (NAKAHARA_KU, "hikikomori", "2026-02-01", None, 0),
    ]
    assert answer["concerns"][0]["areaName"] == "川崎市川崎区"
    assert [(g["areaCode"], g["need"]) for g in answer["concernGaps"]] == [
        (KAWASAKI_KU, "bullying"),
        (NAKAHARA_KU, "hikikomori"),
    ]
    # 4 hidden, 5 shown: two more in May make May's bullying cell 5.
    heard(cafe, KAWASAKI_KU, "bullying", date(2026, 5, 1), 1)
    assert ask(coordinator)["concerns"][0]["heard"] is None
    heard(cafe, KAWASAKI_KU, "bullying", date(2026, 5, 1), 1)
    assert ask(coordinator)["concerns"][0] == {
        "areaCode": KAWASAKI_KU,
        "areaName": "川崎市川崎区",
        "need": "bullying",
        "month": "2026-05-01",
        "heard": 5,
        "places": 0,
    }
    # A ward asked alone shows its own cells, the same as in the city's answer.
    ward = ask(coordinator, NAKAHARA_KU)
    assert [(c["month"], c["heard"]) for c in ward["concerns"]] == [
        ("2026-03-01", 5),
        ("2026-02-01", None),
    ]
    assert [g["need"] for g in ward["concernGaps"]] == ["hikikomori"]


def test_a_place_for_the_need_closes_the_gap(city):
    cafe, coordinator = city
    heard(cafe, KAWASAKI_KU, "bullying", date(2026, 5, 1), 6)
    assert [g["need"] for g in ask(coordinator)["concernGaps"]] == ["bullying"]
    npo = _org("NPO法人ひだまり", "NPO", KAWASAKI_KU)
    _svc(npo, _loc(npo, "ひだまり", KAWASAKI_KU, 35.53, 139.70), "居場所", "EXCHANGE", ["bullying"])
    answer = ask(coordinator)
    assert answer["concernGaps"] == []
    assert answer["concerns"][0]["places"] == 1


def test_signals_outside_the_area_are_not_counted(city):
    _, coordinator = city
    setagaya = _org("世田谷の居場所", "PLACE", SETAGAYA)
    _svc(
        setagaya,
        _loc(setagaya, "会場", SETAGAYA, 35.64, 139.65),
        "居場所",
        "EXCHANGE",
        ["eating_alone"],
    )
    heard(setagaya, SETAGAYA, "bullying", date(2026, 5, 1), 6)
    assert ask(coordinator)["concerns"] == []
    assert ask(coordinator)["concernGaps"] == []


def test_coverage_stays_one_statement(city):
    cafe, coordinator = city
    heard(cafe, KAWASAKI_KU, "bullying", date(2026, 5, 1), 5)
    with count_round_trips() as trips:
        ask(coordinator)
    coverage = [s for s in trips.statements if "ConcernSignal" in s]
    assert len(coverage) == 1
    assert "Subject" in coverage[0]
    assert "empty_areas" in coverage[0]
    assert trips.count == 2  # the coordinator's own area, then coverage


# どこか measured: subjects and their connections written as they would stand on known days.
_SUBJECT = """
CREATE (:Subject {id: $id, areaCode: $area, createdAt: datetime($created), cellKey: 0,
                  erasedAt: CASE WHEN $erased IS NULL THEN null ELSE datetime($erased) END})
"""
_CONNECTION = """
MATCH (s:Subject {id: $subject})
CREATE (:Referral {id: randomUUID(), state: 'COMPLETED', outcome: $outcome,
                   closedAt: datetime($closed), cellKey: 0})-[:FOR]->(s)
"""


def subject(name, created, *, area=KAWASAKI_KU, erased=None, connections=()):
    session.autocommit(_SUBJECT, id=name, area=area, created=created, erased=erased)
    for closed, outcome in connections:
        session.autocommit(_CONNECTION, subject=name, closed=closed, outcome=outcome)


def test_a_role_taken_up_is_a_connection_and_one_stopped_or_declined_is_not(city):
    """CONNECTING_OUTCOMES (handoff.py): an OFFER_ROLE referral completed TOOK_UP found the
    person a place; TRIED_AND_STOPPED and DECLINED_ROLE did not."""
    before = "2025-01-10T10:00:00+09:00"
    subject("took", before, connections=[("2026-03-10T10:00:00+09:00", "TOOK_UP")])
    subject("stopped", before, connections=[("2026-03-10T10:00:00+09:00", "TRIED_AND_STOPPED")])
    subject("declined", before, connections=[("2026-03-10T10:00:00+09:00", "DECLINED_ROLE")])
    with clock.frozen_at(NOW):
        row = pathway_repo.coverage(
            area=KAWASAKI,
            area_codes=reference_data.area_codes_within(KAWASAKI),
            months=6,
            connecting_outcomes=list(CONNECTING_OUTCOMES),
        )
    assert row is not None
    may = row["somewhere"][-1]
    assert (may["month"].isoformat(), may["registered"], may["connected"]) == ("2026-05-01", 3, 1)


def test_somewhere_measured_month_by_month(city):
    _, coordinator = city
    before = "2025-01-10T10:00:00+09:00"
    for n in range(1, 6):  # connected in September 2025
        subject(f"s{n}", before, connections=[("2025-09-10T10:00:00+09:00", "CONNECTED")])
    # Completed, but the person declined: not a connection.
    subject("s6", before, connections=[("2025-09-10T10:00:00+09:00", "CLIENT_DECLINED")])
    for n in range(7, 12):  # registered in February 2026, never connected
        subject(f"s{n}", "2026-02-03T10:00:00+09:00")
    subject("s12", before, erased="2025-12-20T10:00:00+09:00")  # erased in December
    # Connected on 20 May 2025: inside the twelve months before every month's end up to
    # April 2026 (end 1 May 2026), outside for May 2026 (end 1 June 2026).
    subject("s13", before, connections=[("2025-05-20T10:00:00+09:00", "CONNECTED")])
    subject("elsewhere", before, area=SETAGAYA)
    with clock.frozen_at(NOW):
        row = pathway_repo.coverage(
            area=KAWASAKI,
            area_codes=reference_data.area_codes_within(KAWASAKI),
            months=6,
            connecting_outcomes=list(CONNECTING_OUTCOMES),
        )
    assert row is not None
    truth = {m["month"].isoformat(): (m["registered"], m["connected"]) for m in row["somewhere"]}
    expected = {
        **{m: (8, 1) for m in ("2025-06-01", "2025-07-01", "2025-08-01")},
        **{m: (8, 6) for m in ("2025-09-01", "2025-10-01", "2025-11-01")},
        **{m: (7, 6) for m in ("2025-12-01", "2026-01-01")},
        **{m: (12, 6) for m in ("2026-02-01", "2026-03-01", "2026-04-01")},
        "2026-05-01": (12, 5),
    }
    assert truth == expected
    published = ask(coordinator)["somewhere"]
    assert [m["month"] for m in published] == [
        f"{y}-{m:02d}-01"
        for y, m in [
            (2025, 6),
            (2025, 7),
            (2025, 8),
            (2025, 9),
            (2025, 10),
            (2025, 11),
            (2025, 12),
            (2026, 1),
            (2026, 2),
            (2026, 3),
            (2026, 4),
            (2026, 5),
        ]
    ]
    for month in published:
        registered, connected = expected[month["month"]]
        shown = (perturbed(registered, 0), perturbed(connected, 0))
        assert (month["registered"], month["connected"]) == shown
        assert month["unconnected"] == perturbed(registered - connected, 0)
        assert month["share"] == rate(*reversed(shown))
    # Cell key 0 everywhere: the figures a reader can check by hand.
    may = published[-1]
    assert (perturbed(12, 0), perturbed(5, 0), perturbed(7, 0)) == (
        may["registered"],
        may["connected"],
        may["unconnected"],
    )
    june = published[0]
    assert june["connected"] is None  # one person: hidden
    assert june["share"] is None


def test_the_demo_murmurs_show_a_gap(city):
    from referral_hub.pathways import demo_murmurs

    _, coordinator = city
    written = demo_murmurs.seed(area=KAWASAKI_KU, months=6, seed=1)
    assert written is not None
    assert written >= demo_murmurs.GAP_SIGNALS
    assert demo_murmurs.seed(area=KAWASAKI_KU) is None  # once only
    answer = coordinator(COVERAGE, {"area": KAWASAKI})["data"]["coverage"]
    assert {"areaCode": KAWASAKI_KU, "need": "hikikomori"} in answer["concernGaps"]
    assert "eating_alone" not in [g["need"] for g in answer["concernGaps"]]  # the cafeteria's


def test_make_demo_shows_murmurs_and_a_gap_in_the_demo_city(graph_db, db):
    """川崎市 as `make demo` loads it, then its murmurs: the coordinator sees a gap."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", scale="city", seed=1, stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("seed_demo_murmurs", stdout=out)
    assert "demo murmurs:" in out.getvalue()
    coordinator = member("coordinator", _org("川崎市", "MUNICIPALITY", KAWASAKI), Role.COORDINATOR)
    answer = coordinator(COVERAGE, {"area": KAWASAKI})["data"]["coverage"]
    assert answer["concernGaps"]
    assert all(g["areaCode"] == KAWASAKI_KU for g in answer["concernGaps"])
    assert any((c["heard"] or 0) >= 5 and c["places"] == 0 for c in answer["concerns"])
    assert any(c["places"] > 0 for c in answer["concerns"])  # murmurs beside places too
