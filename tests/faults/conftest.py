"""The fault suite's own hub: Neo4j, Redis, a Celery worker with beat and a web server,
each a real process of the `faults` profile (ports 7690 and 6382, data in .data/faults),
so killing one by its pid never disturbs the rest of the tests. The suite drives the hub
over HTTP as its users do and looks at the graph over Bolt as an outside observer."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import neo4j as neo4j_driver
import pytest

from referral_hub.devservices import celery_worker, neo4j, postgres, process, redis
from referral_hub.devservices.neo4j import ROOT
from referral_hub.devservices.profiles import profile

FAULTS = profile("faults")
DATA = FAULTS.neo4j.data_dir.parent
ENV = {
    **os.environ,
    **FAULTS.env(),
    "DJANGO_SETTINGS_MODULE": "referral_hub.test_settings",
    "HUB_TEST_PROFILE": "faults",
}
REGISTER = """
mutation { registerSubject(input: {birthYear: 2012, areaCode: "141313", name: "山田 太郎"}) {
  subject { id } errors { code } } }"""
CONSENT = """
mutation($input: ConsentInput!) { recordConsent(input: $input) { consent { id } errors { code } } }
"""
CREATE = """
mutation($input: ReferralInput!) {
  createReferral(input: $input) { referral { id } errors { field code } } }"""
DELIVERIES = "{ notificationDeliveries { kind status attempts referralId } }"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    started: float
    ended: float

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def code(self) -> str | None:
        errors = self.body.get("errors") or []
        return errors[0].get("extensions", {}).get("code") if errors else None


class Receiver:
    """A webhook endpoint that records every POST's Idempotency-Key; `hold` seconds per
    request keep an attempt in flight long enough to kill the worker in the middle."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.in_flight: set[str] = set()  # keys of the POSTs being held right now
        self.hold = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers["Idempotency-Key"]
                receiver.in_flight.add(key)
                receiver.keys.append(key)
                time.sleep(receiver.hold)
                receiver.in_flight.discard(key)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@dataclass
class Hub:
    port: int
    people: dict[str, dict[str, str]]
    network: dict[str, str]
    receiver: Receiver
    driver: neo4j_driver.Driver = field(init=False)

    def __post_init__(self) -> None:
        self.driver = neo4j_driver.GraphDatabase.driver(
            FAULTS.neo4j_uri, auth=("neo4j", FAULTS.neo4j.password)
        )

    # --- as a user ------------------------------------------------------------------------
    def call(self, who: str, query: str, variables: dict | None = None) -> Reply:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        return self._post(who, body, "application/json")

    def _post(self, who: str, body: bytes, content_type: str) -> Reply:
        """POST to /graphql as `who` (their bearer token, their organisation), timed."""
        person = self.people[who]
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/graphql",
            data=body,
            headers={
                "Content-Type": content_type,
                "Authorization": f"Bearer {person['token']}",
                "X-Organisation-Id": person["organisation"],
            },
            method="POST",
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as refused:
            status, raw = refused.code, refused.read()
        return Reply(status, json.loads(raw or b"{}"), started, time.monotonic())

    def upload(self, who: str, data: bytes, name: str = "ours.json") -> Reply:
        """startDirectoryImport with `data` as its file, by the multipart request spec."""
        boundary = uuid.uuid4().hex
        operations = json.dumps(
            {
                "query": "mutation($file: Upload!) { startDirectoryImport(file: $file) "
                "{ directoryImport { id } errors { code } } }",
                "variables": {"file": None},
            }
        )
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
            f"{operations}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n'
            '{"0": ["variables.file"]}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="{name}"\r\n'
            "Content-Type: application/json\r\n\r\n"
        )
        body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self._post(who, body, f"multipart/form-data; boundary={boundary}")

    def get(self, path: str) -> tuple[int, float]:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}{path}", timeout=30
            ) as response:
                status = response.status
        except urllib.error.HTTPError as refused:
            status = refused.code
        except urllib.error.URLError:
            status = 0  # nothing listens (yet)
        return status, time.monotonic() - started

    def consented_subjects(self, count: int) -> list[str]:
        subjects = []
        for _ in range(count):
            reply = self.call("counsellor", REGISTER)
            subject = reply.body["data"]["registerSubject"]["subject"]["id"]
            consent = {
                "subjectId": subject,
                "givenBy": "GUARDIAN",
                "guardianRelationship": "母",
                "purposes": ["REFERRAL"],
                "categories": ["CONTACT"],
                "validUntil": (date.today() + timedelta(days=180)).isoformat(),
                "method": "VERBAL",
                "organisationIds": [self.network["welfare"]],
            }
            recorded = self.call("counsellor", CONSENT, {"input": consent})
            assert recorded.body["data"]["recordConsent"]["errors"] == [], recorded.body
            subjects.append(subject)
        return subjects

    def refer(self, subject: str) -> Reply:
        data = {
            "subjectId": subject,
            "serviceId": self.network["consult"],
            "urgency": "ROUTINE",
            "summary": "試験",
            "categories": ["CONTACT"],
        }
        return self.call("counsellor", CREATE, {"input": data})

    def deliveries(self) -> list[dict[str, Any]]:
        return self.call("admin", DELIVERIES).body["data"]["notificationDeliveries"]

    # --- as an observer and an operator --------------------------------------------------
    def graph(self, query: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(query, params, database_="neo4j")
        return [record.data() for record in records]

    def wait_ready(self, timeout: float = 120.0) -> None:
        eventually(lambda: self.get("/readyz?worker=1")[0] == 200, timeout, "hub ready")


def python(*args: str) -> subprocess.CompletedProcess[str]:
    """Python in the fault suite's environment (its settings, its services)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    """A management command in the fault suite's environment."""
    return python("manage.py", *args)


def eventually(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.2)


def kill(pid_file: Path) -> int:
    pid = process.read_pid(pid_file)
    assert pid is not None, f"nothing runs for {pid_file}"
    os.kill(pid, signal.SIGKILL)
    eventually(lambda: not process.is_alive(pid), 10, f"pid {pid} gone")
    return pid


def start_worker() -> None:
    celery_worker.start(FAULTS.worker, env=ENV)


def _stop_all(web_pid_file: Path) -> None:
    process.terminate(web_pid_file, timeout=10)
    celery_worker.stop(FAULTS.worker)
    redis.stop(FAULTS.redis)
    neo4j.stop(FAULTS.neo4j)


@pytest.fixture(scope="session")
def hub() -> Iterator[Hub]:
    web_pid_file = DATA / "web.pid"
    _stop_all(web_pid_file)
    shutil.rmtree(DATA, ignore_errors=True)  # every run starts from nothing
    DATA.mkdir(parents=True)
    database = postgres.test_database("faults")
    if database is not None:  # make test-postgres: hub_faults, not a file in DATA
        postgres.recreate_database(database)
    neo4j.start(FAULTS.neo4j)
    redis.start(FAULTS.redis)
    port = _free_port()
    try:
        for command in (["migrate", "--noinput"], ["graph_migrate"]):
            done = manage(*command)
            assert done.returncode == 0, done.stderr
        built = python("-m", "tests.faults.network")
        assert built.returncode == 0, built.stderr
        setup = json.loads(built.stdout.strip().splitlines()[-1])
        start_worker()
        process.spawn(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            log_file=DATA / "web.log",
            pid_file=web_pid_file,
            env=ENV,
            cwd=ROOT,
        )
        receiver = Receiver()
        the_hub = Hub(port, setup["people"], setup["network"], receiver)
        the_hub.wait_ready()
        registered = the_hub.call(
            "admin",
            "mutation($url: String!) { registerWebhook(url: $url) { errors { code } } }",
            {"url": receiver.url},
        )
        assert registered.body["data"]["registerWebhook"]["errors"] == []
        yield the_hub
        the_hub.driver.close()
        receiver.server.shutdown()
    finally:
        _stop_all(web_pid_file)
