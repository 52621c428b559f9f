"""The counsellor's and caseworker's pages over HTTP (Django's client, a real Neo4j).

What the browser tests cannot pin cheaply: every refusal's status and words, the
CSP header, what a receiver is not shown and why, and that a failed action changes
nothing. The journeys themselves run in Chromium (test_journeys.py).
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from graph import session
from referral_hub.accounts import signin
from referral_hub.web.security import PAGES
from schema.core import entry
from tests.referrals.flows import MOVE, create, give_consent

FIELDS_SHOWN = re.compile(r"<dt>(.*?)</dt>")


def signed_in(username: str, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    return signin.sign_in(client, get_user_model().objects.get(username=username))


@pytest.fixture
def sent(case):
    """A SENT referral from the school to the welfare office, sharing CONTACT only."""
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    answer = create(people, subject, network["consult"])
    payload = answer["data"]["createReferral"]
    assert payload["errors"] == [], payload
    return network, people, subject, payload["referral"]["id"]


def referral_state(people, referral_id):
    read = "query($id: ID!) { referral(id: $id) { state version } }"
    return people["counsellor"](read, {"id": referral_id})["data"]["referral"]


def test_signed_out_pages_send_you_to_sign_in(client, db):
    for path in ("/", "/inbox/", "/capacity/", f"/referrals/{uuid.uuid4()}/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_each_role_lands_on_its_home(sent):
    assert signed_in("caseworker").get("/")["Location"] == "/inbox/"
    home = signed_in("counsellor").get("/")
    assert home.status_code == 200
    assert "My referrals" in home.content.decode()
    assert "Sent" in home.content.decode()


def test_japanese_is_the_default_and_english_one_click_away(sent):
    client = signed_in("counsellor", language="")
    page = client.get("/").content.decode()
    assert '<html lang="ja">' in page
    assert "わたしのつなぎ" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "My referrals" in page


def test_every_page_carries_the_policy_without_inline_scripts(sent):
    *_, referral_id = sent
    caseworker = signed_in("caseworker")
    pages = [
        (caseworker, path)
        for path in (
            "/inbox/",
            f"/referrals/{referral_id}/",
            "/capacity/",
            "/accounts/2fa/",
            "/accounts/2fa/webauthn/add/",
            "/accounts/sessions/",
        )
    ]
    for client, path in [*pages, (Client(), "/accounts/login/")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == PAGES
        assert "no-store" in response["Cache-Control"]  # no copy on a shared office PC
        assert "script-src 'self';" in PAGES
        assert "unsafe" not in PAGES
        # No inline script or style element, no style attribute, no event handler.
        body = response.content.decode()
        # (allauth's data blocks, type="application/json", are not run and may stay.)
        assert re.search(r'<script(?![^>]*\b(src=|type="application/json"))', body) is None, path
        assert "<style" not in body, path
        assert " style=" not in body, path
        assert re.search(r"\son[a-z]+=", body) is None, path


def test_the_inbox_lists_new_referrals_and_filters_them(sent):
    *_, referral_id = sent
    client = signed_in("caseworker")
    page = client.get("/inbox/").content.decode()
    assert f"/referrals/{referral_id}/" in page
    assert "tag-new" in page
    assert f"/referrals/{referral_id}/" not in client.get("/inbox/?state=ACCEPTED").content.decode()
    assert f"/referrals/{referral_id}/" in client.get("/inbox/?state=SENT").content.decode()
    # htmx asks for the rows alone
    rows = client.get("/inbox/?state=SENT", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-rows")
    assert rows.content.decode().startswith('<div id="inbox-rows"')


def test_a_bad_filter_is_refused_plainly(sent):
    response = signed_in("caseworker").get("/inbox/?state=NONSENSE")
    assert response.status_code == 400
    assert "NONSENSE" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_receiver_sees_what_the_consent_allows_and_why_the_rest_is_hidden(sent):
    *_, referral_id = sent
    page = signed_in("caseworker").get(f"/referrals/{referral_id}/").content.decode()
    assert "山田 太郎" in page  # CONTACT is shared
    assert "090-1111-2222" in page
    assert "Guardian: not in consent: Family (FAMILY)" in page
    assert "Notes: not in consent: Notes (NOTES)" in page
    assert "Name: not in consent" not in page


def test_the_sender_sees_everything_and_the_sender_actions(sent):
    *_, referral_id = sent
    page = signed_in("counsellor").get(f"/referrals/{referral_id}/").content.decode()
    assert "Not shown to you" not in page
    assert 'value="CANCEL"' in page
    assert 'value="ACCEPT"' not in page
    assert "Withdraw consent" in page


def test_someone_elses_referral_is_not_found(sent):
    client = signed_in("npo-worker")  # a caseworker of an organisation not party to it
    *_, referral_id = sent
    assert client.get(f"/referrals/{referral_id}/").status_code == 404
    assert client.get(f"/referrals/{uuid.uuid4()}/").status_code == 404
    response = client.post(
        f"/referrals/{referral_id}/act/", {"action": "ACKNOWLEDGE", "version": "1"}
    )
    assert response.status_code in (404, 422)
    assert referral_state(sent[1], referral_id)["state"] == "SENT"


def test_an_action_moves_the_referral_and_says_so(sent):
    _, people, _, referral_id = sent
    client = signed_in("caseworker")
    version = referral_state(people, referral_id)["version"]
    response = client.post(
        f"/referrals/{referral_id}/act/",
        {"action": "ACKNOWLEDGE", "version": str(version)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/referrals/{referral_id}/"
    assert "Done: Acknowledge." in response.content.decode()
    assert referral_state(people, referral_id) == {"state": "RECEIVED", "version": version + 1}


def test_a_stale_version_is_a_conflict_shown_plainly_and_changes_nothing(sent):
    _, people, _, referral_id = sent
    version = referral_state(people, referral_id)["version"]
    people["welfare"](MOVE, {"id": referral_id, "action": "ACKNOWLEDGE", "version": version})
    response = signed_in("caseworker").post(
        f"/referrals/{referral_id}/act/", {"action": "ACKNOWLEDGE", "version": str(version)}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this referral just now" in page
    assert "It is now: Received." in page
    assert referral_state(people, referral_id) == {"state": "RECEIVED", "version": version + 1}


def test_a_decline_without_a_reason_names_the_field_and_changes_nothing(sent):
    _, people, _, referral_id = sent
    version = referral_state(people, referral_id)["version"]
    response = signed_in("caseworker").post(
        f"/referrals/{referral_id}/act/",
        {"action": "DECLINE", "version": str(version), "note": "理由なし"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="act-DECLINE-reason-error"' in page
    assert 'aria-invalid="true"' in page
    assert "理由なし" in page  # what was typed is kept
    assert referral_state(people, referral_id) == {"state": "SENT", "version": version}


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"version": "x"}, "version"),
        ({"note": "a\x00b"}, "note"),
        ({"note": "あ" * 5000}, "note"),
    ],
)
def test_bad_input_is_told_by_its_field(sent, form, field):
    _, people, _, referral_id = sent
    version = referral_state(people, referral_id)["version"]
    data = {"action": "ACKNOWLEDGE", "version": str(version), **form}
    response = signed_in("caseworker").post(f"/referrals/{referral_id}/act/", data)
    assert response.status_code == 422, response.content[:300]
    assert f'<li data-field="{field}">' in response.content.decode()
    assert referral_state(people, referral_id) == {"state": "SENT", "version": version}


def test_capacity_is_one_control_per_own_service(sent):
    network, *_ = sent
    client = signed_in("caseworker")
    page = client.get("/capacity/").content.decode()
    assert network["consult"] in page
    assert network["study"] not in page  # another organisation's service
    response = client.post(
        "/capacity/", {"serviceId": network["consult"], "status": "FULL"}, follow=True
    )
    assert "Capacity saved." in response.content.decode()
    read = "query($id: ID!) { service(id: $id) { capacityStatus } }"
    assert sent[1]["welfare"](read, {"id": network["consult"]})["data"]["service"] == {
        "capacityStatus": "FULL"
    }
    foreign = client.post("/capacity/", {"serviceId": network["study"], "status": "FULL"})
    assert foreign.status_code in (403, 422)


def test_a_page_is_one_read_plus_the_subject(sent):
    """The referral page runs two documents: the referral, then the subject's allowed
    fields. Each is one read statement and the two statements that append its audit
    event, in one transaction (graph/audit_log.py); nothing grows with the timeline."""
    *_, referral_id = sent
    client = signed_in("caseworker")
    client.get(f"/referrals/{referral_id}/")  # warm: the session, the schema
    with session.count_round_trips() as trips:
        client.get(f"/referrals/{referral_id}/")
    assert trips.count == 6
    with session.count_round_trips() as trips:
        client.get("/inbox/")
    assert trips.count == 1


def test_a_page_runs_its_documents_by_id_and_checks_none_of_them(sent, monkeypatch):
    """The pages' documents are persisted operations (schema/core/persisted.py): checked
    once per process, so a page's request neither parses nor validates one, nor fills the
    document cache."""
    *_, referral_id = sent
    client = signed_in("caseworker")
    client.get(f"/referrals/{referral_id}/")  # warm: the session, the schema, the registry
    checked: list[str] = []
    real = entry._checks
    monkeypatch.setattr(entry, "_checks", lambda query: checked.append(query) or real(query))
    entry.documents().clear()
    assert client.get(f"/referrals/{referral_id}/").status_code == 200
    assert client.get("/inbox/").status_code == 200
    assert checked == []
    assert (len(entry.documents()), entry.documents().misses) == (0, 0)


def test_no_subject_data_in_urls(sent):
    *_, referral_id = sent
    for username in ("counsellor", "caseworker"):
        client = signed_in(username)
        for path in ("/", "/inbox/", f"/referrals/{referral_id}/"):
            page = client.get(path, follow=True).content.decode()
            for url in re.findall(r'(?:href|action|hx-get)="([^"]*)"', page):
                assert "山田" not in url, url
                # The pupil's phone (090-1111-2222), whole or in part; a bare "090" is
                # in one random UUID of about seventy.
                for part in ("090-1111", "1111-2222", "09011112222"):
                    assert part not in url, url


def test_a_signed_in_choice_of_language_lasts_for_email_and_the_next_sign_in(sent):
    from referral_hub.accounts.language import language_of

    user = get_user_model().objects.get(username="caseworker")
    assert language_of(user) == "ja"  # the hub's default until chosen
    signed_in("caseworker", language="").post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert language_of(user) == "en"

    # Another browser, Japanese by default: signing in (password, then the code) sets it.
    elsewhere = signin.sign_in(Client(HTTP_ACCEPT_LANGUAGE="ja"), user)
    assert elsewhere.cookies["hub_language"].value == "en"
    assert '<html lang="en">' in elsewhere.get("/inbox/").content.decode()
    # A language the hub does not offer is not remembered.
    signed_in("caseworker").post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert language_of(user) == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/inbox/"])
def test_choosing_an_organisation_never_redirects_to_another_site(sent, target):
    network, *_ = sent
    response = signed_in("caseworker").post(
        "/accounts/organisation/", {"organisation_id": network["welfare"], "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == ("/inbox/" if target == "/inbox/" else "/")


def test_the_home_pages_by_cursor_and_a_bad_cursor_is_told(sent):
    client = signed_in("counsellor")
    first = client.get("/").content.decode()
    assert "Older referrals" not in first  # one referral: one page
    bad = client.get("/?after=not-a-cursor")
    assert bad.status_code == 400
    assert "INVALID_CURSOR" in bad.content.decode()
