"""Causal scopes on the real server (graph/session.py): a scope's transactions start from
its bookmarks and move on with its commits; reads run in read-access sessions (routed to
followers on neo4j://); nothing is carried outside a scope or from one scope to another."""

import neo4j
import pytest

from graph import audit_log, session

_PROBE = "CREATE (:BookmarkProbe {n: $n})"
_COUNT = "MATCH (p:BookmarkProbe) RETURN count(p) AS n"


def probe_write(n: int = 1) -> None:
    session.write(lambda tx: tx.run(_PROBE, n=n).consume())


def probe_count() -> int:
    row = session.read(lambda tx: tx.single(_COUNT))
    assert row is not None
    return row["n"]


@pytest.fixture
def scheme(graph_scheme: str, graph_db: None) -> str:
    return graph_scheme


def test_outside_a_scope_no_session_carries_bookmarks(scheme):
    with session.count_round_trips() as trips:
        probe_write()
        assert probe_count() == 1

    assert session.current_bookmarks() == ()
    assert trips.sessions == [(neo4j.WRITE_ACCESS, ()), (neo4j.READ_ACCESS, ())]


def test_a_write_moves_the_scope_on_and_the_next_read_starts_from_it(scheme):
    with session.causal_scope() as scope, session.count_round_trips() as trips:
        probe_write()
        after_write = scope.current
        assert probe_count() == 1

    assert scope.wrote is True
    assert len(after_write) == 1
    assert after_write[0]  # the server's bookmark, opaque
    assert trips.sessions == [(neo4j.WRITE_ACCESS, ()), (neo4j.READ_ACCESS, after_write)]


def test_each_write_supersedes_the_last_bookmark(scheme):
    with session.causal_scope() as scope:
        probe_write(1)
        first = scope.current
        probe_write(2)
        second = scope.current

    assert len(first) == len(second) == 1
    assert first != second


def test_a_scope_that_only_read_did_not_write(scheme):
    with session.causal_scope() as scope:
        assert probe_count() == 0
    assert scope.wrote is False


def test_a_scope_started_from_another_requests_bookmarks_reads_from_them(scheme):
    with session.causal_scope() as writer:
        probe_write()
    with session.causal_scope(writer.current) as reader, session.count_round_trips() as trips:
        assert probe_count() == 1

    assert reader.started_from == writer.current
    assert trips.sessions == [(neo4j.READ_ACCESS, writer.current)]


def test_scopes_do_not_leak_into_each_other_or_past_their_end(scheme):
    with session.causal_scope() as first:
        probe_write()
        with session.causal_scope() as second, session.count_round_trips() as trips:
            probe_count()
        assert session.current_bookmarks() == first.current
    assert session.current_bookmarks() == ()
    assert second.started_from == ()
    assert trips.sessions == [(neo4j.READ_ACCESS, ())]


def test_autocommit_statements_follow_the_scope_too(scheme):
    with session.causal_scope() as scope, session.count_round_trips() as trips:
        probe_write()
        written = scope.current
        rows = session.autocommit(_COUNT)

    assert rows == [{"n": 1}]
    assert trips.sessions[-1] == (neo4j.WRITE_ACCESS, written)


def test_a_leader_read_is_served_in_a_write_access_session_and_is_no_write(scheme):
    with session.causal_scope() as scope, session.count_round_trips() as trips:
        assert session.read(lambda tx: tx.single(_COUNT), leader=True) == {"n": 0}
    assert trips.sessions == [(neo4j.WRITE_ACCESS, ())]
    assert scope.wrote is False  # nothing new to keep for the user


def test_audit_verification_reads_only_from_the_leader(scheme):
    probe_write()
    with session.count_round_trips() as trips:
        list(audit_log.verify_all())
        audit_log.checkpoint_breaks(audit_log.chain_heads())
    assert trips.sessions
    assert {mode for mode, _ in trips.sessions} == {neo4j.WRITE_ACCESS}
