"""Webhook secrets are sealed at rest, and `rotate_master_key` moves every wrapped key —
subjects' data keys and webhook secrets — to a new master key (issue 12, finding 15)."""

import base64
from io import StringIO

import pytest
from django.core.management import call_command

from graph import session
from referral_hub.accounts.roles import Role
from referral_hub.notifications import signing_secrets
from referral_hub.notifications.models import Webhook
from tests.conftest import member
from tests.referrals.flows import build_case

REGISTER = """
mutation($url: String!) { registerWebhook(url: $url) { secret errors { field code } } }"""
READ = "query($id: ID!) { subject(id: $id) { name } }"
_KEY_IDS = "MATCH (k:SubjectKey) RETURN collect(DISTINCT k.masterKeyId) AS ids"
NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()


@pytest.fixture
def case(graph_db, db, redis_db):
    return build_case()


def test_secrets_are_sealed_and_rotation_moves_every_key(case, settings):
    network, people, subject = case
    admin = member("w-admin", network["welfare"], Role.ORG_ADMIN)
    answer = admin(REGISTER, {"url": "http://127.0.0.1:9/hook"})["data"]["registerWebhook"]
    secret = answer["secret"]
    hook = Webhook.objects.get(organisation_id=network["welfare"])
    assert secret not in hook.secret_blob
    assert signing_secrets.open_secret(hook) == secret
    old_id = settings.HUB_MASTER_KEY_ID
    assert session.read(lambda tx: tx.single(_KEY_IDS))["ids"] == [old_id]

    settings.HUB_MASTER_KEYS = f"{settings.HUB_MASTER_KEYS},k-new={NEW_KEY}"
    settings.HUB_MASTER_KEY_ID = "k-new"
    out = StringIO()
    call_command("rotate_master_key", stdout=out)
    assert out.getvalue().strip() == "1 subject keys and 1 webhook secrets now under k-new"
    call_command("rotate_master_key", stdout=out)  # nothing left: a second run is a no-op
    assert out.getvalue().strip().endswith("0 subject keys and 0 webhook secrets now under k-new")

    # The old key can go: everything opens under the new one alone.
    settings.HUB_MASTER_KEYS = f"k-new={NEW_KEY}"
    assert session.read(lambda tx: tx.single(_KEY_IDS))["ids"] == ["k-new"]
    assert people["counsellor"](READ, {"id": subject})["data"]["subject"]["name"] == "山田 太郎"
    assert signing_secrets.open_secret(Webhook.objects.get(pk=hook.pk)) == secret


def test_a_sealed_secret_does_not_open_on_another_webhook(case):
    network, _, _ = case
    sealed = signing_secrets.seal("secret", network["welfare"])
    stolen = Webhook(organisation_id=network["npo"], url="https://example.org/", **sealed)
    with pytest.raises(Exception, match="unwrap"):
        signing_secrets.open_secret(stolen)
