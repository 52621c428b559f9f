"""Staff sessions end when unattended and after a set lifetime; every sign-in, failure,
sign-out and session end is audited (issue 23)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from graph import session
from referral_hub.accounts import signin
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.accounts.sessions import SEEN_AT, SIGNED_IN_AT, expired

PASSWORD = "a-long-enough-passphrase-1"
ORGANISATION = "6f1c0d0e-5a8e-4c52-9d1e-0c6d3f4b2a10"


@pytest.fixture
def caseworker(graph_db, db, redis_db):
    user = get_user_model().objects.create_user(username="aoi", password=PASSWORD)
    Membership.objects.create(user=user, organisation_id=ORGANISATION, role=Role.CASEWORKER.value)
    return user


def audited(action: str) -> list[dict]:
    return session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent {action: $a}) RETURN e.actorUser AS user,"
            " e.actorOrganisation AS organisation, e.targetId AS target,"
            " e.chain STARTS WITH 'writer:' AS on_writer_chain ORDER BY e.at",
            a=action,
        )
    )


def signed_in_client(caseworker) -> Client:
    return signin.sign_in(Client(), caseworker, PASSWORD)


def age(client: Client, key: str, seconds: float) -> None:
    """Move the session's clock: `key` happened `seconds` ago."""
    stored = client.session
    stored[key] = time.time() - seconds
    stored.save()


def test_sign_in_failure_and_sign_out_are_audited(caseworker):
    client = Client()
    client.post("/accounts/login/", {"login": "aoi", "password": "wrong"})
    assert audited("SIGN_IN_FAILED") == [
        {"user": "aoi", "organisation": None, "target": None, "on_writer_chain": True}
    ]
    client = signed_in_client(caseworker)
    assert audited("SIGN_IN") == [
        {
            "user": "aoi",
            "organisation": ORGANISATION,
            "target": str(caseworker.pk),
            "on_writer_chain": True,
        }
    ]
    client.post("/accounts/logout/")
    assert [row["user"] for row in audited("SIGN_OUT")] == ["aoi"]


@pytest.mark.parametrize(("idle", "signed_in"), [(1799, True), (1801, False)])
def test_an_idle_session_ends_after_30_minutes(caseworker, idle, signed_in):
    client = signed_in_client(caseworker)
    age(client, SEEN_AT, idle)
    response = client.get("/capacity/")
    assert (response.status_code == 200) is signed_in
    if not signed_in:
        assert response["Location"].startswith("/accounts/login/")
        assert [row["user"] for row in audited("SESSION_END_IDLE")] == ["aoi"]
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "一定時間操作がなかったため、ログアウトしました。" in page  # ja: the default


@pytest.mark.parametrize(("lived", "signed_in"), [(12 * 3600 - 60, True), (12 * 3600 + 1, False)])
def test_a_session_ends_12_hours_after_sign_in_however_busy(caseworker, lived, signed_in):
    client = signed_in_client(caseworker)
    age(client, SIGNED_IN_AT, lived)
    response = client.get("/capacity/")
    assert (response.status_code == 200) is signed_in
    if not signed_in:
        assert [row["user"] for row in audited("SESSION_END_LIFETIME")] == ["aoi"]


def test_the_rule_itself():
    now = 1_000_000.0
    assert expired(now, now, now) is None
    assert expired(now - 43200, now - 1800, now) is None  # both limits exactly: still on
    assert expired(now, now - 1801, now) == "IDLE"
    assert expired(now - 43201, now, now) == "LIFETIME"
    assert expired(None, None, now) is None


@pytest.mark.parametrize(
    "password",
    [
        "short-pw-1x",  # 11 characters: one too few
        "password1234",  # common
        "123456789012",  # digits only
        "kawasaki-counsellor",  # the username itself
    ],
)
def test_weak_passwords_are_refused(password):
    user = get_user_model()(username="kawasaki-counsellor")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_twelve_characters_are_enough():
    validate_password("short-pw-12x", user=get_user_model()(username="kawasaki-counsellor"))


def test_a_long_passphrase_is_accepted(caseworker):
    validate_password("川沿いの図書館で木曜に会いましょう", user=caseworker)
