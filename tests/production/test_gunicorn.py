"""The production entry point end to end: gunicorn with deploy/gunicorn.conf.py and the
production settings (DEBUG off) against the test services, as `make serve` runs it."""

import http.client
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from referral_hub.benchmarks.gunicorn_server import serving

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-for-the-test-0123"
REQUEST_ID = "gunicorn-test-request-0001"


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One request on its own connection (so gunicorn's processes share them out)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def post_graphql(port: int, query: str) -> tuple[int, dict[str, str], dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = json.dumps({"query": query})
        headers = {"Content-Type": "application/json", "X-Request-ID": REQUEST_ID}
        connection.request("POST", "/graphql", body, headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read())
    finally:
        connection.close()


@pytest.fixture
def production_env(test_profile, tmp_path):
    """The production settings module on the test services, static files collected."""
    env = {
        **test_profile.env(),
        "DJANGO_SETTINGS_MODULE": "referral_hub.settings",
        "DJANGO_DEBUG": "0",
        "HUB_HTTPS": "0",  # plain HTTP on 127.0.0.1, as make serve
        "HUB_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'django.sqlite3'}",
        "HUB_METRICS_TOKEN": TOKEN,
        "HUB_REQUEST_LOG": "1",
        "HUB_LOG_FORMAT": "json",
        "HUB_WEB_WORKERS": "2",
        "HUB_WEB_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=120,
    )
    return env


@pytest.mark.server
@pytest.mark.celery
def test_make_serve_under_gunicorn(production_env, celery_worker_process, tmp_path):
    log = tmp_path / "gunicorn.log"
    with serving(log, production_env) as server:
        port = server.port
        livez = [get(port, "/livez")[0] for _ in range(30)]
        readyz = get(port, "/readyz")
        refused = get(port, "/metrics")[0]
        status, headers, answer = post_graphql(port, "{ health { ok } }")
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["web/consent-form.css"]
        static = get(port, f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
        scraped = get(port, "/metrics", Authorization=f"Bearer {TOKEN}")

    assert livez == [200] * 30
    assert (readyz[0], json.loads(readyz[2])["ok"]) == (200, True)
    assert refused == 403
    assert (status, answer, headers["X-Request-ID"]) == (
        200,
        {"data": {"health": {"ok": True}}},
        REQUEST_ID,
    )

    # WhiteNoise: the hashed name, compressed, cached for good.
    assert static[0] == 200
    assert static[1]["Content-Encoding"] == "gzip"
    assert "immutable" in static[1]["Cache-Control"]

    # Every process's samples in one scrape (multiprocess mode): the 30 livez exactly.
    assert scraped[0] == 200
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(scraped[2].decode())
        for sample in family.samples
    }
    livez_key = (("method", "GET"), ("route", "livez"), ("status", "200"))
    assert samples[("hub_http_requests_total", livez_key)] == 30
    assert samples[("hub_celery_workers_alive", ())] >= 1
    assert samples[("hub_neo4j_statements_total", (("access", "autocommit"),))] >= 1

    # Every line gunicorn and the app wrote is JSON; the GraphQL request's has its id.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    mine = [line for line in lines if line.get("request_id") == REQUEST_ID]
    assert [(line["logger"], line["route"], line["status"]) for line in mine] == [
        ("referral_hub.access", "graphql", 200)
    ]
    assert any(line["logger"] == "gunicorn.error" for line in lines)
    # The app's access record replaces gunicorn's (HUB_WEB_ACCESS_LOG unset: off).
    assert not [line for line in lines if line["logger"] == "gunicorn.access"]
