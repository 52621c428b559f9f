"""A second factor for everyone who can read subject data or administer (issue 23):
enrolment before anything else, no sign-in on a password alone, recovery codes used
once, every factor event audited, and the command-line reset."""

from __future__ import annotations

import re
import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from graph import session
from referral_hub.accounts import second_factor, signin
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from tests.conftest import age_second_factor

PASSWORD = "a-long-enough-passphrase-1"
ORGANISATION = "6f1c0d0e-5a8e-4c52-9d1e-0c6d3f4b2a10"
ME = {"query": "{ me { username roles } }"}


def person(username: str, *roles: Role, superuser: bool = False):
    users = get_user_model().objects
    make = users.create_superuser if superuser else users.create_user
    user = make(username=username, password=PASSWORD)
    for role in roles:
        Membership.objects.create(user=user, organisation_id=ORGANISATION, role=role.value)
    return user


def audited(action: str) -> list[str]:
    return session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent {action: $a}) RETURN e.actorUser AS user ORDER BY e.at", a=action
        )
    )


def added_kinds() -> list[str]:
    rows = session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent {action: 'SECOND_FACTOR_ADD', actorUser: 'aoi'})"
            " RETURN e.targetType AS kind ORDER BY kind"
        )
    )
    return [row["kind"] for row in rows]


def password_only(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def api(client: Client) -> dict:
    return client.post(
        "/graphql",
        ME,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    ).json()


@pytest.fixture
def services(graph_db, db, redis_db):
    return None


@pytest.mark.parametrize(
    ("roles", "superuser", "needed"),
    [
        ((), False, False),
        (("COORDINATOR",), False, True),  # issue 20: conveners read meeting minutes
        (("WELFARE_VOLUNTEER",), False, True),
        (("COUNSELLOR",), False, True),
        (("CASEWORKER",), False, True),
        (("AUDITOR",), False, True),
        (("ORG_ADMIN",), False, True),
        (("SYSTEM_ADMIN",), False, True),
        (("COORDINATOR", "COUNSELLOR"), False, True),
        ((), True, True),
    ],
)
def test_who_must_use_a_second_factor(roles, superuser, needed):
    assert second_factor.required(roles, superuser=superuser) is needed


def test_when_a_session_proved_one_and_whether_that_is_fresh():
    records = [{"method": "password", "at": 100.0}, {"method": "mfa", "at": 90.0}]
    assert second_factor.proved_at(records, None) == 90.0
    assert second_factor.proved_at(records[:1], None) is None
    assert second_factor.proved_at(records, 120.0) == 120.0  # enrolled later in the session
    assert second_factor.is_fresh(1000.0, 1300.0, 300)  # exactly the window: still fresh
    assert not second_factor.is_fresh(1000.0, 1300.001, 300)
    assert not second_factor.is_fresh(None, 1000.0, 300)
    assert not second_factor.is_fresh(1001.0, 1000.0, 300)  # a proof from the future


def test_without_a_factor_a_caseworker_enrols_before_anything_else(services):
    person("aoi", Role.CASEWORKER)
    client = password_only("aoi")
    refused = client.get("/inbox/")
    assert (refused.status_code, refused["Location"]) == (302, "/accounts/2fa/")
    assert api(client)["errors"][0]["extensions"]["code"] == "SECOND_FACTOR_REQUIRED"
    assert client.get("/accounts/2fa/").status_code == 200  # enrolment itself is open

    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # shown for typing in, beside the QR code
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert audited("SECOND_FACTOR_ADD") == []
    done = client.post("/accounts/2fa/totp/activate/", {"code": signin.fresh_totp_code(secret)})
    assert done.status_code == 302
    # The app, and the recovery codes allauth makes with it.
    assert added_kinds() == ["Authenticator:recovery_codes", "Authenticator:totp"]
    assert client.get("/inbox/").status_code == 200
    assert api(client) == {"data": {"me": {"username": "aoi", "roles": ["CASEWORKER"]}}}


def test_with_a_factor_a_password_alone_signs_nobody_in(services):
    user = person("aoi", Role.CASEWORKER)
    secret = signin.enrol_totp(user)
    client = Client()
    first = client.post("/accounts/login/", {"login": "aoi", "password": PASSWORD})
    assert first["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/inbox/")["Location"].startswith("/accounts/login/")
    assert audited("SIGN_IN") == []

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert audited("SECOND_FACTOR_FAILED") == [{"user": "aoi"}]
    code = signin.fresh_totp_code(secret)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert audited("SIGN_IN") == [{"user": "aoi"}]
    assert client.get("/inbox/").status_code == 200

    # The same code again, within its 30 seconds, is a replay: refused.
    again = Client()
    again.post("/accounts/login/", {"login": "aoi", "password": PASSWORD})
    assert again.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert "_auth_user_id" not in again.session


def test_a_recovery_code_signs_in_once(services):
    user = person("aoi", Role.CASEWORKER)
    signin.enrol_totp(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    for expected_status in (302, 200):
        client = Client()
        client.post("/accounts/login/", {"login": "aoi", "password": PASSWORD})
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == (
            expected_status
        )
    assert (
        len(
            RecoveryCodes(
                Authenticator.objects.get(user=user, type="recovery_codes")
            ).get_unused_codes()
        )
        == 9
    )


def test_a_coordinator_without_a_factor_is_sent_to_enrol_one(services):
    # Issue 20: a coordinator convenes support meetings and reads their subjects and
    # minutes, so a password alone no longer opens the API or a page to them.
    person("mio", Role.COORDINATOR)
    client = password_only("mio")
    assert api(client)["errors"][0]["extensions"]["code"] == "SECOND_FACTOR_REQUIRED"
    assert client.get("/meetings/")["Location"] == "/accounts/2fa/"


def test_the_command_line_resets_a_system_administrators_factors(services):
    root = person("root", superuser=True)
    client = signin.sign_in(Client(), root, PASSWORD)
    assert api(client)["data"]["me"]["username"] == "root"
    out = StringIO()
    call_command("reset_second_factor", "root", stdout=out)
    assert re.fullmatch(r"root: 1 factor\(s\) removed, sessions ended; .*\n", out.getvalue())
    assert Authenticator.objects.filter(user=root).count() == 0
    assert "_auth_user_id" not in client.session  # signed out everywhere
    assert audited("SECOND_FACTOR_RESET_BY_ADMIN") == [{"user": "system"}]
    # The next sign-in asks for a new factor before anything else.
    again = password_only("root")
    assert again.get("/")["Location"] == "/accounts/2fa/"


def test_where_am_i_signed_in_lists_and_ends_the_other_sessions(services):
    user = person("aoi", Role.CASEWORKER)
    office = signin.sign_in(Client(HTTP_USER_AGENT="Office PC"), user, PASSWORD)
    home = signin.sign_in(Client(HTTP_USER_AGENT="Home laptop"), user, PASSWORD)
    page = office.get("/accounts/sessions/").content.decode()
    assert "Office PC" in page
    assert "Home laptop" in page
    ended = office.post(
        "/accounts/sessions/", {"csrfmiddlewaretoken": office.cookies["csrftoken"].value}
    )
    assert ended.status_code == 302
    assert home.get("/inbox/")["Location"].startswith("/accounts/login/")
    assert office.get("/inbox/").status_code == 200
    assert audited("SESSION_END_BY_USER") == [{"user": "aoi"}]


def test_the_admin_sign_in_form_is_not_a_way_around_the_second_factor(services):
    root = person("root", superuser=True)
    signin.enrol_totp(root)
    client = Client()
    assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    # A session that skipped the factor someone has (forced here) is ended, not sent to
    # enrol another factor.
    client.force_login(root)
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_demo_code_is_printed_only_in_development(services, settings):
    from django.core.management.base import CommandError

    user = person("counsellor", Role.COUNSELLOR)
    secret = signin.enrol_totp(user)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development"):
        call_command("demo_code", "counsellor", stdout=StringIO())
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_code", "counsellor", stdout=out)
    assert out.getvalue().strip() in {
        signin.totp_code(secret, at) for at in (time.time() - 1, time.time())
    }
    with pytest.raises(CommandError, match="no authenticator app"):
        call_command("demo_code", "nobody", stdout=StringIO())


def test_a_signed_in_person_cannot_use_the_admin_form_to_become_someone_else(services):
    person("root", superuser=True)
    mio = person("mio")  # no role, so no factor needed: signed in with a password
    client = password_only("mio")
    answer = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert answer.status_code == 403
    assert client.session["_auth_user_id"] == str(mio.pk)


def test_without_a_factor_only_enrolment_opens_whatever_the_headers(services):
    person("aoi", Role.CASEWORKER)
    client = password_only("aoi")
    for path in ("/accounts/organisation/", "/accounts/password/change/", "/accounts/sessions/"):
        assert client.get(path)["Location"] == "/accounts/2fa/", path
    bearer = client.get("/inbox/", HTTP_AUTHORIZATION="Bearer tsu_x_y")
    assert bearer["Location"] == "/accounts/2fa/"
    assert Client().get("/accounts/email/").status_code == 404  # not offered at all


def test_new_recovery_codes_or_a_second_key_do_not_count_as_a_fresh_factor(services):
    user = person("aoi", Role.CASEWORKER)
    client = signin.sign_in(Client(), user, PASSWORD)
    csrf = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    assert client.post("/accounts/2fa/recovery-codes/generate/", csrf).status_code == 302
    assert second_factor.ENROLLED_AT not in client.session
    # Once the sign-in's proof is old, re-authenticating takes a factor: never the password.
    age_second_factor(client.session.session_key, 301)
    again = client.post("/accounts/2fa/recovery-codes/generate/", csrf)
    assert again["Location"].startswith("/accounts/2fa/reauthenticate/")
    assert (
        client.post("/accounts/reauthenticate/", {"password": PASSWORD, **csrf}).status_code == 403
    )


def test_production_refuses_webauthn_from_an_insecure_origin(settings):
    from referral_hub.core.checks import webauthn_origin_is_secure

    for debug, insecure, refused in [
        (False, True, True),
        (False, False, False),
        (True, True, False),
    ]:
        settings.DEBUG, settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = debug, insecure
        assert [e.id for e in webauthn_origin_is_secure(None)] == (["hub.E003"] if refused else [])
