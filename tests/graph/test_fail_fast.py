"""Fail fast (issue 13): with Neo4j unreachable a caller hears GRAPH_UNAVAILABLE within
2 s, and while the circuit is open the next callers hear it at once; when the server is
back the circuit closes. The faults are real: a TCP forwarder in front of the test server
is closed (connection refused) or replaced by a listener that never answers."""

import contextlib
import socket
import threading
import time
from dataclasses import replace

import pytest

from graph import driver, session
from graph.errors import GraphUnavailable

_ONE = "RETURN 1 AS one"


class Forwarder:
    """127.0.0.1:<port> → the test Neo4j, until `close()`; `silent()` keeps the port
    but never answers (a host that drops packets, as far as Bolt can tell)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.sockets: list[socket.socket] = []
        self.reopen()

    def reopen(self) -> None:
        """Forward again on the same port (the server is back)."""
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Refuse new connections and cut the open ones, as a killed server does."""
        with contextlib.suppress(OSError):  # shutdown also wakes the blocked accept()
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
                s.close()

    def silent(self) -> socket.socket:
        """Listen on the same port and never accept: connects hang in the backlog."""
        self.close()
        quiet = socket.socket()
        quiet.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        quiet.bind(("127.0.0.1", self.port))
        quiet.listen(1000)
        return quiet


@pytest.fixture
def through_forwarder(neo4j_server):
    """The graph layer points at a forwarder to the test server for one test."""
    original = driver.current_settings()
    target = int(original.uri.rsplit(":", 1)[1])
    forwarder = Forwarder(target)
    driver.configure(replace(original, uri=f"bolt://127.0.0.1:{forwarder.port}"))
    yield forwarder
    forwarder.close()
    driver.configure(original)


def timed(call):
    started = time.monotonic()
    try:
        call()
    except GraphUnavailable:
        return time.monotonic() - started
    raise AssertionError("the graph answered although it is unreachable")


def test_a_killed_server_is_reported_within_2_s_then_at_once(through_forwarder):
    assert session.read(lambda tx: tx.single(_ONE)) == {"one": 1}
    through_forwarder.close()

    assert timed(lambda: session.read(lambda tx: tx.single(_ONE))) < 2.0
    assert driver.breaker().is_open
    # The circuit is open: the next callers do not wait for their own timeouts.
    for _ in range(5):
        assert timed(lambda: session.write(lambda tx: tx.single(_ONE))) < 0.05


def test_a_silent_host_is_reported_within_2_s(through_forwarder):
    quiet = through_forwarder.silent()
    try:
        assert timed(lambda: session.read(lambda tx: tx.single(_ONE))) < 2.0
        assert timed(lambda: session.autocommit(_ONE)) < 0.05
    finally:
        quiet.close()


def test_the_circuit_closes_when_the_server_is_back(through_forwarder):
    through_forwarder.close()
    timed(lambda: session.read(lambda tx: tx.single(_ONE)))
    through_forwarder.reopen()
    # Back, but the circuit is still open: answered at once, without asking.
    assert timed(lambda: session.read(lambda tx: tx.single(_ONE))) < 0.05
    time.sleep(driver.current_settings().breaker_seconds)
    assert session.read(lambda tx: tx.single(_ONE)) == {"one": 1}  # the probe
    assert not driver.breaker().is_open
    assert session.read(lambda tx: tx.single(_ONE)) == {"one": 1}


def test_a_refusal_by_the_server_does_not_open_the_circuit(neo4j_server):
    from neo4j.exceptions import CypherSyntaxError

    with pytest.raises(CypherSyntaxError):
        session.read(lambda tx: tx.single("RETURN nonsense("))  # type: ignore[arg-type]
    assert not driver.breaker().is_open
