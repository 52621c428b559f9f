"""totalCount on the inbox, the outbox and the statutory review queue (issue 21): the
same filters as the page, counted by a statement of its own only when selected."""

from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import member
from tests.referrals.flows import move
from tests.referrals.test_inbox import many_referrals
from tests.referrals.test_statutory import statutory

BOX = """
query($state: ReferralState, $first: Int) {
  inbox(state: $state, first: $first) { totalCount edges { node { id } } }
}"""
OUTBOX = """
query($state: ReferralState, $first: Int) {
  outbox(state: $state, first: $first) { totalCount edges { node { id } } }
}"""
PAGE_ONLY = "{ inbox(first: 2) { edges { node { id } } } }"
QUEUE = """
query($reviewed: Boolean) {
  statutoryReviewQueue(reviewed: $reviewed, first: 1) { totalCount edges { node { id } } }
}"""


def test_a_box_counts_every_page_under_its_filters(case):
    network, people, _ = case
    many_referrals(network, people, 3)
    welfare, counsellor = people["welfare"], people["counsellor"]
    inbox = welfare(BOX, {"first": 2})["data"]["inbox"]
    assert (inbox["totalCount"], len(inbox["edges"])) == (3, 2)
    outbox = counsellor(OUTBOX, {"first": 1})["data"]["outbox"]
    assert (outbox["totalCount"], len(outbox["edges"])) == (3, 1)

    first = welfare(BOX, {"first": 1})["data"]["inbox"]["edges"][0]["node"]["id"]
    assert move(welfare, first, "ACKNOWLEDGE", 1)["errors"] == []
    received = welfare(BOX, {"state": "RECEIVED"})["data"]["inbox"]
    assert received["totalCount"] == len(received["edges"]) == 1
    assert welfare(BOX, {"state": "SENT"})["data"]["inbox"]["totalCount"] == 2
    # Another organisation's caseworker counts its own (empty) inbox.
    assert people["npo"](BOX, {})["data"]["inbox"]["totalCount"] == 0


def test_the_count_is_a_statement_only_when_selected(case):
    network, people, _ = case
    many_referrals(network, people, 3)
    with count_round_trips() as trips:
        people["welfare"](PAGE_ONLY)
    assert trips.count == 1
    with count_round_trips() as trips:
        people["welfare"]("{ inbox(first: 2) { totalCount edges { node { id } } } }")
    assert trips.count == 2


def test_the_review_queue_counts_the_auditors_areas_only(case):
    network, people, subject = case
    statutory(people, subject, network)
    kawasaki = directory_fixtures.build_auditor_org("川崎市 監査室", "141305")
    setagaya = directory_fixtures.build_auditor_org("世田谷区 監査室", "131121")
    auditor = member("k-auditor", kawasaki, Role.AUDITOR)
    other = member("s-auditor", setagaya, Role.AUDITOR)
    queue = auditor(QUEUE, {"reviewed": False})["data"]["statutoryReviewQueue"]
    assert (queue["totalCount"], len(queue["edges"])) == (1, 1)
    assert auditor(QUEUE, {"reviewed": True})["data"]["statutoryReviewQueue"]["totalCount"] == 0
    assert other(QUEUE, {})["data"]["statutoryReviewQueue"]["totalCount"] == 0
