"""The support meeting pages (issue 20): the coordinator convenes and runs a meeting, an
invited counsellor acknowledges confidentiality and only then sees its content, an
auditor sees every meeting with its participants and reads. Japanese first."""

from __future__ import annotations

import re

import pytest

from graph import session
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import signed_in_member
from tests.meetings.flows import WHY

MINUTES = "欠席が続く。家庭訪問を行う。"
SETAGAYA = "131121"  # where the welfare office's 子ども家庭相談 is (tests/directory_fixtures.py)


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


def _browser_meeting(case, *decided: str):
    """A meeting the coordinator convened, the school invited, the pupil added (and the
    decisions recorded), with a counsellor `kana` of the school who has not signed in yet."""
    from django.contrib.auth import get_user_model

    from referral_hub.accounts.models import Membership
    from tests.conftest import member
    from tests.meetings.flows import ADD_SUBJECT, DECISION, INVITE, convene, step

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
    for text in decided:
        step(
            coordinator,
            DECISION,
            "recordMeetingDecision",
            meetingId=meeting,
            subjectId=subject,
            text=text,
        )
    user = get_user_model().objects.create_user(username="kana")
    Membership.objects.create(
        user=user, organisation_id=network["school"], role=Role.COUNSELLOR.value
    )
    return network, subject, coordinator, meeting


@pytest.mark.browser
def test_a_participant_acknowledges_in_the_browser(case, browser, live_server):
    """A counsellor invited to a meeting signs in, finds it from the menu, sees only the
    duty and the button, acknowledges, then sees the minutes; each page is accessible."""
    from tests.meetings.flows import MINUTES as RECORD
    from tests.meetings.flows import step
    from tests.pages.conftest import assert_accessible, closed_network, sign_in

    _, _, coordinator, meeting = _browser_meeting(case)
    step(coordinator, RECORD, "recordMeetingMinutes", meetingId=meeting, text=MINUTES)
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


def _decided(people):
    """A meeting that discussed the pupil and decided to refer them; the school's
    counsellor took part and acknowledged."""
    network, subject, coordinator, counsellor, _ = people
    meeting = _convene(coordinator)
    _do(coordinator, meeting, do="invite", organisationIds=network["school"])
    _do(coordinator, meeting, do="subject", subjectId=subject)
    _do(coordinator, meeting, do="decision", subjectId=subject, text="福祉事務所につなぐ。")
    _do(counsellor, meeting, do="acknowledge")
    return meeting


def _cited(referral_id):
    return session.read(
        lambda tx: tx.single(
            "MATCH (r:Referral {id: $id}) OPTIONAL MATCH (r)-[:CITES]->(m:SupportMeeting)"
            " RETURN r.legalBasis AS basis, r.state AS state, m.id AS meeting",
            id=referral_id,
        )
    )


def test_a_participating_counsellor_refers_a_decided_subject_on_the_statute(people):
    network, subject, coordinator, counsellor, _ = people
    meeting = _decided(people)
    button = "決定どおり紹介する（社会福祉法第106条の6）"
    assert button in counsellor.get(f"/meetings/{meeting}/").content.decode()
    assert button not in coordinator.get(f"/meetings/{meeting}/").content.decode()

    started = counsellor.post(
        "/referrals/new/statutory/", {"meetingId": meeting, "subjectId": subject}
    )
    assert (started.status_code, started["Location"]) == (302, "/referrals/new/service/")
    counsellor.post(
        "/referrals/new/service/",
        {"intent": "recommend", "needs": ["parenting_support"], "area": SETAGAYA},
    )
    page = counsellor.get("/referrals/new/service/").content.decode()
    assert "社会福祉法第106条の6に基づいて行うため、同意は求めません" in page
    assert f'href="/meetings/{meeting}/"' in page
    assert f'value="{network["consult"]}"' in page
    assert 'name="justification"' in page

    send = {"intent": "send", "serviceId": network["consult"], "categories": ["CONTACT"]}
    unexplained = counsellor.post("/referrals/new/service/", send)
    assert unexplained.status_code == 422
    assert 'id="s-justification-error"' in unexplained.content.decode()
    too_short = counsellor.post("/referrals/new/service/", {**send, "justification": "x" * 39})
    assert 'id="s-justification-error"' in too_short.content.decode()
    assert session.read(lambda tx: tx.single("MATCH (r:Referral) RETURN count(r) AS n")) == {"n": 0}

    sent = counsellor.post("/referrals/new/service/", {**send, "justification": WHY})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    referral_id = re.fullmatch(r"/referrals/([0-9a-f-]{36})/", sent["Location"]).group(1)
    assert _cited(referral_id) == {
        "basis": "STATUTORY_SWA_106_6",
        "state": "SENT",
        "meeting": meeting,
    }
    listed = counsellor.get(f"/meetings/{meeting}/").content.decode()
    assert referral_id in listed  # the decision names the referral that cites it


def test_a_meeting_the_school_did_not_acknowledge_cannot_be_cited(people):
    network, subject, coordinator, counsellor, _ = people
    meeting = _convene(coordinator)
    _do(coordinator, meeting, do="invite", organisationIds=network["school"])
    _do(coordinator, meeting, do="subject", subjectId=subject)
    # The button is not offered before acknowledging; a hand-made post is refused by the API.
    counsellor.post("/referrals/new/statutory/", {"meetingId": meeting, "subjectId": subject})
    counsellor.post(
        "/referrals/new/service/",
        {"intent": "recommend", "needs": ["parenting_support"], "area": SETAGAYA},
    )
    refused = counsellor.post(
        "/referrals/new/service/",
        {
            "intent": "send",
            "serviceId": network["consult"],
            "categories": ["CONTACT"],
            "justification": WHY,
        },
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'id="s-meetingId-error"' in body
    assert session.read(lambda tx: tx.single("MATCH (r:Referral) RETURN count(r) AS n")) == {"n": 0}


@pytest.mark.parametrize(
    "form",
    [
        {"meetingId": "not-an-id", "subjectId": "00000000-0000-4000-8000-000000000000"},
        {"subjectId": "00000000-0000-4000-8000-000000000000"},
        {"meetingId": "00000000-0000-4000-8000-000000000000", "subjectId": "x" * 100_000},
    ],
    ids=["bad-meeting", "no-meeting", "huge-subject"],
)
def test_a_statutory_start_without_two_ids_keeps_nothing(people, form):
    _, _, _, counsellor, _ = people
    response = counsellor.post("/referrals/new/statutory/", form)
    assert response.status_code == 404
    assert "flow:new_referral" not in counsellor.session


def test_a_statutory_start_is_a_post(people):
    _, _, _, counsellor, _ = people
    assert counsellor.get("/referrals/new/statutory/").status_code == 405


@pytest.mark.browser
def test_a_counsellor_refers_as_the_meeting_decided_in_the_browser(case, browser, live_server):
    """From the decision on the meeting page to a sent statutory referral that cites the
    meeting, in Chromium on a closed network; each page accessible."""
    from tests.pages.conftest import assert_accessible, closed_network, sign_in

    network, _, _, meeting = _browser_meeting(case, "福祉事務所の子ども家庭相談につなぐ。")
    context = browser.new_context(locale="ja-JP")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "kana")
    page.goto(f"{live_server.url}/meetings/{meeting}/")
    page.get_by_role("button", name="守秘義務を確認しました").click()
    page.locator(".decision").first.wait_for()
    page.get_by_role("button", name="決定どおり紹介する（社会福祉法第106条の6）").click()
    page.wait_for_url(f"{live_server.url}/referrals/new/service/")
    assert "同意は求めません" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_label("子育て支援").check()
    page.get_by_label("地域コード").fill(SETAGAYA)
    page.get_by_role("button", name="サービスを探す").click()
    page.locator(f"#svc-{network['consult']}").check()
    page.get_by_label("同意によれない理由と、この法令が当てはまる理由").fill(WHY)
    assert_accessible(page)
    page.get_by_role("button", name="つなぎを送付する").click()
    page.wait_for_url(f"{live_server.url}/referrals/*/")
    referral_id = page.url.rstrip("/").rsplit("/", 1)[1]
    assert _cited(referral_id) == {
        "basis": "STATUTORY_SWA_106_6",
        "state": "SENT",
        "meeting": meeting,
    }
    assert outside == []
    context.close()
