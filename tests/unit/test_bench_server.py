"""The server bench's pure parts (referral_hub/benchmarks/load.py, server.py, inbox.py,
gunicorn_server.py and the command's arguments): no services, no server."""

import threading
import time

import pytest

from graph.audit_log import APPEND_PAGE_READ
from referral_hub.benchmarks import inbox, server
from referral_hub.benchmarks.gunicorn_server import free_port, server_env
from referral_hub.benchmarks.load import (
    Path,
    Round,
    Row,
    Target,
    drive,
    floor_lines,
    interleave,
    percentile,
    slices,
    table,
)
from referral_hub.core.management.commands.bench import GROUPS, Command, concurrency_levels

# --- percentiles and rows ----------------------------------------------------------------


def test_percentile_is_the_nearest_rank():
    millis = [float(n) for n in range(1, 101)]  # 1 … 100
    assert percentile(millis, 0.99) == 99.0
    assert percentile(millis, 0.5) == 51.0  # rank round(0.5 * 99) = 50 (0-based)
    assert percentile(list(reversed(millis)), 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 0.5)


def test_a_row_pools_its_rounds_and_its_throughput_is_requests_over_wall_time():
    row = Row("q", 8, "http", [Round([1.0, 2.0, 3.0], 0.5), Round([4.0, 100.0], 0.5)])
    assert row.millis == [1.0, 2.0, 3.0, 4.0, 100.0]
    assert row.p50 == 3.0
    assert row.p99 == 100.0
    assert row.throughput == 5.0
    assert Row("q", 1, "http", [Round([1.0], 0.0)]).throughput == 0.0


def test_slices_cut_in_order_near_equal_and_never_empty():
    assert slices(list(range(10)), 3) == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert slices(list(range(2)), 3) == [[0], [1]]
    assert slices(list(range(4)), 0) == [[0, 1, 2, 3]]
    assert slices(range(0), 3) == [range(0)]


# --- driving the calls -------------------------------------------------------------------


def test_drive_answers_every_case_once_on_as_many_threads_as_asked():
    seen, threads, opened, closed = [], set(), [], []

    def call(client, case):
        seen.append(case)
        threads.add(threading.get_ident())
        time.sleep(0.002)

    path = Path(
        "x",
        call,
        open=lambda: opened.append(1) or len(opened),
        close=lambda client: closed.append(client),
    )
    result = drive(path, list(range(40)), 4)
    assert sorted(seen) == list(range(40))
    assert len(result.millis) == 40
    assert len(threads) == 4
    assert len(opened) == 4
    assert sorted(closed) == [1, 2, 3, 4]
    assert result.seconds > 0


def test_drive_raises_the_first_error_and_still_closes_its_clients():
    closed = []

    def call(client, case):
        if case == 3:
            raise RuntimeError("HTTP 500")

    path = Path("x", call, open=lambda: "client", close=closed.append)
    with pytest.raises(RuntimeError, match="HTTP 500"):
        drive(path, list(range(10)), 2)
    assert closed == ["client", "client"]


def test_drive_closes_the_clients_it_opened_when_one_cannot_be_opened():
    opened, closed = [], []

    def open_client():
        if len(opened) == 2:
            raise ConnectionRefusedError("no server")
        opened.append(len(opened))
        return opened[-1]

    path = Path("x", lambda client, case: None, open=open_client, close=closed.append)
    with pytest.raises(ConnectionRefusedError):
        drive(path, list(range(10)), 4)
    assert closed == [0, 1]


def test_interleave_warms_then_alternates_the_order_round_by_round():
    order = []

    def path(name):
        return Path(name, lambda client, case: order.append((name, case)))

    rows = interleave(
        "q", [path("raw"), path("http")], list(range(8)), concurrency=1, rounds=3, warmup=2
    )
    assert [(r.question, r.concurrency, r.path) for r in rows] == [
        ("q", 1, "raw"),
        ("q", 1, "http"),
    ]
    assert [len(r.rounds) for r in rows] == [3, 3]
    assert order == [
        *[("raw", 0), ("raw", 1), ("http", 0), ("http", 1)],  # warm-up, not measured
        *[("raw", 2), ("raw", 3), ("http", 2), ("http", 3)],
        *[("http", 4), ("http", 5), ("raw", 4), ("raw", 5)],  # reversed
        *[("raw", 6), ("raw", 7), ("http", 6), ("http", 7)],
    ]
    assert sorted(len(r.millis) for r in rows) == [6, 6]


# --- the table and the targets -----------------------------------------------------------


def _row(question, concurrency, path, millis, seconds):
    return Row(question, concurrency, path, [Round(millis, seconds)])


def test_the_table_prints_each_ratio_to_raw_and_each_target_with_its_verdict():
    rows = [
        _row("search", 1, "cypher", [10.0, 10.0], 0.02),  # 100 req/s
        _row("search", 1, "http", [12.0, 12.0], 0.04),  # 50 req/s
        _row("inbox", 8, "cypher", [40.0], 0.02),  # 50 req/s
        _row("inbox", 8, "no audit", [20.0], 0.01),  # 100 req/s
    ]
    targets = [
        Target("search", 1, "http", "cypher", "p50", 1.3, at_most=True),
        Target("inbox", 8, "cypher", "no audit", "req/s", 0.7, at_most=False),
        Target("routes", 1, "http", "cypher", "p50", 1.3, at_most=True),
    ]
    text = table(rows, targets).splitlines()
    http = next(line for line in text if line.startswith("search") and " http " in line)
    assert http.split()[-2:] == ["1.20x", "0.50x"]
    raw = next(line for line in text if line.startswith("search") and " cypher " in line)
    assert "x" not in raw.split()[-1]  # the base row has no ratio
    verdicts = [line.split()[-1] for line in text[text.index("") + 3 :]]
    assert verdicts == ["met", "missed", "measured"]  # "not measured"
    assert "1.20x" in text[-3]
    assert "≤1.30x" in text[-3]
    assert "0.50x" in text[-2]
    assert "≥0.70x" in text[-2]


def test_the_fixed_cost_lines_give_the_lowest_reachable_ratio_beside_the_measured_one():
    rows = [
        _row("by id", 1, "cypher", [1.0, 1.0], 0.002),
        _row("by id", 1, "http", [3.5, 3.5], 0.007),
        _row("by id", 1, "http floor", [2.0, 2.0], 0.004),
        _row("inbox", 1, "cypher", [9.0], 0.009),  # no floor path: no line
        _row("inbox", 1, "http", [12.0], 0.012),
    ]
    text = table(rows, []).splitlines()
    fixed = text[text.index("") + 3 :]
    header = next(i for i, line in enumerate(fixed) if line.startswith("fixed cost"))
    lines = fixed[header + 2 :]
    assert len(lines) == 1
    # raw 1 ms, floor 2 ms: no document can come under 3×; measured 3.5×, of which the
    # GraphQL work beyond the floor is 1.5×.
    assert lines[0].split() == ["by", "id", "1", "1.00", "2.00", "3.00x", "3.50x", "1.50x"]


def test_no_fixed_cost_lines_without_a_floor_path():
    rows = [_row("q", 1, "cypher", [1.0], 0.001), _row("q", 1, "http", [2.0], 0.002)]
    assert floor_lines(rows) == []


def test_the_four_ratio_questions_time_the_floor_and_the_inbox_does_not():
    floored = server.Question("q", [], lambda case: None, "{ a }", dict, "t", 0, floor=True)
    plain = server.Question("q", [], lambda case: None, "{ a }", dict, "t", 0)
    assert [p.name for p in server.paths(floored, 1)] == ["cypher", "http", "http floor"]
    assert [p.name for p in server.paths(plain, 1)] == ["cypher", "http"]
    assert server.FLOOR_QUERY == "query Floor { __typename }"


def test_a_target_at_least_or_at_most_its_bound():
    at_most = Target("q", 1, "http", "cypher", "p50", 1.3, at_most=True)
    at_least = Target("q", 8, "cypher", "no audit", "req/s", 0.7, at_most=False)
    assert at_most.met(1.3)
    assert not at_most.met(1.31)
    assert at_least.met(0.7)
    assert not at_least.met(0.69)


def test_the_issues_targets_are_the_ones_printed():
    assert [(t.question, t.concurrency, t.metric, t.bound, t.at_most) for t in server.TARGETS] == [
        (server.DIRECTORY, 1, "p50", 1.3, True),
        (server.ORGANISATION, 1, "p50", 1.3, True),
        (server.ROUTES, 1, "p50", 1.3, True),
        (server.RECOMMEND, 1, "p50", 1.3, True),
        (server.INBOX, 8, "req/s", 0.7, False),
    ]
    inbox_target = server.TARGETS[-1]
    assert (inbox_target.numerator, inbox_target.denominator) == (server.RAW, server.NO_AUDIT)


# --- the inbox without its audit ---------------------------------------------------------


def test_the_inbox_statement_without_its_audit_is_the_same_page_minus_the_fragment():
    assert inbox.AUDIT_FRAGMENT is APPEND_PAGE_READ
    assert APPEND_PAGE_READ in inbox.INBOX_STATEMENT
    bare = inbox.without_audit()
    assert APPEND_PAGE_READ not in bare
    assert "CREATE (event:AuditEvent)" not in bare
    assert "RETURN n { .id, .state" in bare  # the page's RETURN
    assert bare.rstrip().endswith("ORDER BY sortKey DESC, referral.id ASC")
    assert len(bare) == len(inbox.INBOX_STATEMENT) - len(APPEND_PAGE_READ)


def test_without_audit_refuses_a_statement_the_fragment_is_not_in():
    with pytest.raises(ValueError, match="not in the statement"):
        inbox.without_audit("MATCH (n) RETURN n", "CALL { audit }")


# --- the server process and the command's arguments --------------------------------------


def test_the_server_runs_without_debug_on_its_port_with_no_access_log():
    env = server_env(8123, {"HUB_WEB_WORKERS": "1"})
    assert env["DJANGO_DEBUG"] == "0"
    assert env["HUB_WEB_BIND"] == "127.0.0.1:8123"
    assert env["HUB_WEB_ACCESS_LOG"] == ""
    assert env["HUB_WEB_WORKERS"] == "1"
    assert 0 < free_port() < 65536


def test_the_heading_names_the_servers_workers_and_threads():
    text = server.heading(rounds=3, env={"HUB_WEB_WORKERS": "2", "HUB_WEB_THREADS": "4"})
    assert "2 workers × 4 threads" in text
    assert "3 rounds" in text


def test_concurrency_levels_are_a_comma_separated_list_of_positive_numbers():
    assert concurrency_levels("1,8") == (1, 8)
    assert concurrency_levels("4") == (4,)
    for wrong in ("", "0", "1,x", "-2"):
        with pytest.raises(Exception, match=r"number|level"):
            concurrency_levels(wrong)


def test_the_command_takes_the_server_group_and_its_options():
    parser = Command().create_parser("manage.py", "bench")
    options = parser.parse_args(
        ["--only", "server", "--count", "50", "--concurrency", "2,4", "--rounds", "1"]
    )
    assert "server" in GROUPS
    assert (options.only, options.count, options.concurrency, options.rounds) == (
        ["server"],
        50,
        (2, 4),
        1,
    )
    defaults = parser.parse_args([])
    assert (defaults.concurrency, defaults.rounds) == ((1, 8), 3)
