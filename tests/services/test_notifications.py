"""Notifications through Redis and a real worker: signed webhooks with retries, e-mail,
and the deadline check's reminder and escalation (time moved by the test)."""

import email
import email.policy
import hashlib
import hmac
import json
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from graph import session
from referral_hub.accounts.language import remember
from referral_hub.accounts.roles import Role
from referral_hub.referrals import tasks as referral_tasks
from tests.conftest import member
from tests.referrals.flows import READ, build_case, move
from tests.services.notifying import (
    deliveries,
    eventually,
    referral_to_welfare,
    with_webhook,
)

pytestmark = pytest.mark.celery

_DEADLINE_PASSED = "MATCH (r:Referral {id: $id}) SET r.deadline = datetime() - duration('PT1M')"
_ESCALATION_PASSED = "MATCH (r:Referral {id: $id}) SET r.escalateAt = datetime() - duration('PT1M')"
TIMELINE = "query($id: ID!) { referral(id: $id) { version timeline { action toState } } }"


@pytest.fixture
def case(graph_db, transactional_db, redis_db):
    # transactional_db: the worker reads the webhook and the memberships from the same
    # (file) database, so they must be committed.
    return build_case()


def test_a_signed_webhook_reaches_the_receiver(case, celery_worker_process, receiver_factory):
    receiver = receiver_factory(200)
    admin, secret = with_webhook(case, receiver)
    referral = referral_to_welfare(case)

    assert eventually(lambda: receiver.requests)
    headers, body = receiver.requests[0]
    timestamp, mac = (part.split("=", 1)[1] for part in headers["X-Tsunagari-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(mac, expected.hexdigest())
    assert abs(time.time() - int(timestamp)) < 60
    payload = json.loads(body)
    assert (payload["type"], payload["referralId"], payload["version"]) == (
        "referral.sent",
        referral,
        1,
    )
    assert headers["Idempotency-Key"] == payload["id"]
    assert "山田" not in body.decode()  # no personal data leaves in a notification
    done = eventually(lambda: deliveries(admin, "DELIVERED"))
    assert [(d["kind"], d["attempts"]) for d in done] == [("SENT", 1)]


def test_a_5xx_is_retried_and_delivered_once(case, celery_worker_process, receiver_factory):
    receiver = receiver_factory(503, 200)
    admin, _ = with_webhook(case, receiver)
    referral_to_welfare(case)

    done = eventually(lambda: deliveries(admin, "DELIVERED"))
    assert [(d["kind"], d["attempts"]) for d in done] == [("SENT", 2)]
    keys = [headers["Idempotency-Key"] for headers, _ in receiver.requests]
    assert len(keys) == 2
    assert len(set(keys)) == 1


def test_a_4xx_is_not_retried(case, celery_worker_process, receiver_factory):
    receiver = receiver_factory(400)
    admin, _ = with_webhook(case, receiver)
    referral_to_welfare(case)

    failed = eventually(lambda: deliveries(admin, "FAILED"))
    assert [(d["attempts"], d["lastError"]) for d in failed] == [(1, "HTTP 400")]
    time.sleep(1.0)  # several backoff periods: a retry would have come by now
    assert len(receiver.requests) == 1


def _mail():
    """Every message the worker wrote, decoded: 'To: …', 'Subject: …', then the body."""
    folder = Path(settings.EMAIL_FILE_PATH)
    if not folder.exists():
        return []
    found = []
    for path in folder.glob("*.log"):
        for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
            if not raw.strip():
                continue
            message = email.message_from_string(raw, policy=email.policy.default)
            body = message.get_body().get_content()
            subject = str(message["Subject"]).strip()  # a folded header starts with a space
            found.append(f"To: {message['To']}\nSubject: {subject}\n\n{body}")
    return found


def test_reminder_then_escalation_past_the_deadline(case, celery_worker_process):
    network, people, _ = case
    shutil.rmtree(settings.EMAIL_FILE_PATH, ignore_errors=True)
    session.write(
        lambda tx: tx.run(
            "MATCH (w:Organisation {id: $w}), (s:Organisation {id: $s}) "
            "SET w.email = 'welfare@example.jp', s.email = 'school@example.jp'",
            w=network["welfare"],
            s=network["school"],
        ).consume()
    )
    admin_client = member("w-admin", network["welfare"], Role.ORG_ADMIN)
    assert admin_client  # the escalation goes to the ORG_ADMIN's own address
    get_user_model().objects.filter(username="w-admin").update(email="admin@example.jp")
    # The admin chose English on the pages; the organisations' addresses get the default.
    remember(get_user_model().objects.get(username="w-admin"), "en")
    referral = referral_to_welfare(case)

    def check():
        return referral_tasks.check_deadlines.apply_async().get(timeout=60)

    assert check() == {"REMIND": 0, "ESCALATE": 0}
    session.write(lambda tx: tx.run(_DEADLINE_PASSED, id=referral).consume())
    assert check() == {"REMIND": 1, "ESCALATE": 0}
    assert check() == {"REMIND": 0, "ESCALATE": 0}  # once only
    session.write(lambda tx: tx.run(_ESCALATION_PASSED, id=referral).consume())
    assert check() == {"REMIND": 0, "ESCALATE": 1}

    seen = people["welfare"](TIMELINE, {"id": referral})["data"]["referral"]
    assert [e["action"] for e in seen["timeline"]] == ["CREATE", "REMIND", "ESCALATE"]
    assert seen["version"] == 1  # the system's reminders never make the caseworker stale
    assert move(people["welfare"], referral, "ACKNOWLEDGE", 1)["errors"] == []

    def mail_to(address, words):
        return [m for m in _mail() if f"To: {address}" in m and words in m]

    # Each in the recipient's language: Japanese by default, English for the admin.
    assert eventually(lambda: mail_to("welfare@example.jp", "Subject: [つながり] 督促"))
    assert eventually(lambda: mail_to("admin@example.jp", "Subject: [Tsunagari] Escalation"))
    assert eventually(lambda: mail_to("school@example.jp", "Subject: [つながり] エスカレーション"))
    assert mail_to("welfare@example.jp", "Subject: [つながり] 新しいつなぎ")
    assert mail_to("welfare@example.jp", f"/referrals/{referral}/")
    assert not any("山田" in m for m in _mail())
    assert people["welfare"](READ, {"id": referral})["data"]["referral"]["state"] == "RECEIVED"
