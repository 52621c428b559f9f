"""flows on a hand-built network: exact cells, small cells hidden whole, typed refusals."""

from datetime import date, timedelta

import pytest

from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import member
from tests.referrals.flows import REGISTER, build_case, create, give_consent, move
from tests.referrals.test_inbox import many_referrals

FLOWS = """
query($area: String!, $since: Date!, $until: Date!, $by: FlowGroupBy) {
  flows(area: $area, since: $since, until: $until, groupBy: $by) {
    cells { source { name kind } target { name kind } referrals acceptanceRate
            completionRate medianDaysToAccept }
    suppressedCells shownReferrals
  }
}"""
INBOX_IDS = "{ inbox(first: 50) { edges { node { id } } } }"
TODAY = date.today()
PERIOD = {
    "since": (TODAY - timedelta(days=30)).isoformat(),
    "until": (TODAY + timedelta(days=1)).isoformat(),
}


@pytest.fixture
def flows_network(graph_db, db, redis_db):
    network, people, _ = build_case()
    many_referrals(network, people, 5)  # 桜中学校 → 世田谷区福祉事務所
    welfare_ids = [r["node"]["id"] for r in people["welfare"](INBOX_IDS)["data"]["inbox"]["edges"]]
    for referral in welfare_ids[:3]:
        assert move(people["welfare"], referral, "ACKNOWLEDGE", 1)["errors"] == []
        assert move(people["welfare"], referral, "ACCEPT", 2)["errors"] == []
    assert (
        move(people["welfare"], welfare_ids[3], "DECLINE", 1, reason="NO_CAPACITY")["errors"] == []
    )
    for _ in range(2):  # 桜中学校 → NPO法人まなびの森: too few to show
        subject = people["counsellor"](REGISTER)["data"]["registerSubject"]["subject"]["id"]
        give_consent(people, subject, organisationIds=[network["npo"]])
        sent = create(people, subject, network["study"], acceptWaitlist=True)
        assert sent["data"]["createReferral"]["errors"] == []
    return network


@pytest.mark.usefixtures("flows_network")
def test_cells_by_kind_and_by_organisation():
    coordinator = member(
        "coordinator",
        directory_fixtures.build_auditor_org("川崎市 こども未来局", "141305"),
        Role.COORDINATOR,
    )
    by_kind = coordinator(FLOWS, {"area": "141305", **PERIOD})["data"]["flows"]
    assert by_kind["suppressedCells"] == 1  # 桜中学校 → NPO: 2 referrals, hidden whole
    assert by_kind["shownReferrals"] == 5
    [cell] = by_kind["cells"]
    assert (cell["source"], cell["target"]) == (
        {"name": None, "kind": "SCHOOL"},
        {"name": None, "kind": "WELFARE_OFFICE"},
    )
    assert cell["referrals"] == 5
    assert cell["acceptanceRate"] == pytest.approx(0.75)
    assert cell["completionRate"] == 0.0
    assert cell["medianDaysToAccept"] == pytest.approx(0.0, abs=0.01)

    by_org = coordinator(FLOWS, {"area": "141305", "by": "ORGANISATION", **PERIOD})
    [cell] = by_org["data"]["flows"]["cells"]
    assert (cell["source"]["name"], cell["target"]["name"]) == (
        "川崎市立桜中学校",
        "世田谷区福祉事務所",
    )

    empty = {"since": "2020-01-01", "until": "2020-02-01"}
    assert coordinator(FLOWS, {"area": "141305", **empty})["data"]["flows"] == {
        "cells": [],
        "suppressedCells": 0,
        "shownReferrals": 0,
    }


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"since": "2026-03-01", "until": "2026-03-01"}, "INVALID"),
        ({"since": "2020-01-01", "until": "2026-01-01"}, "OUT_OF_RANGE"),
        ({"area": "131121"}, "FORBIDDEN"),
        ({"area": "999999"}, "UNKNOWN_AREA"),
    ],
)
def test_refusals(graph_db, db, variables, code):
    coordinator = member(
        "coordinator",
        directory_fixtures.build_auditor_org("川崎市 こども未来局", "141305"),
        Role.COORDINATOR,
    )
    body = coordinator(FLOWS, {"area": "141305", **PERIOD, **variables})
    assert body["errors"][0]["extensions"]["code"] == code
