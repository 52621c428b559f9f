"""The nightly responsiveness figures, computed by a real worker and shown in the directory."""

import pytest

from graph import session
from referral_hub.referrals import tasks as referral_tasks
from tests.referrals.flows import move
from tests.referrals.test_inbox import many_referrals

pytestmark = pytest.mark.celery


@pytest.fixture
def case(graph_db, db, redis_db):
    from tests.referrals.flows import build_case

    return build_case()


SERVICE = """query($id: ID!) { service(id: $id) { responsiveness {
  replyBand acceptanceBand completionBand summary } } }"""
_ACK_AFTER = """
MATCH (r:Referral {id: $id}) SET r.sentAt = r.acknowledgedAt - duration({hours: $hours})
"""
_IDS = "MATCH (r:Referral) RETURN r.id AS id ORDER BY r.createdAt"
_RAW = """
MATCH (s:Service {id: $id})
RETURN s.statsReferrals AS referrals, s.statsAcceptanceRate AS rate, s.statsReplyBand AS band
"""


def refresh():
    return referral_tasks.refresh_responsiveness.apply_async().get(timeout=60)


def figures(gql, service):
    return gql(SERVICE, {"id": service})["data"]["service"]["responsiveness"]


def test_bands_appear_from_ten_referrals_and_no_figure_is_kept(case, gql, celery_worker_process):
    network, people, _ = case
    many_referrals(network, people, 9)
    # Exact figures an earlier release wrote are removed by the next run.
    session.write(
        lambda tx: tx.run(
            "MATCH (s:Service {id: $id}) SET s.statsReferrals = 3, s.statsAcceptanceRate = 0.5",
            id=network["consult"],
        ).consume()
    )
    assert refresh() >= 3
    assert figures(gql, network["consult"]) == {
        "replyBand": None,  # 9 referrals: under the minimum of 10, nothing is shown
        "acceptanceBand": None,
        "completionBand": None,
        "summary": None,
    }
    assert session.read(lambda tx: tx.single(_RAW, id=network["consult"])) == {
        "referrals": None,
        "rate": None,
        "band": None,
    }

    many_referrals(network, people, 1)
    referrals = [row["id"] for row in session.read(lambda tx: tx.rows(_IDS))]
    welfare = people["welfare"]
    for referral, hours in zip(referrals[:9], (10, 30, 50, 20, 40, 60, 30, 30, 30), strict=True):
        assert move(welfare, referral, "ACKNOWLEDGE", 1)["errors"] == []
        assert move(welfare, referral, "ACCEPT", 2)["errors"] == []
        session.write(lambda tx, r=referral, h=hours: tx.run(_ACK_AFTER, id=r, hours=h).consume())
    assert move(welfare, referrals[9], "DECLINE", 1, reason="NO_CAPACITY")["errors"] == []

    refresh()
    assert figures(gql, network["consult"]) == {
        "replyBand": "WITHIN_3_DAYS",  # median of 10…60 hours: 30
        "acceptanceBand": "MOST",  # 9 of 10 decided
        "completionBand": None,  # 0 of 9 accepted: under 10 accepted, not shown
        "summary": "usually replies within 3 days, most referrals accepted",
    }
