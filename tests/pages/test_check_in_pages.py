"""The caseworker's check-ins page (issue 20): Japanese first, the due list for the
user's organisation, a form that records the answer through the API's entry point."""

from __future__ import annotations

import pytest

from graph import session
from tests.pages.conftest import assert_accessible, closed_network, sign_in
from tests.pages.test_web_views import signed_in
from tests.referrals.test_check_ins import _make_due, completed

_STATES = """
MATCH (:Referral {id: $id})-[:HAS_CHECK_IN]->(c:CheckIn)
RETURN c.index AS index, c.state AS state, c.answer AS answer ORDER BY c.index
"""


def states(referral):
    return session.read(lambda tx: tx.rows(_STATES, id=referral))


@pytest.fixture
def due(case):
    referral = completed(case)
    _make_due(referral, 0)
    check_in = session.read(
        lambda tx: tx.single(
            "MATCH (:Referral {id: $id})-[:HAS_CHECK_IN]->(c:CheckIn {index: 0}) RETURN c.id AS id",
            id=referral,
        )
    )["id"]
    return referral, check_in


def test_the_due_list_in_japanese_then_english(case, due):
    referral, check_in = due
    page = signed_in("caseworker", "ja").get("/check-ins/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "つながりの確認：今もつながっていますか？" in text
    assert "川崎市立桜中学校" in text  # who referred
    assert "30 日後" in text
    assert f"/referrals/{referral}/" in text
    assert f'value="{check_in}"' in text
    assert "山田" not in text  # no subject data on the list
    english = signed_in("caseworker", "en").get("/check-ins/").content.decode()
    assert "Check-ins: still connected?" in english
    assert "Still attending" in english


def test_recording_over_a_plain_form_post(case, due):
    referral, check_in = due
    client = signed_in("caseworker", "ja")
    done = client.post(
        "/check-ins/",
        {
            "referralId": referral,
            "checkInId": check_in,
            "answer": "STOPPED",
            "note": "来なくなった",
        },
    )
    assert (done.status_code, done["Location"]) == (302, "/check-ins/")
    assert states(referral) == [
        {"index": 0, "state": "ANSWERED", "answer": "STOPPED"},
        {"index": 1, "state": "DUE", "answer": None},
    ]
    after = client.get("/check-ins/").content.decode()
    assert "記録しました：通わなくなった。" in after
    assert "確認の時期が来たものはありません。" in after


def test_an_error_is_shown_beside_its_row_and_nothing_is_written(case, due):
    referral, check_in = due
    client = signed_in("caseworker", "ja")
    answer = client.post(
        "/check-ins/",
        {"referralId": referral, "checkInId": check_in, "answer": "STOPPED", "note": "あ" * 2001},
    )
    assert answer.status_code == 422
    text = answer.content.decode()
    assert f'href="#answer-{check_in}"' in text
    assert f'id="error-{check_in}"' in text
    assert {row["state"] for row in states(referral)} == {"DUE"}


def test_the_page_is_refused_to_a_counsellor_and_to_the_anonymous(case, due):
    refusal = signed_in("counsellor", "ja").get("/check-ins/")
    assert refusal.status_code == 403
    from django.test import Client

    assert Client().get("/check-ins/").status_code == 302  # to sign in
    # Another organisation's caseworker sees none of them.
    other = signed_in("npo-worker", "ja").get("/check-ins/").content.decode()
    assert "確認の時期が来たものはありません。" in other


@pytest.mark.browser
def test_recording_a_check_in_in_the_browser(case, due, browser, live_server):
    referral, check_in = due
    context = browser.new_context(locale="ja-JP")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "caseworker")
    page.goto(f"{live_server.url}/check-ins/")
    assert_accessible(page)
    page.locator(f"#answer-{check_in}").select_option("STILL_ATTENDING")
    page.locator(f"#note-{check_in}").fill("毎週来ています")
    page.locator(".check-in-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/check-ins/")
    assert "記録しました：今も通っている。" in page.locator(".notices").inner_text()
    assert_accessible(page)
    assert states(referral)[0] == {"index": 0, "state": "ANSWERED", "answer": "STILL_ATTENDING"}
    assert outside == []  # nothing loaded from other hosts
    context.close()
