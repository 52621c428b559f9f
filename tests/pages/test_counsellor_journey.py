"""The school-absence → support story end to end in Chromium, in Japanese and in English.

The counsellor's half is done with the keyboard only (Tab, typing, Space, arrows,
Enter): register the pupil, record the guardian's consent, find a service, send. The
caseworker then acknowledges, accepts, starts and completes it, and the counsellor sees
CONNECTED. axe-core checks every page on the way.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model

from referral_hub.accounts import signin
from tests.pages.conftest import PASSWORD, assert_accessible, closed_network, sign_in

pytestmark = pytest.mark.browser

WORDS = {
    "ja": {"sent": "送付済み", "connected": "つながった", "heading": "新しいつなぎ"},
    "en": {"sent": "Sent", "connected": "Connected", "heading": "New referral"},
}


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching `selector` has the focus (or fail: then it
    cannot be reached with the keyboard)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab on {page.url}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press_and_wait(page, selector: str, url) -> None:
    """Tab to a link or button, press Enter, and wait for the page it leads to (htmx
    swaps boosted pages in place, so this waits for the address, not a page load)."""
    tab_to(page, selector)
    page.keyboard.press("Enter")
    page.wait_for_url(url)
    page.wait_for_load_state("networkidle")


@pytest.fixture
def users(case):
    for username in ("counsellor", "npo-worker"):
        user = get_user_model().objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
    return case


@pytest.mark.parametrize("language", ["ja", "en"])
def test_school_absence_to_support_with_the_keyboard_only(
    browser, live_server, users, language, screenshots
):
    network, _, _ = users
    words = WORDS[language]
    context = browser.new_context(locale="ja-JP" if language == "ja" else "en-US")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    secret = signin.enrol_totp(get_user_model().objects.get(username="counsellor"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")
    type_into(page, "#id_login", "counsellor")
    type_into(page, "#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The second factor: the code the counsellor's authenticator app shows.
    assert urlparse(page.url).path == "/accounts/2fa/authenticate/"
    assert_accessible(page)
    type_into(page, "#id_code", signin.fresh_totp_code(secret))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path == "/"
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    screenshots(page, f"counsellor-home-{language}")

    # 1. The pupil
    press_and_wait(page, "a.button[href='/referrals/new/']", "**/referrals/new/")
    assert page.get_by_role("heading", level=1).inner_text() == words["heading"]
    assert_accessible(page)
    type_into(page, "#reg-name", "鈴木 一郎")
    type_into(page, "#reg-nameKana", "すずき いちろう")
    type_into(page, "#reg-birthYear", "2012")
    type_into(page, "#reg-areaCode", "141313")
    type_into(page, "#reg-guardianName", "鈴木 花子")
    press_and_wait(page, "form:has(#reg-name) button", "**/referrals/new/consent/")

    # 2. The consent (the form starts from the usual choices; the guardian is the mother)
    assert_accessible(page)
    screenshots(page, f"consent-{language}")
    type_into(page, "#c-guardianRelationship", "母")
    page.keyboard.press("Tab")  # the sentence follows the form (htmx, on change)
    page.locator("#consent-sentence", has_text="母").wait_for()
    type_into(page, "#c-areaCode", "141305")  # places anywhere in the city, not only the ward
    tab_to(page, "#c-method-WRITTEN")  # given by word of mouth: no scan to attach
    page.keyboard.press("ArrowDown")
    assert page.locator("#c-method-VERBAL").is_checked()
    press_and_wait(page, "button[value=record]", "**/referrals/new/service/")

    # 3. The service: needs, search, choose with the arrow keys, summary, send
    assert_accessible(page)
    tab_to(page, "#need-school_non_attendance")
    page.keyboard.press("Space")
    type_into(page, "#s-area", "141305")  # the whole city: the NPO is in the next ward
    tab_to(page, ".needs-form button")
    page.keyboard.press("Enter")  # posted; the page comes back with the services
    page.locator("input[name=serviceId]").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert "school_non_attendance" not in page.url  # a need is never in the address
    tab_to(page, "input[name=serviceId]")
    study = network["study"]
    for _ in range(10):
        if page.evaluate("() => document.activeElement.value") == study:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator(f"#svc-{study}").is_checked()
    assert_accessible(page)
    screenshots(page, f"recommend-{language}")
    type_into(page, "#s-summary", "9月から欠席が続いています。学習の遅れを心配しています。")
    press_and_wait(page, "button[value=send]", re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    assert words["sent"] in page.locator(".tag-state").inner_text()
    referral_url = page.url
    assert_accessible(page)
    screenshots(page, f"referral-sender-{language}")

    # The NPO's caseworker takes it to the end.
    worker_context = browser.new_context(locale=context_locale(language))
    closed_network(worker_context, outside)
    worker = worker_context.new_page()
    sign_in(worker, live_server.url, "npo-worker")
    worker.wait_for_url("**/inbox/")
    worker.locator("#inbox-rows a").first.click()
    worker.wait_for_url(referral_url)
    for action, then in (("ACKNOWLEDGE", "ACCEPT"), ("ACCEPT", "START"), ("START", "COMPLETE")):
        worker.locator(f"form:has(input[name=action][value={action}]) button").click()
        worker.locator(f"input[name=action][value={then}]").wait_for(state="attached")
    worker.locator("#act-COMPLETE-outcome").select_option("CONNECTED")
    worker.locator("form:has(#act-COMPLETE-outcome) button").click()
    worker.locator("input[name=action]").first.wait_for(state="detached")
    worker_context.close()

    page.reload()
    assert words["connected"] in page.locator("main").inner_text()
    context.close()
    assert outside == []


def context_locale(language: str) -> str:
    return "ja-JP" if language == "ja" else "en-US"
