"""The second factor in a real browser (issue 23): a first sign-in enrols an authenticator
app before anything else, a security key (Chromium's virtual authenticator) enrols and
signs in, and every page involved is served by the hub alone and passes axe."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from referral_hub.accounts import signin
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from tests.pages.conftest import PASSWORD, assert_accessible, closed_network

pytestmark = pytest.mark.browser

ORGANISATION = "6f1c0d0e-5a8e-4c52-9d1e-0c6d3f4b2a10"


@pytest.fixture
def caseworker(transactional_db, redis_db, graph_db):
    user = get_user_model().objects.create_user(username="aoi", password=PASSWORD)
    Membership.objects.create(user=user, organisation_id=ORGANISATION, role=Role.CASEWORKER.value)
    return user


@pytest.fixture
def english(browser):
    context = browser.new_context(locale="en-US")
    outside: list[str] = []
    closed_network(context, outside)
    yield context, outside
    assert outside == []  # nothing loaded from another host
    context.close()


def password(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill("aoi")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_first_sign_in_enrols_an_authenticator_app_before_anything_else(
    live_server, english, caseworker
):
    context, _ = english
    page = context.new_page()
    password(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")
    assert "Set up a second factor to continue" in page.locator(".notices").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/inbox/")  # any other page: back to enrolment
    assert page.url == f"{live_server.url}/accounts/2fa/"

    page.get_by_role("link", name="Activate").click()
    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    assert_accessible(page)
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1  # the QR, inline
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Authenticator code").fill(signin.fresh_totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    # allauth shows the recovery codes made with the app, to print or download.
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert_accessible(page)
    page.goto(f"{live_server.url}/inbox/")
    assert page.url == f"{live_server.url}/inbox/"
    page.get_by_role("link", name="Sessions").click()  # where am I signed in
    page.wait_for_url(f"{live_server.url}/accounts/sessions/")
    assert_accessible(page)
    assert page.get_by_role("table").count() == 1
    assert {a.type for a in Authenticator.objects.filter(user=caseworker)} == {
        "totp",
        "recovery_codes",
    }


def test_a_security_key_enrols_and_then_signs_in(live_server, english, caseworker):
    context, _ = english
    page = context.new_page()
    # Chromium's virtual authenticator: a USB key that is touched whenever asked.
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    password(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Office key")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/(recovery-codes|webauthn)/(?!add)"))
    assert Authenticator.objects.filter(user=caseworker, type="webauthn").count() == 1

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    password(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url(f"{live_server.url}/inbox/")
    assert page.locator(".who").inner_text() == "aoi"


def test_an_unattended_session_ends_after_30_idle_minutes(live_server, english, caseworker):
    from django.contrib.sessions.backends.db import SessionStore

    from referral_hub.accounts.sessions import SEEN_AT
    from tests.pages.conftest import sign_in

    context, _ = english
    page = context.new_page()
    sign_in(page, live_server.url, "aoi")
    page.wait_for_url(f"{live_server.url}/inbox/")
    key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    stored = SessionStore(session_key=key)
    stored[SEEN_AT] -= 1801  # the desk was left half an hour and a second ago
    stored.save()
    page.goto(f"{live_server.url}/inbox/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert "signed out after a time without activity" in page.locator(".notices").inner_text()
