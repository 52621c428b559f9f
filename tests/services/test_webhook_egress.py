"""Webhooks cannot be turned against the network the hub runs in (issue 12, finding 9):
refused at registration and again at every delivery, no redirects, generic errors, and
every registration audited."""

import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from graph import session
from referral_hub.accounts.roles import Role
from referral_hub.notifications import services, signing_secrets
from referral_hub.notifications.models import Delivery, Webhook
from tests import directory_fixtures
from tests.conftest import member

REGISTER = """
mutation($url: String!) { registerWebhook(url: $url) { url secret errors { field code } } }"""
_AUDITED = "MATCH (e:AuditEvent {action: 'WEBHOOK_REGISTER'}) RETURN e.targetId AS target"


class Receiver:
    """A local endpoint that records requests and answers with `status`."""

    def __init__(self, status=204, location=None):
        self.requests = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                owner.requests.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def admin(graph_db, db, redis_db):
    network = directory_fixtures.build()
    return member("w-admin", network["welfare"], Role.ORG_ADMIN), network["welfare"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6579/",
        "https://127.0.0.1:6579/",
        "https://localhost/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]:22/",
        "https://10.1.2.3/hook",
        "https://192.168.0.1/hook",
        "https://224.0.0.1/hook",
        "https://0.0.0.0/hook",
        "https://user:pass@example.org/hook",
        "ftp://example.org/hook",
        "https:///hook",
        "https://example.org:99999/hook",
        "https://exa mple.org/hook",
    ],
)
def test_internal_and_malformed_destinations_are_refused_at_registration(admin, settings, url):
    settings.HUB_WEBHOOK_ALLOWED_HOSTS = []
    client, organisation = admin
    answer = client(REGISTER, {"url": url})["data"]["registerWebhook"]
    assert answer == {"url": None, "secret": None, "errors": [{"field": "url", "code": "INVALID"}]}
    assert not Webhook.objects.filter(organisation_id=organisation).exists()
    assert session.read(lambda tx: tx.rows(_AUDITED)) == []


def test_a_registration_is_audited(admin):
    client, organisation = admin
    receiver = Receiver()
    try:
        answer = client(REGISTER, {"url": receiver.url})["data"]["registerWebhook"]
    finally:
        receiver.close()
    assert answer["errors"] == []
    assert session.read(lambda tx: tx.rows(_AUDITED)) == [{"target": organisation}]


def _delivery(url):
    organisation = uuid.uuid4()
    Webhook.objects.create(
        organisation_id=organisation, url=url, **signing_secrets.seal("s" * 64, organisation)
    )
    return Delivery.objects.create(
        key=f"{uuid.uuid4()}:2:SENT:WEBHOOK:{url}",
        organisation_id=organisation,
        channel=Delivery.Channel.WEBHOOK,
        recipient=url,
        kind="SENT",
        referral_id=uuid.uuid4(),
        version=2,
    )


def test_every_delivery_checks_the_destination_again(db, settings):
    receiver = Receiver()
    try:
        delivery = _delivery(receiver.url)
        # The host was allowed at registration; now it resolves inside the network.
        settings.HUB_WEBHOOK_ALLOWED_HOSTS = []
        assert services.deliver(delivery.id) == "FAILED"
    finally:
        receiver.close()
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (1, "address refused")
    assert receiver.requests == []


def test_redirects_are_never_followed(db):
    target = Receiver()
    redirecting = Receiver(status=302, location=target.url)
    try:
        delivery = _delivery(redirecting.url)
        assert services.deliver(delivery.id) == "FAILED"
    finally:
        redirecting.close()
        target.close()
    delivery.refresh_from_db()
    assert delivery.last_error == "redirect refused (HTTP 302)"
    assert (len(redirecting.requests), target.requests) == (1, [])


def test_a_closed_port_and_a_silent_host_read_the_same(db, settings):
    settings.HUB_NOTIFY_MAX_ATTEMPTS = 1  # this attempt is the last
    closed = Receiver()
    url = closed.url
    closed.close()  # nothing listens there any more
    delivery = _delivery(url)
    assert services.deliver(delivery.id) == "FAILED"
    delivery.refresh_from_db()
    assert delivery.last_error == "unreachable"


@pytest.mark.parametrize(
    "url",
    [
        "https://[2002:a9fe:a9fe::]/latest/meta-data/",
        "https://[2002:0a00:0001::1]/",
        "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "https://[64:ff9b::7f00:1]/",
    ],
    ids=["6to4-metadata", "6to4-private", "teredo", "nat64"],
)
def test_ipv6_tunnels_to_ipv4_are_refused(admin, settings, url):
    settings.HUB_WEBHOOK_ALLOWED_HOSTS = []
    client, _ = admin
    answer = client(REGISTER, {"url": url})["data"]["registerWebhook"]
    assert answer["errors"] == [{"field": "url", "code": "INVALID"}]
