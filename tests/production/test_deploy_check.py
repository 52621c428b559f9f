"""`manage.py check --deploy` with the settings a deployment uses (docs/serving.md)."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def production_env(**extra: str) -> dict[str, str]:
    """What docs/serving.md says a deployment sets, and nothing of the tests' settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "HUB_", "NEO4J_", "REDIS_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="referral_hub.settings",
        HUB_DATA_DIR=os.environ.get("HUB_DATA_DIR", str(ROOT / ".data")),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="hub.city.example.lg.jp",
        HUB_PROXY_SSL_HEADER="X-Forwarded-Proto",
        HUB_TRUSTED_PROXIES="10.244.0.0/16",
        HUB_MASTER_KEYS=f"k1={key()}",
        HUB_MASTER_KEY_ID="k1",
        HUB_DUPLICATE_SECRET=secrets.token_urlsafe(32),
        HUB_AUDIT_SIGNING_KEY=key(),
        HUB_METRICS_TOKEN=secrets.token_urlsafe(32),
    )
    env.update(extra)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deploy_check():
    checked = check_deploy(production_env())

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues (1 silenced)." in checked.stdout


def test_a_proxy_that_redirects_and_sets_hsts_itself_passes_too():
    checked = check_deploy(production_env(HUB_TLS_PROXY_HANDLES="redirect,hsts"))

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues (2 silenced)." in checked.stdout


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # Subdomains over plain HTTP are a real risk the check names: never silenced.
        ({"HUB_HSTS_INCLUDE_SUBDOMAINS": "0"}, "security.W005"),
        # HSTS off with nobody else setting it.
        ({"HUB_HSTS_SECONDS": "0"}, "security.W004"),
        # Plain HTTP served as the site itself.
        ({"HUB_HTTPS": "0"}, "security.W008"),
        ({"DJANGO_SECRET_KEY": ""}, "hub.E001"),
        # The compose example's placeholders, left in (deploy/compose/hub.env.example).
        ({"NEO4J_PASSWORD": "CHANGE-ME"}, "hub.E004"),
        ({"HUB_DUPLICATE_SECRET": "CHANGE-ME"}, "hub.E004"),
        ({"HUB_METRICS_TOKEN": "CHANGE-ME-" + "x" * 30}, "hub.E004"),
        ({"HUB_METRICS_TOKEN": "x" * 21}, "hub.E005"),
        # Behind the proxy with none trusted to name the client: one address for a city.
        ({"HUB_TRUSTED_PROXIES": ""}, "hub.W006"),
    ],
)
def test_what_is_not_handled_is_still_reported(extra, expected):
    env = production_env(**extra)
    if extra.get("DJANGO_SECRET_KEY") == "":
        del env["DJANGO_SECRET_KEY"]  # the public development key

    checked = check_deploy(env)

    assert checked.returncode != 0
    assert expected in checked.stderr + checked.stdout


def test_a_trusted_proxy_that_is_no_network_stops_the_hub_naming_it():
    checked = check_deploy(production_env(HUB_TRUSTED_PROXIES="10.244.0.0/16, 10.244.0.1/16"))

    assert checked.returncode != 0
    assert "ImproperlyConfigured: HUB_TRUSTED_PROXIES: '10.244.0.1/16'" in checked.stderr


def test_a_metrics_token_of_22_characters_is_long_enough():
    checked = check_deploy(production_env(HUB_METRICS_TOKEN="x" * 22))

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_silenced_checks_are_exactly_the_ones_that_cannot_apply():
    from referral_hub.settings import silenced_deploy_checks

    assert silenced_deploy_checks(handles=set(), preload=False, hsts=31536000) == ["security.W021"]
    assert silenced_deploy_checks(handles=set(), preload=True, hsts=31536000) == []
    assert silenced_deploy_checks(handles={"redirect", "hsts"}, preload=False, hsts=0) == [
        "security.W008",
        "security.W004",
    ]
