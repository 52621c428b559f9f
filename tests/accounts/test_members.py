"""An organisation's admin runs its members (issue 23): invitations by e-mail that work
once and expire, factor resets, removal that ends sessions and tokens; password reset by
e-mail. Every change is audited; every refusal writes nothing."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from graph import session
from referral_hub.accounts import members as member_service
from referral_hub.accounts import signin, tokens
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.models import ApiToken, Invitation, Membership
from referral_hub.accounts.roles import Role
from referral_hub.core.errors import PublicError
from tests.conftest import age_second_factor, member, signed_in_member

NPO = "6f1c0d0e-5a8e-4c52-9d1e-0c6d3f4b2a10"
OTHER = "0b4d9c1e-2f3a-4b5c-8d6e-7f8091a2b3c4"
INVITE = """mutation($email: String!, $role: String!) {
  inviteMember(email: $email, role: $role) { invitation { id email role } errors { field code } }
}"""
MEMBERS = "{ members { username roles active secondFactor } memberInvitations { email } }"
RESET = "mutation($u: ID!) { resetMemberFactors(userId: $u) { removed errors { field code } } }"
REMOVE = "mutation($u: ID!) { removeMember(userId: $u) { deactivated errors { field code } } }"
GOOD_PASSWORD = "川沿いの図書館で木曜に会いましょう"


@pytest.fixture
def admin(graph_db, db, redis_db):
    return signed_in_member("npo-admin", NPO, Role.ORG_ADMIN)


def code(body: dict) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def audited(action: str) -> list[str]:
    rows = session.read(
        lambda tx: tx.rows("MATCH (e:AuditEvent {action: $a}) RETURN e.actorUser AS u", a=action)
    )
    return [row["u"] for row in rows]


def invitation_link() -> str:
    (sent,) = mail.outbox
    return re.search(r"http://[^\s]+/accounts/invitation/[^\s/]+/", sent.body).group(0)


def test_an_invitation_is_mailed_once_and_makes_an_account_that_must_enrol(admin):
    body = admin(INVITE, {"email": "new@example.jp", "role": "CASEWORKER"})
    assert body["data"]["inviteMember"]["errors"] == []
    assert mail.outbox[0].to == ["new@example.jp"]
    assert "CASEWORKER" in mail.outbox[0].body
    assert audited("MEMBER_INVITE") == ["npo-admin"]
    assert admin(MEMBERS)["data"]["memberInvitations"] == [{"email": "new@example.jp"}]
    path = invitation_link().removeprefix("http://127.0.0.1:8000")
    assert Invitation.objects.get().digest not in path  # only a digest is kept

    browser = Client()
    assert browser.get(path).status_code == 200
    weak = browser.post(path, {"username": "sora", "password": "short", "password2": "short"})
    assert weak.status_code == 422
    assert get_user_model().objects.filter(username="sora").count() == 0
    taken = browser.post(
        path, {"username": "NPO-admin", "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert taken.status_code == 422  # usernames are unique whatever their case
    joined = browser.post(
        path, {"username": "sora", "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert joined["Location"] == "/accounts/login/"
    sora = get_user_model().objects.get(username="sora")
    assert sora.email == "new@example.jp"
    assert list(Membership.objects.filter(user=sora).values_list("role", flat=True)) == [
        "CASEWORKER"
    ]
    assert audited("MEMBER_JOIN") == ["sora"]
    # Used once: the link is gone, and says so without saying more.
    again = Client().post(
        path, {"username": "x", "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert again.status_code == 404
    assert get_user_model().objects.filter(username="x").count() == 0
    # The new caseworker signs in and is sent to enrol a second factor first.
    client = Client()
    client.post("/accounts/login/", {"login": "sora", "password": GOOD_PASSWORD})
    assert client.get("/inbox/")["Location"] == "/accounts/2fa/"


@pytest.mark.parametrize(
    ("left", "works"), [(timedelta(seconds=5), True), (-timedelta(seconds=1), False)]
)
def test_an_invitation_expires(admin, left, works):
    admin(INVITE, {"email": "new@example.jp", "role": "COUNSELLOR"})
    Invitation.objects.update(expires_at=timezone.now() + left)
    path = invitation_link().removeprefix("http://127.0.0.1:8000")
    assert Client().get(path).status_code == (200 if works else 404)


def test_a_signed_in_person_joins_with_the_account_they_have(admin):
    admin(INVITE, {"email": "kana@example.jp", "role": "COUNSELLOR"})
    path = invitation_link().removeprefix("http://127.0.0.1:8000")
    elsewhere = signed_in_member("kana", OTHER, Role.COUNSELLOR)
    csrf = {"csrfmiddlewaretoken": elsewhere.client.cookies["csrftoken"].value}
    assert elsewhere.client.post(path, csrf)["Location"] == "/"
    organisations = Membership.objects.filter(user__username="kana").values_list(
        "organisation_id", flat=True
    )
    assert {str(o) for o in organisations} == {NPO, OTHER}


@pytest.mark.parametrize(
    ("email", "role", "field", "error"),
    [
        ("not-an-address", "COUNSELLOR", "email", "INVALID"),
        ("a@example.jp", "SYSTEM_ADMIN", "role", "INVALID"),
        ("a@example.jp", "", "role", "INVALID"),
    ],
)
def test_a_bad_invitation_is_refused_beside_its_field_and_sends_nothing(
    admin, email, role, field, error
):
    body = admin(INVITE, {"email": email, "role": role})["data"]["inviteMember"]
    assert body == {"invitation": None, "errors": [{"field": field, "code": error}]}
    assert mail.outbox == []
    assert Invitation.objects.count() == 0


def test_only_an_admin_invites_and_only_with_a_recent_second_factor(admin):
    caseworker = member("worker", NPO, Role.CASEWORKER)
    assert code(caseworker(INVITE, {"email": "a@example.jp", "role": "CASEWORKER"})) == "FORBIDDEN"
    age_second_factor(admin.client.session.session_key, 301)
    assert code(admin(INVITE, {"email": "a@example.jp", "role": "CASEWORKER"})) == (
        "REAUTHENTICATION_REQUIRED"
    )
    assert (mail.outbox, Invitation.objects.count(), audited("MEMBER_INVITE")) == ([], 0, [])


def test_an_unreachable_mail_server_leaves_no_invitation(admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    assert (
        code(admin(INVITE, {"email": "a@example.jp", "role": "CASEWORKER"})) == "MAIL_UNAVAILABLE"
    )
    assert (Invitation.objects.count(), audited("MEMBER_INVITE")) == (0, [])


def test_an_admin_resets_a_members_factors_but_never_a_system_administrators(admin):
    worker = signed_in_member("worker", NPO, Role.CASEWORKER)
    listed = {m["username"]: m for m in admin(MEMBERS)["data"]["members"]}
    assert listed["worker"] == {
        "username": "worker",
        "roles": ["CASEWORKER"],
        "active": True,
        "secondFactor": True,
    }
    user = get_user_model().objects.get(username="worker")
    removed = admin(RESET, {"u": str(user.pk)})["data"]["resetMemberFactors"]
    assert removed == {"removed": 1, "errors": []}
    assert Authenticator.objects.filter(user=user).count() == 0
    assert code(worker("{ me { username } }")) == "UNAUTHENTICATED"  # signed out at once
    assert audited("SECOND_FACTOR_RESET_BY_ADMIN") == ["npo-admin"]

    root = get_user_model().objects.create_user(username="root")
    Membership.objects.create(user=root, organisation_id=NPO, role=Role.SYSTEM_ADMIN.value)
    signin.enrol_totp(root)
    refused = admin(RESET, {"u": str(root.pk)})["data"]["resetMemberFactors"]
    assert refused == {"removed": None, "errors": [{"field": "userId", "code": "FORBIDDEN"}]}
    assert Authenticator.objects.filter(user=root).count() == 1
    stranger = get_user_model().objects.create_user(username="stranger")
    Membership.objects.create(user=stranger, organisation_id=OTHER, role=Role.CASEWORKER.value)
    for foreign in (str(stranger.pk), "999999", "１２", "-1"):
        assert admin(RESET, {"u": foreign})["data"]["resetMemberFactors"]["errors"] == [
            {"field": "userId", "code": "NOT_FOUND"}
        ]


def test_removing_a_member_ends_their_sessions_and_tokens(admin):
    worker = signed_in_member("worker", NPO, Role.CASEWORKER)
    user = get_user_model().objects.get(username="worker")
    raw, _ = tokens.issue(user=user, name="own", kind=ApiToken.Kind.PERSONAL)
    both = member("both", NPO, Role.CASEWORKER)
    Membership.objects.create(
        user=get_user_model().objects.get(username="both"), organisation_id=OTHER, role="CASEWORKER"
    )

    assert admin(REMOVE, {"u": str(user.pk)})["data"]["removeMember"] == {
        "deactivated": True,
        "errors": [],
    }
    assert code(worker("{ me { username } }")) == "UNAUTHENTICATED"
    with pytest.raises(tokens.TokenError):
        tokens.authenticate(raw)
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert audited("MEMBER_DEACTIVATE") == ["npo-admin"]

    # Someone with another organisation keeps their account and personal token there.
    other = get_user_model().objects.get(username="both")
    assert admin(REMOVE, {"u": str(other.pk)})["data"]["removeMember"]["deactivated"] is False
    assert (
        both("{ me { username } }", expect_status=None)["errors"][0]["extensions"]["code"]
        == "FORBIDDEN"
    )
    both.headers["HTTP_X_ORGANISATION_ID"] = OTHER
    assert both("{ me { username } }")["data"]["me"]["username"] == "both"
    assert audited("MEMBER_REMOVE") == ["npo-admin"]

    me = get_user_model().objects.get(username="npo-admin")
    assert admin(REMOVE, {"u": str(me.pk)})["data"]["removeMember"]["errors"] == [
        {"field": "userId", "code": "INVALID"}
    ]


def test_a_password_reset_link_expires_works_once_and_still_asks_for_the_second_factor(
    graph_db, db, redis_db, settings
):
    user = get_user_model().objects.create_user(
        username="aoi", email="aoi@example.jp", password="old-password-123"
    )
    Membership.objects.create(user=user, organisation_id=NPO, role=Role.CASEWORKER.value)
    secret = signin.enrol_totp(user)
    Client().post("/accounts/password/reset/", {"email": "aoi@example.jp"})
    link = re.search(
        r"http://[^\s]+/accounts/password/reset/key/[^\s]+/", mail.outbox[0].body
    ).group(0)
    path = link.split("testserver", 1)[-1]
    settings.PASSWORD_RESET_TIMEOUT = -1  # the link's hour is over
    assert "password1" not in Client().get(path, follow=True).content.decode()
    settings.PASSWORD_RESET_TIMEOUT = 3600
    browser = Client()
    form_page = browser.get(path, follow=True)
    assert form_page.status_code == 200
    done = browser.post(
        form_page.redirect_chain[-1][0],
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert done.status_code == 302
    assert audited("PASSWORD_RESET") == ["aoi"]
    reused = Client().get(path, follow=True)
    assert "password1" not in reused.content.decode()  # the link is spent
    client = Client()
    first = client.post("/accounts/login/", {"login": "aoi", "password": GOOD_PASSWORD})
    assert first["Location"] == "/accounts/2fa/authenticate/"
    code = signin.fresh_totp_code(secret)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302


@pytest.mark.parametrize("role", ["AUDITOR", "COORDINATOR"])
def test_oversight_roles_come_only_from_someone_who_holds_them(admin, role):
    refused = admin(INVITE, {"email": "a@example.jp", "role": role})["data"]["inviteMember"]
    assert refused["errors"] == [{"field": "role", "code": "FORBIDDEN"}]
    assert Invitation.objects.count() == 0
    holder = signed_in_member("ward-admin", OTHER, Role.ORG_ADMIN, Role(role))
    assert (
        holder(INVITE, {"email": "a@example.jp", "role": role})["data"]["inviteMember"]["errors"]
        == []
    )


def test_a_system_administrator_is_not_removed_by_an_organisation_admin(admin):
    root = get_user_model().objects.create_user(username="root")
    Membership.objects.create(user=root, organisation_id=NPO, role=Role.SYSTEM_ADMIN.value)
    refused = admin(REMOVE, {"u": str(root.pk)})["data"]["removeMember"]
    assert refused == {"deactivated": None, "errors": [{"field": "userId", "code": "FORBIDDEN"}]}
    assert Membership.objects.filter(user=root).count() == 1


def test_a_member_of_other_organisations_too_is_reset_by_the_operator_only(admin):
    both = get_user_model().objects.create_user(username="both")
    Membership.objects.create(user=both, organisation_id=NPO, role=Role.CASEWORKER.value)
    Membership.objects.create(user=both, organisation_id=OTHER, role=Role.ORG_ADMIN.value)
    signin.enrol_totp(both)
    refused = admin(RESET, {"u": str(both.pk)})["data"]["resetMemberFactors"]
    assert refused["errors"] == [{"field": "userId", "code": "FORBIDDEN"}]
    assert Authenticator.objects.filter(user=both).count() == 1


def test_an_invitation_is_withdrawn_once_and_then_cannot_be_used(admin):
    admin(INVITE, {"email": "new@example.jp", "role": "CASEWORKER"})
    invitation = Invitation.objects.get()
    revoke = "mutation($id: ID!) { revokeMemberInvitation(id: $id) { errors { field code } } }"
    first = admin(revoke, {"id": str(invitation.pk)})["data"]["revokeMemberInvitation"]
    assert first["errors"] == []
    second = admin(revoke, {"id": str(invitation.pk)})["data"]["revokeMemberInvitation"]
    assert second["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert audited("MEMBER_INVITE_REVOKE") == ["npo-admin"]
    path = invitation_link().removeprefix("http://127.0.0.1:8000")
    assert Client().get(path).status_code == 404


ROLES = """mutation($u: ID!, $roles: [String!]!) {
  setMemberRoles(userId: $u, roles: $roles) { member { username roles } errors { field code } }
}"""


def held(username: str) -> set[str]:
    return set(Membership.objects.filter(user__username=username).values_list("role", flat=True))


def test_an_admin_changes_a_members_roles_in_place_from_their_next_request(admin):
    worker = member("worker", NPO, Role.CASEWORKER)
    user = get_user_model().objects.get(username="worker")
    assert worker("{ inbox(first: 1) { edges { cursor } } }")["data"]["inbox"] is not None

    changed = admin(ROLES, {"u": str(user.pk), "roles": ["COUNSELLOR", "ORG_ADMIN"]})
    assert changed["data"]["setMemberRoles"] == {
        "member": {"username": "worker", "roles": ["COUNSELLOR", "ORG_ADMIN"]},
        "errors": [],
    }
    assert held("worker") == {"COUNSELLOR", "ORG_ADMIN"}
    inbox = worker("{ inbox(first: 1) { edges { cursor } } }", expect_status=None)
    assert code(inbox) == "FORBIDDEN"
    assert audited("MEMBER_ROLES_CHANGE") == ["npo-admin"]
    # The same roles again change nothing and write nothing.
    again = admin(ROLES, {"u": str(user.pk), "roles": ["ORG_ADMIN", "COUNSELLOR"]})
    assert again["data"]["setMemberRoles"]["errors"] == []
    assert audited("MEMBER_ROLES_CHANGE") == ["npo-admin"]


@pytest.mark.parametrize(
    "roles",
    [
        [],
        ["SYSTEM_ADMIN"],
        ["CASEWORKER", "CASEWORKER"],
        ["caseworker"],
        ["CASEWORKER", "COUNSELLOR", "COORDINATOR", "AUDITOR", "ORG_ADMIN", "CASEWORKER"],
    ],
)
def test_roles_that_are_not_a_set_of_organisation_roles_are_refused(admin, roles):
    member("worker", NPO, Role.CASEWORKER)
    user = get_user_model().objects.get(username="worker")
    refused = admin(ROLES, {"u": str(user.pk), "roles": roles})["data"]["setMemberRoles"]
    assert refused == {"member": None, "errors": [{"field": "roles", "code": "INVALID"}]}
    assert (held("worker"), audited("MEMBER_ROLES_CHANGE")) == ({"CASEWORKER"}, [])


def test_all_five_roles_at_once_is_the_most_that_can_be_asked(admin):
    holder = signed_in_member("ward-admin", NPO, Role.ORG_ADMIN, Role.COORDINATOR, Role.AUDITOR)
    member("worker", NPO, Role.CASEWORKER)
    user = get_user_model().objects.get(username="worker")
    every = ["CASEWORKER", "COUNSELLOR", "COORDINATOR", "AUDITOR", "ORG_ADMIN"]
    assert (
        holder(ROLES, {"u": str(user.pk), "roles": every})["data"]["setMemberRoles"]["errors"] == []
    )
    assert held("worker") == set(every)


def test_roles_are_changed_only_for_own_members_and_never_for_a_system_administrator(admin):
    elsewhere = member("elsewhere", OTHER, Role.CASEWORKER)
    assert elsewhere
    foreign = get_user_model().objects.get(username="elsewhere")
    root = get_user_model().objects.create_user(username="root")
    Membership.objects.create(user=root, organisation_id=NPO, role=Role.SYSTEM_ADMIN.value)
    for user_id, error in [
        (str(foreign.pk), {"field": "userId", "code": "NOT_FOUND"}),
        ("999999", {"field": "userId", "code": "NOT_FOUND"}),
        ("not-a-number", {"field": "userId", "code": "NOT_FOUND"}),
        (str(root.pk), {"field": "userId", "code": "FORBIDDEN"}),
    ]:
        refused = admin(ROLES, {"u": user_id, "roles": ["CASEWORKER"]})["data"]["setMemberRoles"]
        assert refused == {"member": None, "errors": [error]}, user_id
    assert held("elsewhere") == {"CASEWORKER"}
    assert held("root") == {"SYSTEM_ADMIN"}
    assert audited("MEMBER_ROLES_CHANGE") == []


def test_an_admin_keeps_org_admin_and_gives_oversight_roles_only_if_they_hold_them(admin):
    me = get_user_model().objects.get(username="npo-admin")
    refused = admin(ROLES, {"u": str(me.pk), "roles": ["CASEWORKER"]})["data"]["setMemberRoles"]
    assert refused["errors"] == [{"field": "roles", "code": "INVALID"}]
    assert held("npo-admin") == {"ORG_ADMIN"}
    # Adding to one's own roles, keeping ORG_ADMIN, is allowed.
    kept = admin(ROLES, {"u": str(me.pk), "roles": ["ORG_ADMIN", "CASEWORKER"]})
    assert kept["data"]["setMemberRoles"]["errors"] == []

    member("worker", NPO, Role.CASEWORKER)
    user = get_user_model().objects.get(username="worker")
    for role in ("AUDITOR", "COORDINATOR"):
        refused = admin(ROLES, {"u": str(user.pk), "roles": ["CASEWORKER", role]})
        assert refused["data"]["setMemberRoles"]["errors"] == [
            {"field": "roles", "code": "FORBIDDEN"}
        ]
    assert held("worker") == {"CASEWORKER"}
    # An oversight role the member already holds may stay, and may be taken away.
    Membership.objects.create(user=user, organisation_id=NPO, role=Role.AUDITOR.value)
    kept = admin(ROLES, {"u": str(user.pk), "roles": ["CASEWORKER", "AUDITOR", "COUNSELLOR"]})
    assert kept["data"]["setMemberRoles"]["errors"] == []
    taken = admin(ROLES, {"u": str(user.pk), "roles": ["CASEWORKER"]})
    assert taken["data"]["setMemberRoles"]["errors"] == []
    assert held("worker") == {"CASEWORKER"}


def test_changing_roles_asks_an_admin_and_a_recent_second_factor(admin):
    caseworker = member("worker", NPO, Role.CASEWORKER, Role.COUNSELLOR)
    user = get_user_model().objects.get(username="worker")
    assert code(caseworker(ROLES, {"u": str(user.pk), "roles": ["ORG_ADMIN"]})) == "FORBIDDEN"
    age_second_factor(admin.client.session.session_key, 301)
    assert code(admin(ROLES, {"u": str(user.pk), "roles": ["CASEWORKER"]})) == (
        "REAUTHENTICATION_REQUIRED"
    )
    assert (held("worker"), audited("MEMBER_ROLES_CHANGE")) == ({"CASEWORKER", "COUNSELLOR"}, [])


def test_an_organisation_token_stops_working_when_its_issuer_loses_the_role(admin):
    issuer = get_user_model().objects.get(username="npo-admin")
    Membership.objects.create(user=issuer, organisation_id=NPO, role=Role.CASEWORKER.value)
    raw, _ = tokens.issue(
        user=issuer,
        name="agency system",
        kind=ApiToken.Kind.ORGANISATION,
        organisation_id=NPO,
        role=Role.CASEWORKER,
    )
    tokens.authenticate(raw)
    dropped = admin(ROLES, {"u": str(issuer.pk), "roles": ["ORG_ADMIN"]})
    assert dropped["data"]["setMemberRoles"]["errors"] == []
    from tests.conftest import GraphQLClient

    assert code(GraphQLClient(raw, NPO)("{ me { username } }", expect_status=None)) == (
        "UNAUTHENTICATED"
    )


def test_an_admin_demoted_meanwhile_changes_no_roles(admin):
    """Two admins demoting each other at once: the second finds it is no longer one."""
    other = signed_in_member("other-admin", NPO, Role.ORG_ADMIN)
    me = get_user_model().objects.get(username="npo-admin")
    them = get_user_model().objects.get(username="other-admin")
    # What the second admin's request knew when it began: they were ORG_ADMIN.
    stale = Actor(
        username="other-admin",
        user_id=them.pk,
        organisation_id=NPO,
        roles=frozenset({Role.ORG_ADMIN}),
        session=True,
        second_factor_at=time.time(),
    )
    assert (
        admin(ROLES, {"u": str(them.pk), "roles": ["CASEWORKER"]})["data"]["setMemberRoles"][
            "errors"
        ]
        == []
    )
    with pytest.raises(PublicError) as refused:
        member_service.set_roles(actor=stale, user_id=me.pk, roles=["CASEWORKER"])
    assert refused.value.code.value == "FORBIDDEN"
    assert held("npo-admin") == {"ORG_ADMIN"}
    assert code(other(ROLES, {"u": str(me.pk), "roles": ["CASEWORKER"]})) == "FORBIDDEN"


def test_the_organisation_keeps_an_org_admin_even_against_a_system_administrator(admin):
    root = signed_in_member("root", OTHER, Role.SYSTEM_ADMIN)
    root.headers["HTTP_X_ORGANISATION_ID"] = NPO
    me = get_user_model().objects.get(username="npo-admin")
    refused = root(ROLES, {"u": str(me.pk), "roles": ["CASEWORKER"]})["data"]["setMemberRoles"]
    assert refused["errors"] == [{"field": "roles", "code": "INVALID"}]
    assert held("npo-admin") == {"ORG_ADMIN"}
    # With a second admin, the first may be demoted.
    member("second-admin", NPO, Role.ORG_ADMIN)
    done = root(ROLES, {"u": str(me.pk), "roles": ["CASEWORKER"]})["data"]["setMemberRoles"]
    assert done["errors"] == []
    assert held("npo-admin") == {"CASEWORKER"}
