"""make bench's server group on the test services: gunicorn started as the bench starts it
(deploy/gunicorn.conf.py, DEBUG off, here with the test settings), one worker, asked a
nested organisation and a caseworker's inbox over HTTP, beside the raw statements and
the inbox statement without its audit. Its figures are never asserted; that it runs is."""

import pytest
from django.contrib.auth import get_user_model

from referral_hub.accounts import tokens
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.models import ApiToken
from referral_hub.benchmarks import server
from referral_hub.directory import services as directory

pytestmark = pytest.mark.server

# One worker with two threads: the cheapest server that still serves concurrent requests.
SMALL = {
    "DJANGO_SETTINGS_MODULE": "referral_hub.test_settings",
    "HUB_WEB_WORKERS": "1",
    "HUB_WEB_THREADS": "2",
}


def test_the_server_bench_runs_against_gunicorn(graph_db, transactional_db, redis_db, tmp_path):
    organisation = directory.organisation_create(
        actor=SYSTEM, data={"name": "ベンチ試験校", "kind": "SCHOOL", "area_code": "141305"}
    )
    admin = get_user_model().objects.create_superuser(username="bench", password=None)
    token, _ = tokens.issue(user=admin, name="bench", kind=ApiToken.Kind.PERSONAL)
    by_id = server.Question(
        server.ORGANISATION,
        [{"o": organisation["id"]}] * 3,
        server._organisation,
        server.ORGANISATION_QUERY,
        server._by_id,
        token,
        warmup=1,
        floor=True,
    )
    inbox = server.inbox_question(count=2, warmup=1, referrals=3)

    rows = server.run(
        questions=[by_id, inbox],
        rounds=2,
        concurrency=(1, 2),
        log=tmp_path / "gunicorn.log",
        server_env=SMALL,
    )

    assert [(r.question, r.concurrency, r.path, len(r.millis)) for r in rows] == [
        (server.ORGANISATION, 1, "cypher", 2),
        (server.ORGANISATION, 1, "http", 2),
        (server.ORGANISATION, 1, "http floor", 2),
        (server.ORGANISATION, 2, "cypher", 2),
        (server.ORGANISATION, 2, "http", 2),
        (server.ORGANISATION, 2, "http floor", 2),
        (server.INBOX, 1, "cypher", 2),
        (server.INBOX, 1, "no audit", 2),
        (server.INBOX, 1, "http", 2),
        (server.INBOX, 2, "cypher", 2),
        (server.INBOX, 2, "no audit", 2),
        (server.INBOX, 2, "http", 2),
    ]
    assert "Booting worker" in (tmp_path / "gunicorn.log").read_text()
