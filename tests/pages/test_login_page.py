"""Pages in a real browser: Debian's Chromium driven by Playwright against a live server."""

import json

import pytest
from django.contrib.auth import get_user_model

from referral_hub.accounts import signin
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from tests.pages.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def counsellor(transactional_db, redis_db, graph_db):
    user = get_user_model().objects.create_user(username="kana", password="correct-horse-1")
    Membership.objects.create(
        user=user,
        organisation_id="6f1c0d0e-5a8e-4c52-9d1e-0c6d3f4b2a10",
        role=Role.COUNSELLOR.value,
    )
    return user


def test_the_login_page_speaks_japanese_and_english(live_server, page, redis_db):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.title() == "ログイン — つながり連携ハブ"
    assert page.get_by_label("ユーザー名").is_visible()
    assert page.get_by_label("パスワード").is_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.title() == "Sign in — Tsunagari Referral Hub"
    assert page.get_by_label("Username").is_visible()
    page.get_by_role("button", name="日本語").click()
    assert page.get_by_label("ユーザー名").is_visible()


def test_a_wrong_password_or_code_is_told_and_the_right_pair_signs_in(
    live_server, page, counsellor
):
    secret = signin.enrol_totp(counsellor)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill("kana")
    page.get_by_label("パスワード").fill("wrong")
    page.get_by_role("button", name="ログイン").click()
    assert page.get_by_role("alert").is_visible()

    page.get_by_label("ユーザー名").fill("kana")
    page.get_by_label("パスワード").fill("correct-horse-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("コード").fill("000000")
    page.get_by_role("button", name="ログイン").click()
    page.locator(".field-error").wait_for()  # the code is refused beside its field
    page.get_by_label("コード").fill(signin.fresh_totp_code(secret))
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{live_server.url}/")  # the counsellor's home

    # The signed-in browser calls the API with its session cookie and the CSRF token,
    # as GraphiQL does.
    body = page.evaluate("""async () => {
        const csrf = document.cookie.split('; ').find(c => c.startsWith('csrftoken='));
        const response = await fetch('/graphql', {
            method: 'POST',
            headers: {'Content-Type': 'application/json',
                      'X-CSRFToken': csrf ? csrf.split('=')[1] : ''},
            body: JSON.stringify({query: '{ me { username roles } }'}),
        });
        return JSON.stringify(await response.json());
    }""")
    assert json.loads(body) == {"data": {"me": {"username": "kana", "roles": ["COUNSELLOR"]}}}


def test_without_the_csrf_token_the_session_cannot_call_the_api(live_server, page, counsellor):
    sign_in(page, live_server.url, "kana")
    page.wait_for_url(f"{live_server.url}/")
    status = page.evaluate("""async () => (await fetch('/graphql', {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({query: '{ me { username } }'})})).status""")
    assert status == 403
