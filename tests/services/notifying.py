"""Shared by the notification tests: a local webhook receiver and the steps that make a
referral announce something to an organisation with a webhook."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from referral_hub.accounts.roles import Role
from tests.conftest import member
from tests.referrals.flows import create, give_consent

REGISTER = (
    """mutation($url: String!) { registerWebhook(url: $url) { url secret errors { code } } }"""
)
DELIVERIES = "{ notificationDeliveries { kind channel status attempts lastError referralId } }"


class Receiver:
    """A local HTTP endpoint answering with scripted statuses and recording each request."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests = []
        self.during_request = None  # called while a request is held open, if set
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if receiver.during_request:
                    receiver.during_request()
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self):
        self.server.shutdown()


def eventually(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def referral_to_welfare(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    created = create(people, subject, network["consult"])["data"]["createReferral"]
    assert created["errors"] == []
    return created["referral"]["id"]


def with_webhook(case, receiver):
    network, _, _ = case
    admin = member("w-admin", network["welfare"], Role.ORG_ADMIN)
    registered = admin(REGISTER, {"url": receiver.url})["data"]["registerWebhook"]
    assert registered["errors"] == []
    return admin, registered["secret"]


def deliveries(admin, status):
    found = admin(DELIVERIES)["data"]["notificationDeliveries"]
    return [d for d in found if d["channel"] == "WEBHOOK" and d["status"] == status]
