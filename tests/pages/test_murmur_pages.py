"""The murmur button for the staff of an open place, and the murmurs and どこか measured on
the coordinator's coverage page (issue 19)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from graph import concern_signal_repo, session
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from tests.conftest import signed_in_member
from tests.directory_fixtures import KAWASAKI, KAWASAKI_KU, _loc, _org, _svc
from tests.pages.conftest import assert_accessible, closed_network, sign_in
from tests.pathways.test_concern_coverage import subject

_SIGNALS = "MATCH (c:ConcernSignal) RETURN c.ageBand AS band, [(c)-[:ABOUT]->(t) | t.code] AS needs"


def signals():
    return session.read(lambda tx: tx.rows(_SIGNALS))


def this_month():
    return datetime.now(ZoneInfo("Asia/Tokyo")).date().replace(day=1)


@pytest.fixture
def ward(graph_db, db, redis_db):
    """A children's cafeteria in 川崎区 with a member of staff (reading English), a school
    with only a support service, and the city's coordinator."""
    cafe = _org("みんなの子ども食堂", "PLACE", KAWASAKI_KU)
    _svc(
        cafe,
        _loc(cafe, "会場", KAWASAKI_KU, 35.53, 139.70),
        "子ども食堂",
        "EXCHANGE",
        ["eating_alone"],
    )
    school = _org("桜中学校", "SCHOOL", KAWASAKI_KU)
    _svc(
        school,
        _loc(school, "相談室", KAWASAKI_KU, 35.53, 139.70),
        "相談",
        "SUPPORT",
        ["learning_difficulties"],
    )
    city = _org("川崎市 こども未来局", "MUNICIPALITY", KAWASAKI)
    staff = signed_in_member("cafe-staff", cafe, Role.CASEWORKER)
    staff.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return cafe, school, city, staff.client


def heard(cafe, need, times):
    for _ in range(times):
        signal_id = str(uuid.uuid4())
        concern_signal_repo.concern_signal_record(
            fields={
                "id": signal_id,
                "month": this_month(),
                "ageBand": "AGE_13_15",
                "needTag": need,
                "areaCode": KAWASAKI_KU,
                "organisationId": cafe,
            },
            audit=audit_record(SYSTEM, "CONCERN_SIGNAL_RECORD", "ConcernSignal", signal_id),
        )


def test_the_murmur_button_has_no_text_field_and_records_in_one_press(ward):
    *_, client = ward
    html = client.get("/murmur/").content.decode()
    assert 'href="/murmur/" aria-current="page"' in html
    # Codes only: radio buttons for the age band, one button per need, nothing to type in.
    assert "<textarea" not in html
    inputs = re.findall(r"<input [^>]*>", html)
    assert {re.search(r'type="(\w+)"', i).group(1) for i in inputs} == {"hidden", "radio"}
    assert 'name="needTag" value="eating_alone"' in html
    assert 'value="UNKNOWN" checked' in html
    response = client.post("/murmur/", {"ageBand": "AGE_13_15", "needTag": "bullying"})
    assert response.status_code == 302
    assert response["Location"] == "/murmur/"
    assert (
        "Recorded: a concern about Bullying (13 to 15)" in client.get("/murmur/").content.decode()
    )
    assert signals() == [{"band": "AGE_13_15", "needs": ["bullying"]}]


def test_a_refused_murmur_writes_nothing(ward):
    *_, client = ward
    response = client.post("/murmur/", {"ageBand": "AGE_13_15", "needTag": "no_such_need"})
    assert response.status_code == 422
    assert "needTag: not a need tag of the hub." in response.content.decode()
    assert signals() == []


def test_only_staff_of_an_open_place_may_record(ward):
    _, school, city, _ = ward
    teacher = signed_in_member("teacher", school, Role.COUNSELLOR).client
    assert teacher.get("/murmur/").status_code == 200  # staff, but the API decides:
    refused = teacher.post("/murmur/", {"ageBand": "UNKNOWN", "needTag": "bullying"})
    assert refused.status_code == 422
    assert "runs an open exchange-type place" in refused.content.decode()
    coordinator = signed_in_member("coordinator", city, Role.COORDINATOR).client
    assert coordinator.get("/murmur/").status_code == 403
    assert signals() == []


def test_coverage_shows_murmurs_beside_places_and_somewhere_by_month(ward):
    cafe, _, city, _ = ward
    heard(cafe, "bullying", 5)  # no place for it in the area: a gap
    heard(cafe, "eating_alone", 2)  # the cafeteria is for it; hidden under 5
    coordinator = signed_in_member("coordinator", city, Role.COORDINATOR).client
    coordinator.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = coordinator.get("/coverage/", {"area": KAWASAKI}).content.decode()
    assert (
        "Concerns heard about Bullying in Kawasaki-shi Kawasaki-ku, but no place for Bullying."
        in html
    )
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">([\d-]+)</th>\s*<td>([^<]*)</td>\s*<td>([^<]*)"
        r"</td>\s*<td>([^<]*)</td>\s*<td>(.*?)</td>",
        html.split('id="concerns-caption"')[1],
    )
    month = this_month().isoformat()[:7]
    assert rows == [
        (month, "Kawasaki-shi Kawasaki-ku", "Bullying", "5", "<strong>None</strong>"),
        (month, "Kawasaki-shi Kawasaki-ku", "Eating alone", "Fewer than 5", "1"),
    ]
    somewhere = html.split('id="somewhere-caption"')[1].split("</table>")[0]
    assert somewhere.count('<th scope="row">') == 12
    assert f'<th scope="row">{month}</th>' in somewhere


@pytest.mark.browser
def test_murmur_and_coverage_in_the_browser(ward, browser, live_server, screenshots):
    cafe, _, city, _ = ward
    heard(cafe, "bullying", 5)
    # Twelve people registered last year, seven connected last month: どこか has bars.
    last_month = (this_month() - timedelta(days=20)).isoformat() + "T10:00:00+09:00"
    for n in range(12):
        connections = [(last_month, "CONNECTED")] if n < 7 else []
        subject(f"s{n}", "2025-01-10T10:00:00+09:00", connections=connections)
    coordinator = get_user_model().objects.create_user(username="coordinator")
    Membership.objects.create(user=coordinator, organisation_id=city, role=Role.COORDINATOR.value)
    context = browser.new_context(locale="ja-JP")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "cafe-staff")
    page.goto(f"{live_server.url}/murmur/")
    assert_accessible(page)
    screenshots(page, "murmur-ja")
    page.locator("#c-ageBand-AGE_6_12").check()
    page.locator("button[name=needTag][value=eating_alone]").click()
    page.wait_for_url(f"{live_server.url}/murmur/")
    assert "記録しました：孤食（6〜12歳）" in page.locator(".notices").inner_text()
    assert_accessible(page)
    assert sorted(s["needs"][0] for s in signals()) == ["bullying"] * 5 + ["eating_alone"]
    context.clear_cookies()
    sign_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/coverage/?area={KAWASAKI}")
    assert "「いじめ」に応える居場所がありません" in page.locator(".concern-gaps").inner_text()
    assert page.locator("table.somewhere tbody tr").count() == 12
    assert page.locator("table.somewhere .somewhere-bar").count() == 2  # last month, this one
    assert_accessible(page)
    page.locator("h2:has-text('どこか')").scroll_into_view_if_needed()
    screenshots(page, "coverage-murmurs-ja")
    context.close()
    assert outside == []
