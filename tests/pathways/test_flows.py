"""flows on a hand-built network: perturbed cells (record keys fixed, so every figure is
known), small cells hidden whole, whole months only, typed refusals. The attacks on these
figures are in test_disclosure_attacks.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from referral_hub.accounts.roles import Role
from referral_hub.pathways.disclosure import perturbed
from tests import directory_fixtures
from tests.conftest import member
from tests.pathways import cell_keys
from tests.referrals.flows import REGISTER, build_case, create, give_consent, move
from tests.referrals.test_inbox import many_referrals

FLOWS = """
query($area: String!, $since: Date!, $until: Date!, $by: FlowGroupBy) {
  flows(area: $area, since: $since, until: $until, groupBy: $by) {
    cells { source { name kind } target { name kind } referrals acceptanceRate
            completionRate medianDaysToAccept }
    suppressedCells shownReferrals totalReferrals
  }
}"""
INBOX_IDS = "{ inbox(first: 50) { edges { node { id } } } }"
THIS_MONTH = datetime.now(ZoneInfo("Asia/Tokyo")).date().replace(day=1)
PERIOD = {
    "since": THIS_MONTH.isoformat(),
    "until": (THIS_MONTH + timedelta(days=32)).replace(day=1).isoformat(),
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
    cell_keys.fix(0)  # every cell key 0: the published figures are known
    return network


@pytest.mark.usefixtures("flows_network")
def test_cells_by_kind_and_by_organisation():
    coordinator = member(
        "coordinator",
        directory_fixtures.build_auditor_org("川崎市 こども未来局", "141305"),
        Role.COORDINATOR,
    )
    by_kind = coordinator(FLOWS, {"area": "141305", **PERIOD})["data"]["flows"]
    # 桜中学校 → NPO: 2 referrals, published 2 + 1 = 3: hidden whole.
    assert perturbed(2, 0) is None
    assert by_kind["suppressedCells"] == 1
    [cell] = by_kind["cells"]
    assert (cell["source"], cell["target"]) == (
        {"name": None, "kind": "SCHOOL"},
        {"name": None, "kind": "WELFARE_OFFICE"},
    )
    # 5 referrals, 3 accepted of 4 decided, none completed; published with cell key 0.
    assert cell["referrals"] == perturbed(5, 0) == 8
    assert by_kind["shownReferrals"] == 8
    assert by_kind["totalReferrals"] == perturbed(7, 0) == 8  # its own cell, not a sum
    assert perturbed(3, 0) is None  # 3 accepted → 1: no rate, no median
    assert perturbed(4, 0) is None
    assert cell["acceptanceRate"] is None
    assert cell["completionRate"] is None
    assert cell["medianDaysToAccept"] is None

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
        "totalReferrals": 0,
    }


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"since": "2026-03-01", "until": "2026-03-01"}, "INVALID"),
        ({"since": "2020-01-01", "until": "2026-01-01"}, "OUT_OF_RANGE"),
        ({"since": "2026-03-02", "until": "2026-04-01"}, "INVALID"),  # not a whole month
        ({"since": "2026-03-01", "until": "2026-03-31"}, "INVALID"),
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
