"""The hub under gunicorn, as a deployment runs it (deploy/gunicorn.conf.py, DEBUG off), in
a subprocess on a free local port, and a keep-alive GraphQL client for it.

The server is always stopped: on leaving `serving` (an error, Ctrl-C, or SIGTERM, which is
turned into KeyboardInterrupt while it runs) and, should the interpreter exit some other
way, at exit."""

from __future__ import annotations

import atexit
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings

CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
READY_SECONDS = 60.0
STOP_SECONDS = 15.0


@dataclass(frozen=True)
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    """A port nothing listens on now (the OS picks it; gunicorn binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(port: int, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment (the bench's Neo4j and Redis, HUB_DATA_DIR and so the
    same Django database and its tokens) with the server's own settings."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "HUB_WEB_BIND": f"127.0.0.1:{port}",
        "HUB_WEB_ACCESS_LOG": "",
        "HUB_REQUEST_LOG": "0",  # the app's access record is not free either
        # Plain HTTP on 127.0.0.1: with DEBUG off the hub would redirect it to https.
        "HUB_HTTPS": "0",
        # Connections are opened per round, never left idle for long: a generous keep-alive
        # only keeps the server from closing one between two requests of a slow path.
        "HUB_WEB_KEEPALIVE": "30",
        **(overrides or {}),
    }


@contextmanager
def serving(log: Path, overrides: Mapping[str, str] | None = None) -> Iterator[Server]:
    """gunicorn running and answering /healthz for the duration of the block."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [sys.executable, "-m", "gunicorn", "--config", str(CONFIG)],
            cwd=settings.BASE_DIR,
            env=server_env(port, overrides),
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own session: a Ctrl-C at the terminal reaches the bench only, which then
            # stops the server in order instead of both racing to exit.
            start_new_session=True,
        )
    atexit.register(stop, process)
    previous = _sigterm_interrupts()
    try:
        server = Server(port, process, log)
        wait_ready(server)
        yield server
    finally:
        stop(process)
        atexit.unregister(stop)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _sigterm_interrupts() -> Any:
    """While the server runs, SIGTERM to the bench unwinds like Ctrl-C (so `finally` stops
    the server); only the main thread may set a handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def wait_ready(server: Server, timeout: float = READY_SECONDS) -> None:
    """Until /healthz answers 200 (Neo4j and Redis reachable from a worker)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.process.returncode}):\n{_tail(server)}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
            connection.close()
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s:\n{_tail(server)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the master (it stops its workers), SIGKILL to its group if it hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group is the one we started
        process.wait()


def _tail(server: Server, lines: int = 30) -> str:
    try:
        text = server.log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class GraphQLClient:
    """One keep-alive HTTP/1.1 connection that POSTs GraphQL documents with a bearer token;
    any error in the answer is raised (a bench that measures refusals measures nothing)."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.connection.connect()  # before the clock starts
        self.headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def post(self, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": dict(variables)}).encode()
        self.connection.request("POST", "/graphql", body, self.headers)
        response = self.connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 200 or "errors" in answer:
            raise RuntimeError(f"HTTP {response.status}: {str(answer)[:500]}")
        return dict(answer)

    def close(self) -> None:
        self.connection.close()
