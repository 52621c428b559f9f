"""Sign a Django test Client in the way a person does: password, then a TOTP code.

For the tests and the page benchmark, which must reach pages and the API as a person
who has proved a second factor. The code comes from allauth's own TOTP functions, the
same a phone app implements; nothing is bypassed.
"""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpResponseBase
from django.test import Client

PASSWORD = "correct-horse-battery-1"  # noqa: S105 - set on test users only


# A code is valid only in its own period (MFA_TOTP_TOLERANCE is 0), so a code computed
# in a period's last moments may reach the server in the next one and be refused.
SAFE_MARGIN_SECONDS = 3


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for `secret` now (or at `at`)."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    return format_hotp_value(hotp_value(secret, int(at or time.time()) // period))


def fresh_totp_code(secret: str) -> str:
    """The current code, waiting out the end of a period first as a person would when
    their app's countdown is nearly over, so the code is still valid when it arrives."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    left = period - time.time() % period
    if left < SAFE_MARGIN_SECONDS:
        time.sleep(left + 0.05)
    return totp_code(secret)


def enrol_totp(user: AbstractBaseUser) -> str:
    """Give `user` a fresh TOTP factor (any earlier one replaced) and return its secret.

    Fresh each time, so a code used by an earlier sign-in in the same 30 seconds is not
    refused as a replay."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in(client: Client, user: AbstractBaseUser, password: str = PASSWORD) -> Client:
    """Set `password`, enrol a TOTP factor and sign in through /accounts/login/ and the
    second-factor step. Fails loudly if either step is refused."""
    if not user.check_password(password):  # a new password ends the person's other sessions
        user.set_password(password)
        user.save(update_fields=["password"])
    secret = enrol_totp(user)
    client.get("/accounts/login/")  # the CSRF cookie, for a client that checks it
    csrf = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    first = client.post(
        "/accounts/login/", {"login": user.get_username(), "password": password, **csrf}
    )
    assert first.status_code == 302, first.status_code
    assert first["Location"] == "/accounts/2fa/authenticate/", first["Location"]
    second = client.post("/accounts/2fa/authenticate/", {"code": fresh_totp_code(secret), **csrf})
    assert second.status_code == 302, (second.status_code, _form_errors(second))
    return client


def _form_errors(response: HttpResponseBase) -> object:
    """What the refused step said, so a failure names its cause."""
    # The test client's response: `context` is the client's addition, and `content` is
    # only on a non-streaming response (every sign-in page is one).
    form = (getattr(response, "context", None) or {}).get("form")
    return form.errors if form is not None else getattr(response, "content", b"")[:500]
