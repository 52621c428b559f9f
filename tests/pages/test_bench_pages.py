"""`make bench` measures the pages too; its code runs here on a small network, so a
benchmark that no longer works fails in `make test` (its figures are never asserted)."""

from referral_hub.benchmarks import audit, network, pages


def test_the_page_benchmarks_run(graph_db, transactional_db, redis_db):
    samples = list(pages.run(count=2, warmup=1, referrals=3))
    assert [(s.label, s.scale, len(s.millis)) for s in samples] == [
        ("inbox page (web)", "3 in box", 2),
        ("referral page (web)", "3 in box", 2),
        ("counsellor home (web)", "3 sent", 2),
    ]


def test_the_audit_benchmarks_run(graph_db, transactional_db, redis_db):
    list(pages.run(count=2, warmup=1, referrals=3))  # the bench school, its subjects read
    samples = list(audit.run(count=2, warmup=1))
    verify = "verify area chains"
    assert [(s.label, s.path, len(s.millis)) for s in samples] == [
        ("disclosure record", "cypher", 2),
        ("disclosure record", "graphql", 2),
        (verify, "cypher", 2),
        (verify, "graphql", 2),
    ]


def test_the_network_benchmarks_run(graph_db, transactional_db, redis_db, browser, live_server):
    from tests import directory_fixtures

    directory_fixtures.build()
    client = network.coordinator(directory_fixtures.KAWASAKI)
    samples = list(network.run(area=directory_fixtures.KAWASAKI, count=2, warmup=1, client=client))
    samples += network.drawn_in_browser(
        browser=browser,
        base_url=live_server.url,
        client=client,
        area=directory_fixtures.KAWASAKI,
        count=2,
        warmup=1,
    )
    # build() puts three organisations in 川崎市; the bench adds its coordinator's office.
    assert [(s.label, s.scale, s.path, len(s.millis)) for s in samples] == [
        ("network map data", "4 orgs", "cypher", 2),
        ("network map data", "4 orgs", "graphql", 2),
        ("network map (web)", "4 orgs", "page", 2),
        ("coverage page (web)", "4 orgs", "page", 2),
        ("network map layout", "4 nodes", "chromium", 2),
        ("network map to drawn", "4 nodes", "chromium", 2),
    ]
    assert all(ms >= 0 for s in samples for ms in s.millis)  # a layout of 4 can round to 0
    assert all(ms > 0 for ms in samples[-1].millis)  # navigation to drawn never does
