"""The support meeting pages (issue 20): the coordinator convenes and runs a meeting, an
invited counsellor acknowledges confidentiality and only then sees its content, an
auditor sees every meeting with its participants and reads. Japanese first."""

from __future__ import annotations

import re

import pytest

from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import signed_in_member

MINUTES = "欠席が続く。家庭訪問を行う。"


@pytest.fixture
def people(case):
    network, _, subject = case
    city = directory_fixtures.build_auditor_org("川崎市 地域福祉課", "141305")
    coordinator = signed_in_member("city-coordinator", city, Role.COORDINATOR)
    counsellor = signed_in_member("school-counsellor", network["school"], Role.COUNSELLOR)
    audit_office = directory_fixtures.build_auditor_org("川崎市 監査室", "141305")
    auditor = signed_in_member("city-auditor", audit_office, Role.AUDITOR)
    return network, subject, coordinator.client, counsellor.client, auditor.client


def _convene(client):
    data = {"title": "桜中学校区 支援会議", "areaCode": "141305", "durationMinutes": "90"}
    response = client.post("/meetings/", data)
    assert response.status_code == 302
    return re.search(r"/meetings/([0-9a-f-]{36})/", response["Location"]).group(1)


def _do(client, meeting, **data):
    response = client.post(f"/meetings/{meeting}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_coordinator_runs_a_meeting_and_a_participant_sees_it_only_after_acknowledging(
    people,
):
    network, subject, coordinator, counsellor, auditor = people
    listing = coordinator.get("/meetings/").content.decode()
    assert "支援会議を招集する" in listing  # Japanese first
    meeting = _convene(coordinator)
    _do(coordinator, meeting, do="invite", organisationIds=network["school"])
    _do(coordinator, meeting, do="subject", subjectId=subject)
    _do(coordinator, meeting, do="minutes", text=MINUTES)
    _do(coordinator, meeting, do="decision", subjectId=subject, text="福祉事務所につなぐ。")
    page = coordinator.get(f"/meetings/{meeting}/").content.decode()
    assert MINUTES in page
    assert "川崎市立桜中学校" in page

    before = counsellor.get(f"/meetings/{meeting}/").content.decode()
    assert "守秘義務を確認しました" in before
    for hidden in (MINUTES, subject, "福祉事務所につなぐ。"):
        assert hidden not in before
    _do(counsellor, meeting, do="acknowledge")
    after = counsellor.get(f"/meetings/{meeting}/").content.decode()
    assert MINUTES in after
    assert subject in after
    # A participant may not run the meeting: the API refuses, the page says why.
    tried = counsellor.post(f"/meetings/{meeting}/", {"do": "close"})
    assert tried.status_code == 403

    listed = auditor.get("/meetings/").content.decode()
    assert "桜中学校区 支援会議" in listed
    assert "school-counsellor" in listed
    seen = auditor.get(f"/meetings/{meeting}/").content.decode()
    assert MINUTES not in seen


def test_convening_with_bad_input_shows_the_errors_and_writes_nothing(people):
    _, _, coordinator, counsellor, _ = people
    response = coordinator.post("/meetings/", {"title": "", "areaCode": "131121"})
    assert response.status_code == 422
    assert 'data-field="title"' in response.content.decode()
    outside = coordinator.post("/meetings/", {"title": "会議", "areaCode": "131121"})
    assert outside.status_code == 422
    assert 'data-field="areaCode"' in outside.content.decode()
    assert "支援会議を招集する" not in counsellor.get("/meetings/").content.decode()


def test_the_pages_in_english(people):
    _, _, coordinator, _, _ = people
    coordinator.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    meeting = _convene(coordinator)
    page = coordinator.get(f"/meetings/{meeting}/").content.decode()
    assert "Close the meeting" in page


@pytest.mark.browser
def test_a_participant_acknowledges_in_the_browser(case, browser, live_server):
    """A counsellor invited to a meeting signs in, finds it from the menu, sees only the
    duty and the button, acknowledges, then sees the minutes; each page is accessible."""
    from django.contrib.auth import get_user_model

    from referral_hub.accounts.models import Membership
    from tests.conftest import member
    from tests.meetings.flows import ADD_SUBJECT, INVITE, convene, step
    from tests.meetings.flows import MINUTES as RECORD
    from tests.pages.conftest import assert_accessible, closed_network, sign_in

    network, _, subject = case
    city = directory_fixtures.build_auditor_org("川崎市 地域福祉課", "141305")
    coordinator = member("city-coordinator", city, Role.COORDINATOR)
    meeting = convene(coordinator)["meeting"]["id"]
    step(
        coordinator,
        INVITE,
        "inviteToSupportMeeting",
        meetingId=meeting,
        organisationIds=[network["school"]],
    )
    step(coordinator, ADD_SUBJECT, "addMeetingSubject", meetingId=meeting, subjectId=subject)
    step(coordinator, RECORD, "recordMeetingMinutes", meetingId=meeting, text=MINUTES)
    user = get_user_model().objects.create_user(username="kana")
    Membership.objects.create(
        user=user, organisation_id=network["school"], role=Role.COUNSELLOR.value
    )
    context = browser.new_context(locale="ja-JP")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "kana")
    page.goto(f"{live_server.url}/meetings/")
    assert_accessible(page)
    page.locator(f"a[href='/meetings/{meeting}/']").click()
    page.wait_for_url(f"{live_server.url}/meetings/{meeting}/")
    assert MINUTES not in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="守秘義務を確認しました").click()
    page.locator(".minutes").first.wait_for()  # the page answers the POST with a redirect
    assert MINUTES in page.locator("main").inner_text()
    assert_accessible(page)
    assert outside == []
