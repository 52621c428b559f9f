"""The organisation admin's pages (issue 15): services (add, change, take out of the
directory), API tokens (the secret shown once; revoke) and the webhook with its delivery
record; other roles get 403. Every change goes through the API as the admin."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from graph import session
from referral_hub.accounts.roles import Role
from referral_hub.web import service_form
from tests import directory_fixtures
from tests.conftest import age_second_factor, signed_in_member

KNOWN = {"meal_provision", "school_non_attendance", "study_support"}


@pytest.fixture
def admin(graph_db, db, redis_db):
    network = directory_fixtures.build()
    person = signed_in_member("npo-admin", network["npo"], Role.ORG_ADMIN)
    person.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return network, person.client


def csrf(client) -> dict[str, str]:
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}


def stored(service_id: str) -> dict:
    return session.read(
        lambda tx: tx.single(
            "MATCH (s:Service {id: $id}) RETURN s.name AS name, s.active AS active,"
            " s.responseTargetHours AS hours, s.ageMin AS age_min, s.ageMax AS age_max,"
            " COLLECT { MATCH (s)-[:ADDRESSES]->(t:Tag) RETURN t.code ORDER BY t.code } AS tags",
            id=service_id,
        )
    )


def services_count() -> int:
    return session.read(lambda tx: tx.single("MATCH (s:Service) RETURN count(s) AS n"))["n"]


def test_the_form_reads_numbers_modes_and_offered_tags_only():
    form = service_form.read(
        {
            "name": " 学習会 ",
            "mode": "SUPPORT",
            "ageMin": "6",
            "ageMax": "15",
            "responseTargetHours": "48",
            "acceptsReferrals": "1",
            "tagCodes": ["meal_provision", "study_support", "meal_provision"],
            "description": "",
        },
        known_tags=KNOWN,
    )
    assert form.errors == {}
    assert form.values == {
        "name": "学習会",
        "description": None,  # emptied: cleared
        "schedule": None,
        "ageMin": 6,
        "ageMax": 15,
        "responseTargetHours": 48,
        "mode": "SUPPORT",
        "acceptsReferrals": True,
        "tagCodes": ["meal_provision", "study_support"],
    }
    empty = service_form.read({"name": "x", "mode": "EXCHANGE"}, known_tags=KNOWN)
    assert "responseTargetHours" not in empty.values  # keeps the stored target
    assert empty.values["acceptsReferrals"] is False  # an unticked box says no
    assert empty.values["ageMin"] is None
    bad = service_form.read(
        {"mode": "OTHER", "ageMin": "１２", "ageMax": "-1", "tagCodes": ["nope"]},
        known_tags=KNOWN,
    )
    assert bad.errors == {
        "mode": "mode",
        "ageMin": "number",
        "ageMax": "number",
        "tagCodes": "tags",
    }
    assert bad.values == {}
    assert service_form.read({"mode": "SUPPORT", "ageMin": "999999"}, known_tags=KNOWN).errors == {}
    too_long = service_form.read({"mode": "SUPPORT", "ageMin": "1234567"}, known_tags=KNOWN)
    assert too_long.errors == {"ageMin": "number"}
    # Found by an outside attack: a target that was not digits was a KeyError (a 500).
    for typed in ("1e3", "nan", "７２", "-1", "9999999"):
        form = service_form.read(
            {"mode": "SUPPORT", "responseTargetHours": typed}, known_tags=KNOWN
        )
        assert form.errors == {"responseTargetHours": "number"}, typed
    controls = service_form.read(
        {
            "mode": "SUPPORT",
            "name": "a\x00b",
            "schedule": "\x07",
            "description": "一行目\r\n二行目",
        },
        known_tags=KNOWN,
    )
    assert controls.errors == {"name": "characters", "schedule": "characters"}


def test_an_admin_adds_changes_and_takes_out_a_service(admin):
    network, client = admin
    listing = client.get("/organisation/services/").content.decode()
    assert f'href="/organisation/services/{network["study"]}/"' in listing

    before = services_count()
    typed = {
        **csrf(client),
        "name": "夜の学習会",
        "mode": "SUPPORT",
        "ageMin": "10",
        "ageMax": "6",
        "acceptsReferrals": "1",
        "tagCodes": ["study_support"],
    }
    refused = client.post("/organisation/services/new/", typed)
    assert refused.status_code == 422  # the API's rule, beside its field
    assert 'id="s-ageMax-error"' in refused.content.decode()
    assert "ageMax must be ≥ ageMin." in refused.content.decode()
    assert 'value="夜の学習会"' in refused.content.decode()  # what was typed stays
    assert services_count() == before
    unreadable = client.post("/organisation/services/new/", {**typed, "ageMin": "ten"})
    assert unreadable.status_code == 422
    assert "Give a whole number, like 12." in unreadable.content.decode()
    assert services_count() == before

    made = client.post("/organisation/services/new/", {**typed, "ageMin": "6", "ageMax": "15"})
    assert made["Location"] == "/organisation/services/"
    assert services_count() == before + 1
    new_id = session.read(
        lambda tx: tx.single("MATCH (s:Service {name: '夜の学習会'}) RETURN s.id AS id")
    )["id"]
    assert stored(new_id) == {
        "name": "夜の学習会",
        "active": True,
        "hours": 72,  # the default when the box was left empty
        "age_min": 6,
        "age_max": 15,
        "tags": ["study_support"],
    }
    assert (
        "夜の学習会 is in the directory." in client.get("/organisation/services/").content.decode()
    )

    form = client.get(f"/organisation/services/{new_id}/").content.decode()
    assert 'id="s-tag-study_support" name="tagCodes" value="study_support" checked' in form
    changed = client.post(
        f"/organisation/services/{new_id}/",
        {
            **csrf(client),
            "name": "夜の学習会",
            "mode": "SUPPORT",
            "ageMin": "",
            "ageMax": "15",
            "responseTargetHours": "48",
            "acceptsReferrals": "1",
            "tagCodes": ["study_support", "school_non_attendance"],
        },
    )
    assert changed["Location"] == "/organisation/services/"
    assert stored(new_id) == {
        "name": "夜の学習会",
        "active": True,
        "hours": 48,
        "age_min": None,  # emptied: no lower limit any more
        "age_max": 15,
        "tags": ["school_non_attendance", "study_support"],
    }

    out = client.post(f"/organisation/services/{new_id}/deactivate/", csrf(client))
    assert out["Location"] == "/organisation/services/"
    assert stored(new_id)["active"] is False
    page = client.get("/organisation/services/").content.decode()
    assert "夜の学習会 is out of the directory; its referrals and history stay." in page
    assert f'href="/organisation/services/{new_id}/"' not in page
    assert client.get(f"/organisation/services/{new_id}/").status_code == 404


def test_another_organisations_service_is_not_the_admins_to_change(admin):
    network, client = admin
    foreign = network["consult"]  # the welfare office's
    assert client.get(f"/organisation/services/{foreign}/").status_code == 404
    posted = client.post(
        f"/organisation/services/{foreign}/", {**csrf(client), "name": "x", "mode": "SUPPORT"}
    )
    assert posted.status_code == 404
    assert client.get(f"/organisation/services/{uuid.uuid4()}/").status_code == 404
    took = client.post(f"/organisation/services/{foreign}/deactivate/", csrf(client), follow=True)
    assert took.status_code in (200, 403)
    assert stored(foreign)["active"] is True


def test_a_token_is_shown_once_works_and_is_revoked(admin):
    _network, client = admin
    issued = client.post(
        "/organisation/tokens/",
        {
            **csrf(client),
            "intent": "issue",
            "name": "case system",
            "kind": "PERSONAL",
            "days": "30",
        },
    )
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"]
    html = issued.content.decode()
    token = html.split('id="issued-token" class="secret" type="text" readonly value="', 1)[1]
    token = token.split('"', 1)[0]
    assert len(token) > 30
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    me = api.post("/graphql", {"query": "{ me { username } }"}, content_type="application/json")
    assert me.json()["data"]["me"]["username"] == "npo-admin"
    again = client.get("/organisation/tokens/").content.decode()
    assert token not in again  # never shown again
    prefix = token.split("_")[1]
    assert f"<code>{prefix}…</code>" in again  # its prefix tells it apart
    token_id = again.split(
        'name="intent" value="revoke"><input type="hidden" name="id" value="', 1
    )[1]
    token_id = token_id.split('"', 1)[0]
    revoked = client.post(
        "/organisation/tokens/", {**csrf(client), "intent": "revoke", "id": token_id}
    )
    assert revoked["Location"] == "/organisation/tokens/"
    gone = api.post("/graphql", {"query": "{ me { username } }"}, content_type="application/json")
    assert gone.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gone.json()["errors"][0]["message"] == "This API token was revoked."
    assert "Revoke case system" not in client.get("/organisation/tokens/").content.decode()


def test_token_form_errors_are_beside_their_fields(admin):
    network, client = admin
    post = {**csrf(client), "intent": "issue", "name": "x", "kind": "ORGANISATION"}
    page = client.get("/organisation/tokens/").content.decode()
    assert 'id="t-kind-ORGANISATION"' not in page  # an admin with no role to lend
    bad_days = client.post("/organisation/tokens/", {**post, "role": "CASEWORKER", "days": "1e3"})
    assert bad_days.status_code == 422
    assert 'id="t-days-error"' in bad_days.content.decode()
    not_held = client.post("/organisation/tokens/", {**post, "role": "CASEWORKER"})
    assert not_held.status_code == 422
    assert "You do not hold the role CASEWORKER in this organisation." in not_held.content.decode()

    both = signed_in_member("npo-lead", network["npo"], Role.ORG_ADMIN, Role.CASEWORKER).client
    post = {**csrf(both), "intent": "issue", "name": "x", "kind": "ORGANISATION"}
    assert 'id="t-kind-ORGANISATION"' in both.get("/organisation/tokens/").content.decode()
    too_long = both.post("/organisation/tokens/", {**post, "role": "CASEWORKER", "days": "367"})
    assert too_long.status_code == 422
    assert 'id="t-days-error"' in too_long.content.decode()
    bad_role = both.post("/organisation/tokens/", {**post, "role": "AUDITOR", "days": "366"})
    assert bad_role.status_code == 422
    assert 'id="t-role-error"' in bad_role.content.decode()
    made = both.post("/organisation/tokens/", {**post, "role": "CASEWORKER", "days": "366"})
    assert made.status_code == 200
    assert 'id="issued-token"' in made.content.decode()


def test_another_role_can_do_nothing_on_the_tokens_page(admin):
    from referral_hub.accounts.models import ApiToken

    network, _client = admin
    counsellor = signed_in_member("p-counsellor", network["npo"], Role.COUNSELLOR).client
    before = ApiToken.objects.count()
    for intent in ("issue", "revoke", "webhook"):
        post = {**csrf(counsellor), "intent": intent, "name": "x", "kind": "PERSONAL", "id": "1"}
        assert counsellor.post("/organisation/tokens/", post).status_code == 403, intent
    assert ApiToken.objects.count() == before  # refused before any action


def test_replacing_the_webhook_asks_for_a_recent_second_factor(admin):
    _network, client = admin
    age_second_factor(client.session.session_key, 301)
    stale = client.post(
        "/organisation/tokens/",
        {**csrf(client), "intent": "webhook", "url": "http://127.0.0.1:8999/hook"},
    )
    assert stale.status_code == 302
    assert stale["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_issuing_a_token_asks_for_a_recent_second_factor(admin):
    _network, client = admin
    age_second_factor(client.session.session_key, 301)
    stale = client.post(
        "/organisation/tokens/",
        {**csrf(client), "intent": "issue", "name": "late", "kind": "PERSONAL"},
    )
    assert stale.status_code == 302
    assert stale["Location"].startswith(
        "/accounts/2fa/reauthenticate/?next=%2Forganisation%2Ftokens%2F"
    )


def test_the_webhook_secret_is_shown_once_and_a_bad_address_is_told(admin):
    _network, client = admin
    page = client.get("/organisation/tokens/").content.decode()
    assert "Nothing delivered yet." in page
    bad = client.post(
        "/organisation/tokens/", {**csrf(client), "intent": "webhook", "url": "ftp://example.org/x"}
    )
    assert bad.status_code == 422
    assert 'id="w-url-error"' in bad.content.decode()
    made = client.post(
        "/organisation/tokens/",
        {**csrf(client), "intent": "webhook", "url": "http://127.0.0.1:8999/hook"},
    )
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    secret = made.content.decode().split(
        'id="webhook-secret" class="secret" type="text" readonly value="', 1
    )[1]
    assert len(secret.split('"', 1)[0]) == 64
    assert secret.split('"', 1)[0] not in client.get("/organisation/tokens/").content.decode()


def test_each_admin_page_answers_403_to_every_other_role(graph_db, db, redis_db):
    network = directory_fixtures.build()
    pages = (
        "/organisation/services/",
        "/organisation/services/new/",
        "/organisation/tokens/",
        "/organisation/partners/",
        "/organisation/locations/",
        "/organisation/import/",
    )
    edit = f"/organisation/services/{network['study']}/"
    for role in Role:
        if role == Role.SYSTEM_ADMIN:
            continue
        client = signed_in_member(f"p-{role.value.lower()}", network["npo"], role).client
        for path in (*pages, edit):
            expected = 200 if role == Role.ORG_ADMIN else 403
            assert client.get(path).status_code == expected, (path, role)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_admins_pages_in_the_browser(graph_db, db, redis_db, browser, live_server, language):
    from django.contrib.auth import get_user_model

    from referral_hub.accounts.models import Membership
    from tests.pages.conftest import assert_accessible, closed_network, sign_in

    network = directory_fixtures.build()
    user = get_user_model().objects.create_user(username="npo-admin")
    Membership.objects.create(user=user, organisation_id=network["npo"], role=Role.ORG_ADMIN.value)
    context = browser.new_context(locale="ja-JP" if language == "ja" else "en-US")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "npo-admin")
    page.wait_for_url(f"{live_server.url}/members/")
    page.locator("nav a[href='/organisation/services/']").click()
    page.wait_for_url(f"{live_server.url}/organisation/services/")
    assert_accessible(page)
    page.locator("a[href='/organisation/services/new/']").click()
    page.wait_for_url(f"{live_server.url}/organisation/services/new/")
    assert_accessible(page)
    page.fill("#s-name", "夜の学習会")
    page.check("#s-mode-SUPPORT")
    page.fill("#s-ageMin", "12")
    page.fill("#s-ageMax", "9")
    page.check("#s-tag-study_support")
    page.locator("form.narrow button.button").click()
    page.wait_for_selector("#s-ageMax-error")  # the API's rule, beside its field
    assert page.input_value("#s-name") == "夜の学習会"
    assert_accessible(page)
    page.fill("#s-ageMax", "15")
    page.locator("form.narrow button.button").click()
    page.wait_for_url(f"{live_server.url}/organisation/services/")
    assert "夜の学習会" in page.locator("table.rows").inner_text()

    page.locator("nav a[href='/organisation/tokens/']").click()
    page.wait_for_url(f"{live_server.url}/organisation/tokens/")
    assert_accessible(page)
    page.fill("#t-name", "case system")
    page.locator("form:has(#t-name) button").click()
    page.wait_for_selector("#issued-token")
    assert page.input_value("#issued-token").startswith("tsu_")
    assert_accessible(page)
    context.close()
    assert outside == []


def partnered(a: str, b: str) -> list[bool]:
    return session.read(
        lambda tx: tx.single(
            "MATCH (:Organisation {id: $a})-[p:PARTNERS_WITH]-(:Organisation {id: $b})"
            " RETURN collect(p.sharesData) AS shares",
            a=a,
            b=b,
        )
    )["shares"]


def test_an_admin_finds_adds_and_ends_a_partnership(admin):
    network, client = admin
    page = client.get("/organisation/partners/").content.decode()
    assert "No partnerships yet." in page
    found = client.get("/organisation/partners/", {"q": "福祉"}).content.decode()
    assert "世田谷区福祉事務所" in found
    assert f'name="partnerId" value="{network["welfare"]}"' in found
    itself = client.get("/organisation/partners/", {"q": "まなびの森"}).content.decode()
    assert f'name="partnerId" value="{network["npo"]}"' not in itself  # not its own partner
    assert "No other organisation of that name." in itself

    post = {**csrf(client), "intent": "add", "partnerId": network["welfare"], "sharesData": "1"}
    assert client.post("/organisation/partners/", post)["Location"] == "/organisation/partners/"
    assert partnered(network["npo"], network["welfare"]) == [True]
    listed = client.get("/organisation/partners/").content.decode()
    assert "The partnership is recorded." in listed
    assert '<th scope="row">世田谷区福祉事務所</th>' in listed
    again = client.get("/organisation/partners/", {"q": "福祉"}).content.decode()
    offered = 'name="intent" value="add"><input type="hidden" name="partnerId" value="'
    assert offered + network["welfare"] not in again  # a partner already: not offered

    crafted = {**csrf(client), "intent": "add", "partnerId": network["npo"]}
    client.post("/organisation/partners/", crafted)
    said = client.get("/organisation/partners/").content.decode()
    assert "An organisation cannot partner with itself." in said

    end = {**csrf(client), "intent": "remove", "partnerId": network["welfare"]}
    assert client.post("/organisation/partners/", end)["Location"] == "/organisation/partners/"
    assert partnered(network["npo"], network["welfare"]) == []
    assert "The partnership is ended." in client.get("/organisation/partners/").content.decode()
    client.post("/organisation/partners/", end)  # again: there is none now
    assert (
        "There was no such partnership." in client.get("/organisation/partners/").content.decode()
    )
    long = client.get("/organisation/partners/", {"q": "福" * 500})
    assert long.status_code == 200  # cut to 100 characters, not refused


def test_the_location_form_reads_coordinates_as_numbers_in_pairs():
    from referral_hub.web import location_form

    form = location_form.read(
        {"name": " 教室 ", "areaCode": "141330", "latitude": "35.5760", "longitude": "139.659"}
    )
    assert form.errors == {}
    assert form.values == {
        "name": "教室",
        "address": None,
        "postalCode": None,
        "areaCode": "141330",
        "latitude": 35.576,
        "longitude": 139.659,
    }
    assert location_form.read({"latitude": "", "longitude": ""}).values["latitude"] is None
    bad = location_form.read({"latitude": "35,5", "longitude": "1e3"})
    assert bad.errors == {"latitude": "coordinate", "longitude": "coordinate"}
    assert location_form.read({"latitude": "nan", "longitude": "1"}).errors == {
        "latitude": "coordinate"
    }
    assert location_form.read({"latitude": "35.5"}).errors == {"longitude": "pair"}
    assert location_form.read({"address": "川崎\x00"}).errors == {"address": "characters"}
    assert location_form.read({"longitude": "139.5"}).errors == {"latitude": "pair"}
    # Range is the API's rule: -200 reads as a number and is refused there.
    assert location_form.read({"latitude": "-200", "longitude": "0"}).errors == {}


def test_an_admin_adds_changes_and_takes_out_a_location(admin):
    network, client = admin
    page = client.get("/organisation/locations/").content.decode()
    assert "武蔵小杉教室" in page
    typed = {**csrf(client), "name": "元住吉教室", "areaCode": "141330", "postalCode": "211-0025"}
    no_pair = client.post("/organisation/locations/", {**typed, "latitude": "35.56"})
    assert no_pair.status_code == 422
    assert 'id="l-longitude-error"' in no_pair.content.decode()
    bad_area = client.post("/organisation/locations/", {**typed, "areaCode": "999999"})
    assert bad_area.status_code == 422  # the API's rule, beside its field
    assert 'id="l-areaCode-error"' in bad_area.content.decode()
    made = client.post(
        "/organisation/locations/", {**typed, "latitude": "35.564", "longitude": "139.654"}
    )
    assert made["Location"] == "/organisation/locations/"
    row = session.read(
        lambda tx: tx.single(
            "MATCH (:Organisation {id: $o})-[:HAS_LOCATION]->(l:Location {name: '元住吉教室'})"
            " RETURN l.id AS id, l.postalCode AS postal, l.point.y AS lat, l.active AS active",
            o=network["npo"],
        )
    )
    assert (row["postal"], row["lat"]) == ("211-0025", 35.564)
    edit = f"/organisation/locations/{row['id']}/"
    shown = client.get(edit).content.decode()
    assert 'value="元住吉教室"' in shown
    assert 'value="35.564"' in shown  # as its reader reads it back
    changed = client.post(edit, {**typed, "name": "元住吉教室（2階）", "postalCode": ""})
    assert changed["Location"] == "/organisation/locations/"
    after = session.read(
        lambda tx: tx.single(
            "MATCH (l:Location {id: $id}) RETURN l.name AS name, l.postalCode AS postal,"
            " l.point AS point",
            id=row["id"],
        )
    )
    # NFKC, as every name the directory keeps: full-width brackets become ASCII ones.
    assert (after["name"], after["postal"], after["point"]) == ("元住吉教室(2階)", None, None)
    out = client.post(f"/organisation/locations/{row['id']}/deactivate/", csrf(client))
    assert out["Location"] == "/organisation/locations/"
    gone = client.get("/organisation/locations/").content.decode()
    assert "元住吉教室(2階) is out of the directory." in gone
    assert f'href="/organisation/locations/{row["id"]}/"' not in gone
    assert client.get(edit).status_code == 404
    foreign = f"/organisation/locations/{network['welfare_loc']}/"
    assert client.get(foreign).status_code == 404
    assert client.post(foreign, {**typed}).status_code == 404
