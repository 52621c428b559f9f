"""The pupil's own choices on the counsellor's pages (issue 19): recorded and lifted
beside the new-referral flow, in Japanese first, and a referral they forbid is refused
on the send page with the reason shown."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from graph import session
from tests.pages.conftest import assert_accessible, closed_network, sign_in
from tests.pages.test_web_views import signed_in
from tests.referrals.flows import give_consent

FIND = {"intent": "find", "name": "山田 太郎", "birthYear": "2012", "areaCode": "141313"}
_ACTIVE = """
MATCH (:Subject {id: $id})-[:HAS_PREFERENCE]->(p:SubjectPreference {state: 'ACTIVE'})
RETURN p.doNotRefer AS doNotRefer, p.exchangeOnly AS exchangeOnly, p.givenBy AS givenBy
"""


def active(subject):
    return session.read(lambda tx: tx.rows(_ACTIVE, id=subject))


@pytest.fixture
def counsellor(case):
    _, _, subject = case
    client = signed_in("counsellor", "ja")
    chosen = client.post("/referrals/new/", {"intent": "choose", "subjectId": subject})
    assert chosen.status_code == 302
    return client


def test_a_preference_is_recorded_and_lifted_over_plain_form_posts(case, counsellor):
    _, _, subject = case
    page = counsellor.get("/referrals/new/preference/").content.decode()
    assert "本人の希望" in page
    assert "希望は記録されていません。" in page
    assert subject not in page  # the pupil is in the session, not in the page
    done = counsellor.post(
        "/referrals/new/preference/",
        {"intent": "set", "givenBy": "GUARDIAN", "exchangeOnly": "1", "avoidMentioning": "父親"},
    )
    assert (done.status_code, done["Location"]) == (302, "/referrals/new/preference/")
    assert active(subject) == [{"doNotRefer": False, "exchangeOnly": True, "givenBy": "GUARDIAN"}]
    page = counsellor.get("/referrals/new/preference/").content.decode()
    assert "交流型の居場所にだけ" in page
    assert "父親" in page
    lifted = counsellor.post("/referrals/new/preference/", {"intent": "lift"})
    assert lifted.status_code == 302
    assert active(subject) == []


def test_form_errors_are_beside_their_fields_and_write_nothing(case, counsellor):
    _, _, subject = case
    for form, field in (
        ({"givenBy": "GUARDIAN"}, "doNotRefer"),
        ({"givenBy": "GUARDIAN", "doNotRefer": "1", "noContactBefore": "明日"}, "noContactBefore"),
        ({"givenBy": "GUARDIAN", "avoidMentioning": "あ" * 1001}, "avoidMentioning"),
    ):
        response = counsellor.post("/referrals/new/preference/", {"intent": "set", **form})
        assert response.status_code == 422
        page = response.content.decode()
        assert f'id="p-{field}-error"' in page, field
        assert f'data-field="{field}"' in page
    assert active(subject) == []


def test_the_send_page_shows_the_preference_and_why_a_referral_is_refused(case, counsellor):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    counsellor.post(
        "/referrals/new/preference/", {"intent": "set", "givenBy": "GUARDIAN", "doNotRefer": "1"}
    )
    counsellor.post(
        "/referrals/new/service/",
        {"intent": "recommend", "needs": ["child_poverty"], "area": "131121"},
    )
    response = counsellor.post(
        "/referrals/new/service/",
        {
            "intent": "send",
            "serviceId": network["consult"],
            "urgency": "ROUTINE",
            "categories": ["CONTACT"],
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-field="subjectId"' in page
    assert "本人の希望により、いまはこのつなぎを送れません。" in page
    assert "(doNotRefer)" in page
    assert session.read(lambda tx: tx.single("MATCH (r:Referral) RETURN count(r) AS n")) == {"n": 0}


@pytest.mark.browser
def test_recording_and_lifting_a_preference_in_chromium_is_accessible(
    browser, live_server, case, screenshots
):
    _, _, subject = case
    context = browser.new_context(locale="ja-JP")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "counsellor")
    page.goto(f"{live_server.url}/referrals/new/")
    page.locator("#find-name").fill("山田 太郎")
    page.locator("#find-birthYear").fill("2012")
    page.locator("#find-areaCode").fill("141313")
    page.locator("form:has(#find-name) button").click()
    page.locator(f"input[name=subjectId][value='{subject}'] ~ button").click()
    page.wait_for_url("**/referrals/new/consent/")
    page.get_by_role("link", name="本人の希望を記録・解除する").click()
    page.wait_for_url("**/referrals/new/preference/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "本人の希望"
    assert_accessible(page)

    assert page.locator("input[name=givenBy]").count() == 2  # the person or a parent
    page.get_by_label("保護者（未成年の場合）", exact=True).check()
    page.get_by_label("本人をどこにもつながない").check()
    page.locator("#p-contactRoute").select_option("VIA_GUARDIAN")
    page.locator("#p-avoidMentioning").fill("父親のこと")
    page.get_by_role("button", name="希望を記録する").click()
    page.locator("#current-preference", has_text="父親のこと").wait_for()
    assert "つながない(紹介しない)" in page.locator("#current-preference").inner_text()
    assert_accessible(page)
    screenshots(page, "preference-ja")
    assert active(subject)[0]["doNotRefer"] is True

    page.get_by_role("button", name="この希望を解除する").click()
    page.locator("#current-preference", has_text="希望は記録されていません。").wait_for()
    assert_accessible(page)
    assert active(subject) == []
    assert outside == []
    context.close()
    assert get_user_model().objects.filter(username="counsellor").exists()
