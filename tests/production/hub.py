"""A hub of many processes for tests/production: 3 gunicorn servers, 2 Celery workers and
one beat, each a real process, against the test profile's one Neo4j, one Redis and one
SQLite file; a webhook receiver; and an HTTP client that spreads requests over the
servers. Every process runs in its own session and is stopped by its process group."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

from referral_hub.benchmarks import gunicorn_server
from referral_hub.devservices import celery_worker, process
from referral_hub.devservices.celery_worker import WorkerInstance
from referral_hub.devservices.neo4j import ROOT
from referral_hub.devservices.profiles import profile

TEST = profile("test")
DATA = TEST.neo4j.data_dir.parent / "multi"
# Beat's heartbeat every second and the outbox relay every second, so a test of a minute
# sees dozens of periods, and a notification a nudge missed goes out within a second.
TICK_SECONDS = 1.0
ENV = {
    **os.environ,
    **TEST.env(),
    "DJANGO_SETTINGS_MODULE": "referral_hub.test_settings",
    "HUB_TEST_PROFILE": "test",
    "HUB_BEAT_TICK_SECONDS": str(TICK_SECONDS),
    "HUB_OUTBOX_RELAY_SECONDS": "1",
}
WORKERS = [
    WorkerInstance(data_dir=DATA, name="hub-multi-a", concurrency=2),
    WorkerInstance(data_dir=DATA, name="hub-multi-b", concurrency=2),
]


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    seconds: float = 0.0

    def payload(self, name: str) -> dict[str, Any]:
        return (self.body.get("data") or {}).get(name) or {}

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.body.get("errors") or []]


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One HTTP request on a connection of its own (the servers see many clients)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.monotonic()
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        raw = response.read()
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        kind = response.headers.get("Content-Type", "")
        parsed = json.loads(raw) if raw and kind.startswith("application/json") else {}
        location = response.headers.get("Location")
        return Reply(response.status, parsed, port, cookies, location, time.monotonic() - started)
    finally:
        connection.close()


class Servers:
    """The web processes' ports, handed out round-robin to every request."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self.served: Counter[int] = Counter()

    def next_port(self) -> int:
        with self._lock:
            port = self.ports[next(self._turn) % len(self.ports)]
            self.served[port] += 1
        return port


@dataclass
class Caller:
    """A person calling the API with a bearer token for one organisation."""

    servers: Servers
    token: str
    organisation: str

    def __call__(self, query: str, variables: dict[str, Any] | None = None) -> Reply:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.token}",
            "X-Organisation-Id": self.organisation,
        }
        return request(self.servers.next_port(), "POST", "/graphql", body, headers)


class Browser:
    """A browser's cookies (one jar for every server: they share a host name) and forms."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        jar = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": jar, **extra} if jar else extra

    def _keep(self, reply: Reply) -> Reply:
        for name, value in reply.cookies.items():
            if value:
                self.cookies[name] = value
            else:  # deleted by the server
                self.cookies.pop(name, None)
        return reply

    def get(self, port: int, path: str) -> Reply:
        return self._keep(request(port, "GET", path, None, self._headers({})))

    def form(self, port: int, path: str, fields: dict[str, str]) -> Reply:
        data = urlencode({**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}).encode()
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        return self._keep(request(port, "POST", path, data, headers))

    def graphql(self, port: int, query: str, variables: dict[str, Any] | None = None) -> Reply:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = self._headers(
            {"Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")}
        )
        return self._keep(request(port, "POST", "/graphql", body, headers))


class Receiver:
    """A webhook endpoint counting POSTs by Idempotency-Key (the delivery's own key)."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.keys.append(self.headers["Idempotency-Key"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def counts(self) -> Counter[str]:
        return Counter(self.keys)


Stops = list[Callable[[], object]]


def _stop_all(stops: Stops) -> None:
    """Every process stopped side by side: each may wait out its graceful shutdown."""
    with ThreadPoolExecutor(len(stops) or 1) as pool:
        for future in [pool.submit(stop) for stop in stops]:
            future.exception()  # waited for; one that failed does not keep the rest running


def _spawn_web(stops: Stops, index: int) -> gunicorn_server.Server:
    """One gunicorn (1 process × 4 threads, DEBUG off) on a free port; its pid is kept in
    a file so a run killed before its clean-up has its servers stopped by the next."""
    pid_file = DATA / f"web-{index}.pid"
    process.terminate(pid_file, timeout=10)
    port = gunicorn_server.free_port()
    log = DATA / f"web-{index}.log"
    overrides = {**ENV, "HUB_WEB_WORKERS": "1", "HUB_WEB_THREADS": "4"}
    with log.open("wb") as output:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(gunicorn_server.CONFIG)],
            cwd=ROOT,
            env=gunicorn_server.server_env(port, overrides),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid_file.write_text(str(web.pid))
    stops.append(lambda: (gunicorn_server.stop(web), pid_file.unlink(missing_ok=True)))
    return gunicorn_server.Server(port, web, log)


def _spawn_beat(stops: Stops, name: str = "beat") -> None:
    pid_file = DATA / f"{name}.pid"
    process.terminate(pid_file, timeout=10)
    schedule = DATA / f"{name}-schedule"
    for old in DATA.glob(f"{name}-schedule*"):
        old.unlink()  # no period carried over from an earlier run
    command = [sys.executable, "-m", "celery", "-A", "referral_hub", "beat", "--loglevel"]
    command += ["INFO", "--schedule", str(schedule)]
    process.spawn(command, log_file=DATA / f"{name}.log", pid_file=pid_file, env=ENV, cwd=ROOT)
    stops.append(lambda: process.terminate(pid_file, timeout=10))


@contextmanager
def second_beat() -> Iterator[None]:
    """A second beat process, the mistake a deployment must not make, for as long as the
    block runs: to show that the singleton check sees it."""
    stops: Stops = []
    try:
        _spawn_beat(stops, "second-beat")
        yield
    finally:
        _stop_all(stops)


@contextmanager
def many_processes(web_count: int = 3) -> Iterator[list[int]]:
    """The web servers, beat and the workers, started side by side (start-up is mostly
    imports: on 2 cores one after another took minutes); the web servers' ports. All are
    stopped on leaving, whatever happens."""
    DATA.mkdir(parents=True, exist_ok=True)
    stops: Stops = []
    with ExitStack() as stack:
        stack.callback(_stop_all, stops)
        servers = [_spawn_web(stops, index) for index in range(web_count)]
        for worker in WORKERS:
            celery_worker.stop(worker)  # never one left by an earlier, interrupted run
            stops.append(lambda worker=worker: celery_worker.stop(worker))
        _spawn_beat(stops)
        with ThreadPoolExecutor(len(WORKERS)) as pool:
            started = [pool.submit(celery_worker.start, w, env=ENV, timeout=180) for w in WORKERS]
            for server in servers:
                gunicorn_server.wait_ready(server, timeout=180)
            for future in started:
                future.result()
        yield [server.port for server in servers]


def eventually(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.25)
