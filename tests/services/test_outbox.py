"""The transactional outbox (issue 13): a write and what it must announce commit together,
the relay turns due entries into deliveries once, hands each to the broker once per
hand-off period, and an attempt is counted before it is made."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from graph import outbox_repo, session
from referral_hub.notifications import relay, services
from referral_hub.notifications.models import Delivery, Webhook
from tests.referrals.flows import build_case, create, give_consent, move
from tests.services.notifying import DELIVERIES, eventually, referral_to_welfare, with_webhook

_ENTRIES = """
MATCH (o:OutboxEntry)
RETURN o.key AS key, o.kind AS kind, o.version AS version, o:Due AS due ORDER BY o.createdAt
"""


@pytest.fixture
def case(graph_db, transactional_db, redis_db):
    return build_case()


@pytest.fixture
def quiet_case(case, no_worker):
    """The case with no worker: nothing relays or delivers unless the test does."""
    return case


def entries():
    return session.read(lambda tx: tx.rows(_ENTRIES))


def test_a_write_records_its_announcement_in_its_own_transaction(quiet_case):
    network, people, subject = quiet_case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    assert entries() == []

    # Refused (no consent covers the NPO): nothing written, nothing to announce.
    refused = create(people, subject, network["study"])["data"]["createReferral"]
    assert refused["errors"]
    assert entries() == []

    referral = referral_to_welfare(quiet_case)
    assert entries() == [{"key": f"{referral}:1:SENT", "kind": "SENT", "version": 1, "due": True}]
    assert move(people["welfare"], referral, "ACKNOWLEDGE", 1)["errors"] == []  # not announced
    assert move(people["welfare"], referral, "ACCEPT", 2)["errors"] == []
    assert [e["key"] for e in entries()] == [f"{referral}:1:SENT", f"{referral}:3:ACCEPTED"]


def test_the_relay_plans_once_and_hands_out_once(quiet_case, receiver_factory):
    receiver = receiver_factory()
    admin, _ = with_webhook(quiet_case, receiver)
    referral = referral_to_welfare(quiet_case)
    # Before any relay, the ORG_ADMIN already sees what the write owes it.
    owed = admin(DELIVERIES)["data"]["notificationDeliveries"]
    assert [(d["kind"], d["status"], d["attempts"]) for d in owed] == [("SENT", "WAITING", 0)]

    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(relay.relay())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [e["due"] for e in entries()] == [False]
    planned = Delivery.objects.filter(referral_id=referral)
    assert [(d.channel, d.status, d.attempts) for d in planned] == [("WEBHOOK", "PENDING", 0)]
    assert sum(o["queued"] for o in outcomes) == 1  # handed to the broker once, not twice
    assert relay.relay() == {"planned": 0, "queued": 0}  # nothing due is left


def test_a_delivery_whose_message_was_lost_is_handed_out_again(
    quiet_case, receiver_factory, settings
):
    with_webhook(quiet_case, receiver_factory())
    referral_to_welfare(quiet_case)
    relay.relay()
    (delivery,) = Delivery.objects.all()
    assert delivery.queued_for is not None
    # Within the hand-off period the relay leaves it alone (its message may be on its way)…
    assert relay.queue_due(10) == 0
    # …and once the period has passed without an attempt it hands it out again.
    stale = timezone.now() - timedelta(seconds=settings.HUB_NOTIFY_REQUEUE_SECONDS + 1)
    Delivery.objects.filter(id=delivery.id).update(queued_for=stale)
    assert relay.queue_due(10) == 1
    assert relay.queue_due(10) == 0


def test_an_attempt_is_counted_and_claimed_before_it_is_made(quiet_case, receiver_factory):
    receiver = receiver_factory()
    seen_during_the_post = []
    receiver.during_request = lambda: seen_during_the_post.append(
        Delivery.objects.values_list("attempts", "claimed_until").get()
    )
    with_webhook(quiet_case, receiver)
    referral_to_welfare(quiet_case)
    relay.plan(outbox_repo.due(10)[0])
    (delivery,) = Delivery.objects.filter(channel="WEBHOOK")

    assert services.deliver(delivery.id) == "DELIVERED"
    ((attempts, claimed_until),) = seen_during_the_post
    assert attempts == 1
    assert claimed_until > timezone.now()
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.claimed_until) == (1, None)
    assert services.deliver(delivery.id) == services.NO_ATTEMPT  # delivered: never again
    assert len(receiver.requests) == 1


def test_an_attempt_in_flight_is_not_made_twice_and_a_lost_one_is_said(
    quiet_case, receiver_factory
):
    receiver = receiver_factory()
    with_webhook(quiet_case, receiver)
    referral_to_welfare(quiet_case)
    relay.plan(outbox_repo.due(10)[0])
    (delivery,) = Delivery.objects.filter(channel="WEBHOOK")
    in_flight = timezone.now() + timedelta(seconds=30)
    Delivery.objects.filter(id=delivery.id).update(attempts=1, claimed_until=in_flight)
    assert services.deliver(delivery.id) == services.NO_ATTEMPT
    assert receiver.requests == []

    # The claim ran out: the worker that held it died. The next attempt says so if it fails.
    Delivery.objects.filter(id=delivery.id).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    receiver.statuses = [503]
    assert services.deliver(delivery.id) == "PENDING"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.claimed_until, delivery.last_error) == (2, None, "HTTP 503")
    assert delivery.next_attempt_at > timezone.now() - timedelta(seconds=1)


def test_a_lost_attempt_is_reported_until_the_next_one_reports(quiet_case, receiver_factory):
    receiver = receiver_factory()
    with_webhook(quiet_case, receiver)
    referral_to_welfare(quiet_case)
    relay.plan(outbox_repo.due(10)[0])
    (delivery,) = Delivery.objects.filter(channel="WEBHOOK")
    Delivery.objects.filter(id=delivery.id).update(
        attempts=1, claimed_until=timezone.now() - timedelta(seconds=1)
    )
    seen = []
    receiver.during_request = lambda: seen.append(
        Delivery.objects.values_list("attempts", "last_error").get()
    )
    assert services.deliver(delivery.id) == "DELIVERED"
    assert seen == [(2, services._INTERRUPTED)]


@pytest.mark.celery
def test_a_consent_withdrawal_announces_through_the_outbox(
    case, celery_worker_process, receiver_factory
):
    _, people, _ = case
    receiver = receiver_factory()
    admin, _ = with_webhook(case, receiver)
    referral = referral_to_welfare(case)
    consent = session.read(
        lambda tx: tx.single(
            "MATCH (:Referral {id: $id})-[:UNDER]->(c:Consent) RETURN c.id AS id", id=referral
        )
    )["id"]
    withdrawn = people["counsellor"](
        "mutation($id: ID!) { withdrawConsent(id: $id) { errors { code } } }", {"id": consent}
    )["data"]["withdrawConsent"]
    assert withdrawn["errors"] == []
    assert [e["key"] for e in entries()] == [f"{referral}:1:SENT", f"{referral}:2:WITHDRAWN"]

    def delivered():
        found = admin(DELIVERIES)["data"]["notificationDeliveries"]
        return sorted(d["kind"] for d in found if d["status"] == "DELIVERED") == [
            "SENT",
            "WITHDRAWN",
        ]

    assert eventually(delivered)
    assert len(receiver.requests) == 2


def test_an_entry_that_cannot_be_planned_holds_up_nothing_and_is_set_aside(quiet_case):
    referral = referral_to_welfare(quiet_case)
    outbox_repo.record_now([outbox_repo.entry("NO_SUCH_KIND", referral, 1)])
    first = relay.relay()
    assert first["planned"] == 1  # the good entry went through
    bad = f"{referral}:1:NO_SUCH_KIND"
    assert [e["key"] for e in entries() if e["due"]] == [bad]
    for _ in range(outbox_repo.MAX_FAILURES - 2):
        relay.relay()
    assert [e["key"] for e in entries() if e["due"]] == [bad]  # 4 failures: still tried
    relay.relay()  # the 5th
    assert [e["key"] for e in entries() if e["due"]] == []
    failed = session.read(
        lambda tx: tx.rows("MATCH (o:OutboxEntry:Failed) RETURN o.key AS key, o.failures AS n")
    )
    assert failed == [{"key": bad, "n": outbox_repo.MAX_FAILURES}]


def test_a_long_webhook_url_keeps_the_key_within_its_column(quiet_case, receiver_factory):
    receiver = receiver_factory()
    long_url = receiver.url + "?" + "x" * (490 - len(receiver.url))
    receiver.url = long_url
    with_webhook(quiet_case, receiver)
    referral_to_welfare(quiet_case)
    relay.relay()
    (delivery,) = Delivery.objects.filter(channel="WEBHOOK")
    assert len(long_url) == 491
    assert delivery.recipient == long_url
    assert len(delivery.key) <= Delivery._meta.get_field("key").max_length
    assert delivery.key.startswith(f"{delivery.referral_id}:1:SENT:WEBHOOK:")


def test_a_fault_of_ours_counts_as_an_attempt_and_is_tried_again(quiet_case, receiver_factory):
    with_webhook(quiet_case, receiver_factory())
    referral_to_welfare(quiet_case)
    relay.plan(outbox_repo.due(10)[0])
    Webhook.objects.update(secret_blob="not a sealed secret")
    (delivery,) = Delivery.objects.filter(channel="WEBHOOK")
    assert services.deliver(delivery.id) == "PENDING"
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("internal error (")
    assert delivery.claimed_until is None
    assert delivery.next_attempt_at > timezone.now()


def test_attempts_end_at_the_maximum_even_when_none_reports_back(
    quiet_case, receiver_factory, settings
):
    receiver = receiver_factory()
    with_webhook(quiet_case, receiver)
    referral_to_welfare(quiet_case)
    relay.plan(outbox_repo.due(10)[0])
    (delivery,) = Delivery.objects.filter(channel="WEBHOOK")
    lost = timezone.now() - timedelta(seconds=1)
    last = settings.HUB_NOTIFY_MAX_ATTEMPTS
    Delivery.objects.filter(id=delivery.id).update(attempts=last - 1, claimed_until=lost)
    assert relay.give_up_exhausted() == 0  # one attempt is left: not given up
    Delivery.objects.filter(id=delivery.id).update(attempts=last, claimed_until=lost)
    assert services.deliver(delivery.id) == services.NO_ATTEMPT  # none beyond the maximum
    assert relay.give_up_exhausted() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("FAILED", last)
    assert receiver.requests == []


def test_a_message_of_the_release_before_the_outbox_is_not_lost(quiet_case, receiver_factory):
    from referral_hub.notifications import tasks

    with_webhook(quiet_case, receiver_factory())
    referral = referral_to_welfare(quiet_case)
    session.write(lambda tx: tx.run("MATCH (o:OutboxEntry) DETACH DELETE o").consume())
    tasks.dispatch.run("SENT", referral, 1)  # as the old release queued it
    assert [(e["key"], e["due"]) for e in entries()] == [(f"{referral}:1:SENT", False)]
    assert Delivery.objects.filter(referral_id=referral, kind="SENT").count() == 1
