"""A real browser for the page tests: Debian's Chromium driven by Playwright."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background traffic to hosts that cannot be reached.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "Chromium is missing: `make deps` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def closed_network(target, outside: list[str]) -> None:
    """Route every request of `target` (a page or a browser context): 127.0.0.1 goes on,
    any other host is refused and recorded in `outside`, as on a cut-off municipal
    network."""
    from urllib.parse import urlparse

    def only_here(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    target.route("**/*", only_here)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP")
    yield context.new_page()
    context.close()


@pytest.fixture
def case(graph_db, db, redis_db):
    """The directory network with a counsellor (school), caseworkers (welfare office and
    NPO) and one registered pupil: tests/referrals/flows.py."""
    from tests.referrals.flows import build_case

    return build_case()


PASSWORD = "correct-horse-battery-1"
# WCAG 2.1 A and AA (JIS X 8341-3:2016 follows WCAG 2.0 AA; 2.1 adds to it).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page) -> None:
    """axe-core on the page as it is now: no serious or critical WCAG 2.1 AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    serious = [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: {serious}"


def sign_in(page, base_url: str, username: str) -> None:
    """Through the sign-in form, as a person does: the password set here, then the code
    their authenticator app would show (a TOTP factor enrolled here)."""
    from django.contrib.auth import get_user_model

    from referral_hub.accounts import signin

    user = get_user_model().objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    secret = signin.enrol_totp(user)
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/accounts/2fa/authenticate/")
    page.locator("#id_code").fill(signin.fresh_totp_code(secret))
    page.locator("#id_code").press("Enter")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def screenshots():
    """Where the screenshots of docs/web.md go when HUB_SCREENSHOTS is set (make screenshots);
    otherwise nowhere."""
    from pathlib import Path

    target = os.environ.get("HUB_SCREENSHOTS")

    def take(page, name: str) -> None:
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)

    return take
