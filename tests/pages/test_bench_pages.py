"""`make bench` measures the pages too; its code runs here on a small network, so a
benchmark that no longer works fails in `make test` (its figures are never asserted)."""

from referral_hub.benchmarks import pages


def test_the_page_benchmarks_run(graph_db, transactional_db, redis_db):
    samples = list(pages.run(count=2, warmup=1, referrals=3))
    assert [(s.label, s.scale, len(s.millis)) for s in samples] == [
        ("inbox page (web)", "3 in box", 2),
        ("referral page (web)", "3 in box", 2),
        ("counsellor home (web)", "3 sent", 2),
    ]
