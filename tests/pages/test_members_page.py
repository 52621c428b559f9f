"""The organisation admin's members page in Chromium (issue 23): invite by e-mail, the
invitee creates an account from the link and is sent to enrol a second factor, the admin
gives another role, resets and removes; every page axe-clean, nothing loaded from another host."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from tests.pages.conftest import assert_accessible, closed_network, sign_in

pytestmark = pytest.mark.browser

NPO = "6f1c0d0e-5a8e-4c52-9d1e-0c6d3f4b2a10"
PASSWORD = "川沿いの図書館で木曜に会いましょう"


@pytest.fixture
def admin(transactional_db, redis_db, graph_db):
    user = get_user_model().objects.create_user(username="npo-admin")
    Membership.objects.create(user=user, organisation_id=NPO, role=Role.ORG_ADMIN.value)
    return user


def test_an_admin_invites_a_caseworker_who_joins_and_is_then_removed(live_server, browser, admin):
    outside: list[str] = []
    context = browser.new_context(locale="en-US")
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "npo-admin")
    page.get_by_role("link", name="Members").click()
    page.wait_for_url(f"{live_server.url}/members/")
    assert_accessible(page)

    page.get_by_label("E-mail").fill("sora@example")  # the browser takes it; the hub does not
    page.get_by_role("button", name="Send the invitation").click()
    page.locator("#invite-email-error").wait_for()
    assert mail.outbox == []
    page.get_by_label("E-mail").fill("sora@example.jp")
    page.get_by_label("Role").select_option("CASEWORKER")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("The invitation is on its way.").wait_for()
    assert page.get_by_text("sora@example.jp").count() == 1
    link = re.search(r"/accounts/invitation/[^\s/]+/", mail.outbox[0].body).group(0)

    invitee_context = browser.new_context(locale="ja-JP")
    closed_network(invitee_context, outside)
    invitee = invitee_context.new_page()
    invitee.goto(f"{live_server.url}{link}")
    assert_accessible(invitee)
    invitee.get_by_label("ユーザー名").fill("sora")
    invitee.get_by_label("パスワード", exact=True).fill(PASSWORD)
    invitee.get_by_label("パスワード（確認）").fill(PASSWORD)
    invitee.get_by_role("button", name="参加する").click()
    invitee.wait_for_url(f"{live_server.url}/accounts/login/")
    invitee.get_by_label("ユーザー名").fill("sora")
    invitee.get_by_label("パスワード").fill(PASSWORD)
    invitee.get_by_role("button", name="ログイン").click()
    invitee.wait_for_url(f"{live_server.url}/accounts/2fa/")  # a factor before anything

    page.reload()
    row = page.get_by_role("row", name=re.compile("sora"))
    assert "Not yet" in row.inner_text()
    row.get_by_label("Counsellor (refers)").check()
    row.get_by_role("button", name="Save the roles of sora").click()
    page.get_by_text("The member's roles are changed").wait_for()
    assert set(Membership.objects.filter(user__username="sora").values_list("role", flat=True)) == {
        "CASEWORKER",
        "COUNSELLOR",
    }
    assert_accessible(page)
    row = page.get_by_role("row", name=re.compile("sora"))
    row.get_by_role("button", name="Remove sora").click()
    page.get_by_text("The member is removed").wait_for()
    invitee.goto(f"{live_server.url}/inbox/")
    assert invitee.url.startswith(f"{live_server.url}/accounts/login/")  # signed out at once
    assert not get_user_model().objects.get(username="sora").is_active
    invitee_context.close()
    context.close()
    assert outside == []
