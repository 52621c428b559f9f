"""The front-line journeys in Chromium, in Japanese and in English (issue 14).

Each page visited is checked with axe-core (no serious or critical WCAG 2.1 AA
violation), and no request may leave 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.pages.conftest import assert_accessible, closed_network, sign_in
from tests.referrals.flows import create, give_consent, move

pytestmark = pytest.mark.browser


@pytest.fixture
def sent(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    payload = create(people, subject, network["consult"])["data"]["createReferral"]
    assert payload["errors"] == [], payload
    return network, people, subject, payload["referral"]["id"]


def acknowledge(people, referral_id):
    """The welfare office acknowledges the referral through the API (another person)."""
    read = "query($id: ID!) { referral(id: $id) { version } }"
    version = people["welfare"](read, {"id": referral_id})["data"]["referral"]["version"]
    moved = move(people["welfare"], referral_id, "ACKNOWLEDGE", version)
    assert moved["errors"] == [], moved


@pytest.fixture
def person(browser, live_server):
    """A signed-in person in their own browser context; requests to other hosts fail."""
    contexts = []
    outside: list[str] = []

    def open_as(username: str, locale: str = "ja-JP"):
        context = browser.new_context(locale=locale)
        contexts.append(context)
        page = context.new_page()
        closed_network(page, outside)
        sign_in(page, live_server.url, username)
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert outside == []


def test_caseworker_takes_a_referral_to_connected_in_japanese(sent, person, screenshots):
    _network, _people, _, referral_id = sent
    caseworker = person("caseworker")
    assert caseworker.url.endswith("/inbox/")  # the caseworker's home
    assert caseworker.locator("html").get_attribute("lang") == "ja"
    row = caseworker.locator("#inbox-rows tbody tr").first
    assert "新着" in row.inner_text()
    assert_accessible(caseworker)
    screenshots(caseworker, "inbox")

    row.get_by_role("link").click()
    caseworker.wait_for_url(f"**/referrals/{referral_id}/")
    text = caseworker.locator("main").inner_text()
    assert "山田 太郎" in text
    assert "保護者: 同意の範囲外：家族（FAMILY）" in text
    assert_accessible(caseworker)

    for button in ("受け付ける", "受け入れる", "支援を開始する"):
        caseworker.get_by_role("button", name=button).click()
        caseworker.get_by_role("status").filter(has_text=button).wait_for()
    caseworker.get_by_label("結果").select_option("CONNECTED")
    caseworker.get_by_role("button", name="完了にする").click()
    caseworker.get_by_role("status").filter(has_text="完了にする").wait_for()
    assert "つながった" in caseworker.locator("main").inner_text()
    screenshots(caseworker, "referral-receiver")
    assert_accessible(caseworker)

    counsellor = person("counsellor")
    assert urlparse(counsellor.url).path == "/"  # the counsellor's home
    completed = counsellor.locator("section", has=counsellor.get_by_role("heading", name="完了"))
    completed.get_by_role("link").click()
    counsellor.wait_for_url(f"**/referrals/{referral_id}/")
    assert "つながった" in counsellor.locator("main").inner_text()
    assert_accessible(counsellor)


def test_caseworker_declines_with_a_suggested_service_in_english(sent, person):
    _network, people, _, referral_id = sent
    acknowledge(people, referral_id)
    caseworker = person("caseworker", locale="en-US")
    caseworker.goto(caseworker.url.replace("/inbox/", f"/referrals/{referral_id}/"))
    assert caseworker.locator("html").get_attribute("lang") == "en"
    caseworker.get_by_label("Reason").select_option("NO_CAPACITY")
    caseworker.get_by_label("Suggest another service (optional)").fill("フリースクール")
    caseworker.get_by_label("フリースクール").check()  # the htmx search's answer
    assert_accessible(caseworker)
    caseworker.get_by_role("button", name="Decline").click()
    caseworker.get_by_role("status").filter(has_text="Decline").wait_for()
    text = caseworker.locator("main").inner_text()
    assert "No capacity" in text
    read = "query($id: ID!) { referral(id: $id) { state followedBy } }"
    answer = people["counsellor"](read, {"id": referral_id})["data"]["referral"]
    assert answer["state"] == "DECLINED"
    assert answer["followedBy"] is not None  # the suggested service became a draft


def test_a_refused_action_is_shown_beside_its_field_and_a_conflict_plainly(sent, person):
    _network, people, _, referral_id = sent
    caseworker = person("caseworker", locale="en-US")
    caseworker.goto(caseworker.url.replace("/inbox/", f"/referrals/{referral_id}/"))
    # Someone else acknowledges it meanwhile: the page still holds version 2.
    acknowledge(people, referral_id)
    caseworker.get_by_role("button", name="Acknowledge").click()
    alert = caseworker.get_by_role("alert")
    alert.wait_for()
    assert "Someone else changed this referral just now" in alert.inner_text()
    assert_accessible(caseworker)
    caseworker.get_by_role("link", name="Reload the referral").click()
    # The reloaded page has no alert (the conflict page had an Accept button too, so
    # waiting for that alone would act on the old page while the new one swaps in).
    caseworker.wait_for_url(f"**/referrals/{referral_id}/")
    caseworker.get_by_role("alert").wait_for(state="detached")
    caseworker.wait_for_load_state("networkidle")

    # A decline without a reason: the browser would stop it (required), so remove that
    # as a hand-made request would, and see the API's own refusal beside the field.
    caseworker.locator("#act-DECLINE-reason").evaluate("el => el.removeAttribute('required')")
    caseworker.get_by_role("button", name="Decline").click()
    caseworker.locator("#act-DECLINE-reason-error").wait_for()
    assert caseworker.locator("#act-DECLINE-reason").get_attribute("aria-invalid") == "true"
    assert_accessible(caseworker)


def test_capacity_is_set_with_one_control(sent, person):
    caseworker = person("caseworker")
    caseworker.get_by_role("link", name="受け入れ状況").click()
    caseworker.wait_for_url("**/capacity/")
    assert_accessible(caseworker)
    caseworker.locator("select[name=status]").first.select_option("FULL")
    caseworker.get_by_role("button", name="保存").first.click()
    caseworker.get_by_role("status").filter(has_text="保存しました").wait_for()
    assert caseworker.locator("select[name=status]").first.input_value() == "FULL"


def test_withdrawing_consent_asks_for_the_second_factor_again(sent, person):
    """Five minutes after signing in, withdrawing consent first asks for a code; then the
    counsellor is back on the referral and withdraws it (issue 23)."""
    from django.contrib.auth import get_user_model

    from referral_hub.accounts import signin
    from tests.conftest import age_second_factor

    _network, _people, _, referral_id = sent
    counsellor = person("counsellor", locale="en-US")
    referral_url = f"{urlparse(counsellor.url)._replace(path='').geturl()}/referrals/{referral_id}/"
    counsellor.goto(referral_url)
    session_key = next(c["value"] for c in counsellor.context.cookies() if c["name"] == "sessionid")
    age_second_factor(session_key, 301)

    counsellor.get_by_role("button", name="Withdraw consent").click()
    counsellor.wait_for_url("**/accounts/2fa/reauthenticate/?next=*")
    assert "Confirm it is you" in counsellor.locator(".notices").inner_text()
    assert_accessible(counsellor)
    secret = signin.enrol_totp(get_user_model().objects.get(username="counsellor"))
    counsellor.get_by_label("Code").fill(signin.fresh_totp_code(secret))
    counsellor.get_by_role("button", name="Confirm").click()
    counsellor.wait_for_url(referral_url)
    counsellor.get_by_role("button", name="Withdraw consent").click()
    counsellor.wait_for_url(referral_url)
    assert "The consent is withdrawn" in counsellor.locator(".notices").inner_text()
