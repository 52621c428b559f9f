"""The organisation admin's opportunity pages and the caseworker's completion of an
OFFER_ROLE referral (issue 19). Every change goes through the API as the person; the
pages add no rule of their own."""

from __future__ import annotations

import uuid

import pytest

from graph import session
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.roles import Role
from referral_hub.directory import opportunity_services
from referral_hub.web import opportunity_form
from tests import directory_fixtures
from tests.conftest import signed_in_member
from tests.referrals.flows import create, give_consent, move

SVC = "11111111-1111-4111-8111-111111111111"
LOC = "22222222-2222-4222-8222-222222222222"


@pytest.fixture
def admin(graph_db, db, redis_db):
    network = directory_fixtures.build()
    person = signed_in_member("cafe-admin", network["cafe_org"], Role.ORG_ADMIN)
    person.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return network, person.client


def csrf(client) -> dict[str, str]:
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}


def stored(title: str) -> dict | None:
    return session.read(
        lambda tx: tx.single(
            "MATCH (o:Organisation)-[:OFFERS]->(n:Opportunity {title: $title})-[:VIA]->(s)"
            " RETURN n.id AS id, o.id AS organisation, s.id AS service, n.active AS active,"
            " n.ageMin AS age_min, n.ageMax AS age_max,"
            " COLLECT { MATCH (n)-[:AT]->(l) RETURN l.id } AS locations,"
            " COLLECT { MATCH (n)-[:INTERESTED_IN]->(t) RETURN t.code ORDER BY t.code } AS tags",
            title=title,
        )
    )


def opportunities_count() -> int:
    return session.read(lambda tx: tx.single("MATCH (n:Opportunity) RETURN count(n) AS n"))["n"]


def test_the_form_reads_numbers_and_only_what_it_offered():
    form = opportunity_form.read(
        {
            "title": " 配膳ボランティア ",
            "description": "",
            "schedule": "毎週水曜",
            "ageMin": "12",
            "ageMax": "",
            "areaCode": "141313",
            "serviceId": SVC,
            "locationId": "",
            "interestTags": ["volunteering", "cooking", "cooking"],
        },
        services={SVC},
        locations={LOC},
        interests={"cooking", "volunteering"},
    )
    assert form.errors == {}
    assert form.values == {
        "title": "配膳ボランティア",
        "description": None,  # emptied: cleared
        "schedule": "毎週水曜",
        "areaCode": "141313",
        "ageMin": 12,
        "ageMax": None,
        "serviceId": SVC,
        "locationId": None,  # "not at one place"
        "interestTags": ["cooking", "volunteering"],
    }
    bad = opportunity_form.read(
        {
            "title": "a\x00b",
            "ageMin": "１２",
            "serviceId": str(uuid.uuid4()),  # not offered: another organisation's
            "locationId": str(uuid.uuid4()),
            "interestTags": ["meal_provision"],
        },
        services={SVC},
        locations={LOC},
        interests={"cooking"},
    )
    assert bad.errors == {
        "title": "characters",
        "ageMin": "number",
        "serviceId": "service",
        "locationId": "location",
        "interestTags": "tags",
    }
    assert bad.values == {}


def test_an_admin_offers_changes_and_archives_a_role(admin):
    network, client = admin
    assert (
        "Your organisation offers no role yet."
        in client.get("/organisation/opportunities/").content.decode()
    ), "the empty list says so"
    new = client.get("/organisation/opportunities/new/").content.decode()
    assert 'value="141313"' in new  # the organisation's own area, to start from
    assert f'<option value="{network["cafe"]}">' in new  # its own service
    assert f'value="{network["study"]}"' not in new  # never another organisation's

    before = opportunities_count()
    typed = {
        **csrf(client),
        "title": "配膳ボランティア",
        "areaCode": "141313",
        "serviceId": network["cafe"],
        "locationId": network["cafe_loc"],
        "ageMin": "15",
        "ageMax": "12",
        "interestTags": ["cooking", "volunteering"],
    }
    refused = client.post("/organisation/opportunities/new/", typed)
    assert refused.status_code == 422  # the API's rule, beside its field
    html = refused.content.decode()
    assert 'id="o-ageMax-error"' in html
    assert "ageMax must be ≥ ageMin." in html
    assert 'value="配膳ボランティア"' in html  # what was typed stays
    no_tags = client.post(
        "/organisation/opportunities/new/", {**typed, "ageMin": "12", "interestTags": []}
    )
    assert no_tags.status_code == 422
    assert 'id="o-interestTags-error"' in no_tags.content.decode()
    assert opportunities_count() == before

    made = client.post("/organisation/opportunities/new/", {**typed, "ageMin": "12"})
    assert made["Location"] == "/organisation/opportunities/"
    row = stored("配膳ボランティア")
    assert row == {
        "id": row["id"],
        "organisation": network["cafe_org"],
        "service": network["cafe"],
        "active": True,
        "age_min": 12,
        "age_max": 12,
        "locations": [network["cafe_loc"]],
        "tags": ["cooking", "volunteering"],
    }
    listing = client.get("/organisation/opportunities/").content.decode()
    assert "配膳ボランティア is published." in listing
    assert f'href="/organisation/opportunities/{row["id"]}/"' in listing

    form = client.get(f"/organisation/opportunities/{row['id']}/").content.decode()
    assert 'id="o-tag-cooking" name="interestTags" value="cooking" checked' in form
    changed = client.post(
        f"/organisation/opportunities/{row['id']}/",
        {**typed, "ageMin": "", "ageMax": "", "locationId": "", "interestTags": ["reading"]},
    )
    assert changed["Location"] == "/organisation/opportunities/"
    assert stored("配膳ボランティア") | {"id": row["id"]} == {
        **row,
        "age_min": None,
        "age_max": None,
        "locations": [],
        "tags": ["reading"],
    }

    out = client.post(f"/organisation/opportunities/{row['id']}/archive/", csrf(client))
    assert out["Location"] == "/organisation/opportunities/"
    assert stored("配膳ボランティア")["active"] is False
    page = client.get("/organisation/opportunities/").content.decode()
    assert "配膳ボランティア is archived; the referrals that offered it keep it." in page
    assert client.get(f"/organisation/opportunities/{row['id']}/").status_code == 404


def test_another_organisations_role_is_not_the_admins_to_change(admin):
    network, client = admin
    foreign = opportunity_services.opportunity_create(
        actor=SYSTEM,
        data={
            "organisation_id": network["npo"],
            "title": "将棋を教える",
            "area_code": "141330",
            "service_id": network["study"],
            "interest_tags": ["go_shogi"],
        },
    )["id"]
    assert client.get(f"/organisation/opportunities/{foreign}/").status_code == 404
    posted = client.post(
        f"/organisation/opportunities/{foreign}/", {**csrf(client), "title": "乗っ取り"}
    )
    assert posted.status_code == 404
    client.post(f"/organisation/opportunities/{foreign}/archive/", csrf(client))
    assert stored("将棋を教える")["active"] is True
    assert client.get(f"/organisation/opportunities/{uuid.uuid4()}/").status_code == 404


def test_only_admins_see_the_pages(graph_db, db, redis_db):
    network = directory_fixtures.build()
    for role in Role:
        if role == Role.SYSTEM_ADMIN:
            continue
        client = signed_in_member(f"p-{role.value.lower()}", network["cafe_org"], role).client
        expected = 200 if role == Role.ORG_ADMIN else 403
        for path in ("/organisation/opportunities/", "/organisation/opportunities/new/"):
            assert client.get(path).status_code == expected, (path, role)


def _offered_referral(case):
    network, people, subject = case
    opportunity = opportunity_services.opportunity_create(
        actor=SYSTEM,
        data={
            "organisation_id": network["cafe_org"],
            "title": "配膳ボランティア",
            "area_code": "141313",
            "service_id": network["cafe"],
            "interest_tags": ["cooking"],
        },
    )["id"]
    give_consent(people, subject, organisationIds=[network["cafe_org"]])
    created = create(
        people,
        subject,
        network["cafe"],
        purpose="OFFER_ROLE",
        opportunityId=opportunity,
        needTags=[],
    )["data"]["createReferral"]
    assert created["errors"] == []
    key = created["referral"]["id"]
    worker = signed_in_member("cafe-worker", network["cafe_org"], Role.CASEWORKER)
    for version, action in enumerate(("ACKNOWLEDGE", "ACCEPT", "START"), start=1):
        assert move(worker, key, action, version)["errors"] == []
    return key, worker


def test_completing_an_offered_role_offers_the_roles_outcomes(case):
    key, worker = _offered_referral(case)
    worker.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = worker.client.get(f"/referrals/{key}/").content.decode()
    assert "Role offered" in html
    assert "配膳ボランティア" in html
    form = html.split('id="act-COMPLETE-outcome"', 1)[1].split("</select>", 1)[0]
    assert [
        code
        for code in ("TOOK_UP", "TRIED_AND_STOPPED", "DECLINED_ROLE", "CONNECTED", "OTHER")
        if f'value="{code}"' in form
    ] == ["TOOK_UP", "TRIED_AND_STOPPED", "DECLINED_ROLE"]
    done = worker.client.post(
        f"/referrals/{key}/act/",
        {
            "csrfmiddlewaretoken": worker.client.cookies["csrftoken"].value,
            "action": "COMPLETE",
            "version": "4",
            "outcome": "TOOK_UP",
        },
    )
    assert done.status_code == 302
    page = worker.client.get(f"/referrals/{key}/").content.decode()
    assert "Took the role up" in page


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_opportunity_pages_in_the_browser(
    graph_db, db, redis_db, browser, live_server, language
):
    from django.contrib.auth import get_user_model

    from referral_hub.accounts.models import Membership
    from tests.pages.conftest import assert_accessible, closed_network, sign_in

    network = directory_fixtures.build()
    user = get_user_model().objects.create_user(username="cafe-admin")
    Membership.objects.create(
        user=user, organisation_id=network["cafe_org"], role=Role.ORG_ADMIN.value
    )
    context = browser.new_context(locale="ja-JP" if language == "ja" else "en-US")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "cafe-admin")
    page.locator("nav a[href='/organisation/opportunities/']").click()
    page.wait_for_url(f"{live_server.url}/organisation/opportunities/")
    assert_accessible(page)
    page.locator("a[href='/organisation/opportunities/new/']").click()
    page.wait_for_url(f"{live_server.url}/organisation/opportunities/new/")
    assert_accessible(page)
    page.fill("#o-title", "配膳ボランティア")
    page.select_option("#o-serviceId", network["cafe"])
    page.select_option("#o-locationId", network["cafe_loc"])
    page.fill("#o-ageMin", "15")
    page.fill("#o-ageMax", "12")
    page.check("#o-tag-cooking")
    page.locator("form.narrow button.button").click()
    page.wait_for_selector("#o-ageMax-error")  # the API's rule, beside its field
    assert page.input_value("#o-title") == "配膳ボランティア"
    assert_accessible(page)
    page.fill("#o-ageMin", "12")
    page.locator("form.narrow button.button").click()
    page.wait_for_url(f"{live_server.url}/organisation/opportunities/")
    assert "配膳ボランティア" in page.locator("table.rows").inner_text()
    assert_accessible(page)
    context.close()
    assert outside == []
