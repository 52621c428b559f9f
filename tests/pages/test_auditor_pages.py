"""The auditor's pages (issue 15, first slice): the access log of the area with filters,
and the statutory review queue with findings; other roles get 403. Page views go through
the API, which audits them."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model

from graph import session
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.web import audit_filter
from tests import directory_fixtures
from tests.conftest import age_second_factor, signed_in_member, subject_audit_events
from tests.meetings.flows import cited_meeting
from tests.pages.conftest import assert_accessible, closed_network, sign_in
from tests.referrals.flows import create
from tests.referrals.test_statutory import WHY


def events() -> int:
    return session.read(lambda tx: tx.single("MATCH (e:AuditEvent) RETURN count(e) AS n"))["n"]


@pytest.fixture
def auditor(case):
    network, people, subject = case
    statutory = {
        "legalBasis": "STATUTORY_SWA_106_6",
        "justification": WHY,
        "meetingId": cited_meeting(people, subject),
    }
    sent = create(people, subject, network["consult"], **statutory)["data"]["createReferral"]
    assert sent["errors"] == []
    area = directory_fixtures.build_auditor_org("川崎市 監査室", "141305")
    person = signed_in_member("k-auditor", area, Role.AUDITOR)
    person.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return person.client, sent["referral"]["id"], subject


def test_the_filter_form_reads_whole_days_in_tokyo():
    form = audit_filter.read(
        {"action": "subject_read", "since": "2026-11-01", "until": "2026-11-30"}
    )
    assert form.errors == {}
    assert form.filter == {
        "action": "SUBJECT_READ",
        "since": "2026-11-01T00:00:00+09:00",
        "until": "2026-12-01T00:00:00+09:00",  # the end of the 30th: exclusive
    }
    assert audit_filter.read({"since": "2026-11-02", "until": "2026-11-01"}).errors == {
        "until": "order"
    }
    assert audit_filter.read({"since": "2026-11-01", "until": "2026-11-01"}).errors == {}
    # The last day a next day exists for, and the first of the century; one past each.
    assert audit_filter.read({"since": "2000-01-01", "until": "9998-12-31"}).filter == {
        "since": "2000-01-01T00:00:00+09:00",
        "until": "9999-01-01T00:00:00+09:00",
    }
    assert audit_filter.read({"until": "9999-12-31"}).errors == {"until": "date"}
    assert audit_filter.read({"since": "1999-12-31"}).errors == {"since": "date"}
    bad = audit_filter.read({"action": "x y", "organisation": "nope", "since": "11/01"})
    assert (bad.errors, bad.filter) == (
        {"action": "action", "organisation": "organisation", "since": "date"},
        {},
    )
    assert audit_filter.read({"target": "x" * 101}).errors == {"target": "target"}
    assert audit_filter.read({"target": "x" * 100}).errors == {}
    chosen = audit_filter.read({"actor": " k-auditor ", "basis": "CONSENT", "statutory": "1"})
    assert chosen.filter == {
        "actorUser": "k-auditor",
        "legalBasis": "CONSENT",
        "statutoryOnly": True,
    }
    assert audit_filter.read({"statutory": "on"}).filter == {}  # only the checkbox's value
    assert audit_filter.read({"actor": "x" * 150}).errors == {}
    assert audit_filter.read({"actor": "x" * 151}).errors == {"actor": "actor"}
    assert audit_filter.read({"actor": "a\x00b"}).errors == {"actor": "actor"}
    assert audit_filter.read({"basis": "consent"}).errors == {"basis": "basis"}
    assert set(audit_filter.BASES) == {
        "OWN_RECORD",
        "CONSENT",
        "STATUTORY_SWA_106_6",
        "STATUTORY_APPI_27_1_III",
        "STATUTORY_CHILD_ABUSE_PREVENTION",
    }


def test_an_auditor_lands_on_the_access_log_and_filters_it(auditor):
    client, *_ = auditor
    home = client.get("/")
    assert home["Location"] == "/audit/"
    page = client.get("/audit/").content.decode()
    assert "<td>REFERRAL_CREATE" in page
    assert "<td>SIGN_IN" in page
    only = client.get("/audit/", {"action": "referral_create"}).content.decode()
    assert "<td>REFERRAL_CREATE" in only
    assert "<td>SIGN_IN" not in only
    # Each view of the log is itself in the log.
    reads = session.read(
        lambda tx: tx.single(
            "MATCH (e:AuditEvent {action: 'AUDIT_LOG_READ', actorUser: 'k-auditor'})"
            " RETURN count(e) AS n"
        )
    )["n"]
    assert reads == 2
    # An unreadable form asks nothing of the log and says what to mend.
    before = events()
    refused = client.get("/audit/", {"since": "yesterday"})
    assert refused.status_code == 422
    assert "Give a date as YYYY-MM-DD, from the year 2000." in refused.content.decode()
    assert events() == before


def test_an_auditor_records_a_finding_after_confirming_their_factor(auditor):
    client, referral_id, _ = auditor
    page = client.get("/reviews/").content.decode()
    assert WHY in page
    csrf = client.cookies["csrftoken"].value
    post = {"csrfmiddlewaretoken": csrf, "id": referral_id}
    missing = client.post("/reviews/", {**post, "finding": "INAPPROPRIATE"})
    assert missing.status_code == 422  # why it was not appropriate is required
    assert 'id="note-' + referral_id + '-error"' in missing.content.decode()
    foreign = client.post("/reviews/", {**post, "id": str(uuid.uuid4()), "finding": "APPROPRIATE"})
    assert foreign["Location"] == "/reviews/"  # said at the top of the queue, not lost
    age_second_factor(client.session.session_key, 301)
    stale = client.post("/reviews/", {**post, "finding": "APPROPRIATE"})
    assert stale["Location"].startswith("/accounts/2fa/reauthenticate/?next=%2Freviews%2F")
    age_second_factor(client.session.session_key, -301)  # as if they had just confirmed
    done = client.post("/reviews/", {**post, "finding": "APPROPRIATE"})
    assert done["Location"] == "/reviews/"
    assert referral_id not in client.get("/reviews/").content.decode()
    assert referral_id in client.get("/reviews/", {"reviewed": "1"}).content.decode()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_auditors_pages_in_the_browser(case, browser, live_server, language, screenshots):
    network, people, subject = case
    statutory = {
        "legalBasis": "STATUTORY_SWA_106_6",
        "justification": WHY,
        "meetingId": cited_meeting(people, subject),
    }
    create(people, subject, network["consult"], **statutory)
    area = directory_fixtures.build_auditor_org("川崎市 監査室", "141305")
    user = get_user_model().objects.create_user(username="auditor")
    Membership.objects.create(user=user, organisation_id=area, role=Role.AUDITOR.value)
    context = browser.new_context(locale="ja-JP" if language == "ja" else "en-US")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "auditor")
    page.wait_for_url(f"{live_server.url}/audit/")
    assert page.locator("table.rows tbody tr").count() > 0
    assert_accessible(page)
    screenshots(page, f"audit-explorer-{language}")
    page.locator("nav a[href='/reviews/']").click()
    page.wait_for_url(f"{live_server.url}/reviews/")
    assert WHY in page.locator("main").inner_text()
    assert_accessible(page)

    # Verify, then a pupil's disclosure record from the log's row, printable on A4.
    page.goto(f"{live_server.url}/audit/")
    page.locator("form[action='/audit/verify/'] button").click()
    page.wait_for_url(f"{live_server.url}/audit/verify/")
    assert page.locator("[role=status]").count() == 1
    assert_accessible(page)
    page.goto(f"{live_server.url}/audit/?target={subject}")
    page.locator(f"a[href='/audit/subjects/{subject}/']").first.click()
    page.wait_for_url(f"{live_server.url}/audit/subjects/{subject}/")
    assert "世田谷区福祉事務所" in page.locator("main").inner_text()
    assert page.locator("tr[id^=e-]").count() >= 3
    assert_accessible(page)
    screenshots(page, f"disclosure-record-{language}")
    page.emulate_media(media="print")
    assert page.locator(".masthead").is_hidden()
    assert page.locator("[data-print]").is_hidden()
    context.close()
    assert outside == []


def test_each_admin_and_audit_page_answers_403_to_every_role_but_its_own(case):
    network, _people, subject = case
    record = f"/audit/subjects/{subject}/"
    pages = {
        "/members/": {Role.ORG_ADMIN},
        "/audit/": {Role.AUDITOR},
        "/reviews/": {Role.AUDITOR},
        record: {Role.AUDITOR},
        record + "?format=csv": {Role.AUDITOR},
        record + "?format=json": {Role.AUDITOR},
    }
    for role in (Role.COUNSELLOR, Role.CASEWORKER, Role.COORDINATOR, Role.AUDITOR, Role.ORG_ADMIN):
        member = signed_in_member(f"p-{role.value.lower()}", network["npo"], role)
        client = member.client
        for path, allowed in pages.items():
            # The NPO's area (中原区) is not the pupil's (川崎区): its auditor finds nothing.
            ok = 404 if path.startswith(record) else 200
            expected = ok if role in allowed else 403
            assert client.get(path).status_code == expected, (path, role)
        verify = client.post(
            "/audit/verify/", {"csrfmiddlewaretoken": member.headers["HTTP_X_CSRFTOKEN"]}
        )
        assert verify.status_code == (200 if role == Role.AUDITOR else 403), role
        # A form that cannot be read is no way in either.
        bad_filter = client.get("/audit/?since=bad").status_code
        assert bad_filter == (422 if role == Role.AUDITOR else 403), role


def test_the_log_pages_by_50_and_the_next_page_keeps_the_filter(auditor):
    client, *_ = auditor
    # Each view of the log is an event of the log: 51 views make 51 AUDIT_LOG_READ events.
    for _ in range(51):
        client.get("/audit/", {"action": "AUDIT_LOG_READ"})
    first = client.get("/audit/", {"action": "AUDIT_LOG_READ"}).content.decode()
    assert first.count("<td>AUDIT_LOG_READ") == 50
    older = re.search(r'href="\?(action=AUDIT_LOG_READ&amp;after=[^"]+)"', first)
    assert older is not None
    second = client.get("/audit/?" + older.group(1).replace("&amp;", "&")).content.decode()
    # A view does not list its own event: the first page showed the 50 newest of the 51
    # earlier views, and the second holds the one left (older than the cursor).
    assert second.count("<td>AUDIT_LOG_READ") == 1
    assert "Older events" not in second


def test_the_explorer_filters_by_user_basis_and_statute(auditor):
    client, *_ = auditor
    statute = client.get("/audit/", {"statutory": "1"}).content.decode()
    assert '<td>REFERRAL_CREATE <span class="tag">statutory</span>' in statute
    assert "<td>SIGN_IN" not in statute
    assert "Social Welfare Act art. 106-6 (support meeting)" in statute
    by_basis = client.get("/audit/", {"basis": "STATUTORY_SWA_106_6"}).content.decode()
    assert "<td>REFERRAL_CREATE" in by_basis
    assert "<td>SIGN_IN" not in by_basis
    mine = client.get("/audit/", {"actor": "k-auditor"}).content.decode()
    assert "<td>AUDIT_LOG_READ" in mine
    assert "<td>REFERRAL_CREATE" not in mine
    before = events()
    unknown = client.get("/audit/", {"basis": "MAYBE", "actor": "x" * 151})
    assert unknown.status_code == 422
    text = unknown.content.decode()
    assert 'id="f-basis-error"' in text
    assert "Choose a basis from the list." in text
    assert 'id="f-actor-error"' in text
    assert "A username is up to 150 characters." in text
    assert events() == before
    assert client.get("/audit/", {"actor": "x" * 150}).status_code == 200


def test_verify_says_intact_or_names_the_first_broken_link(auditor):
    client, _referral, subject = auditor
    csrf = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    assert client.get("/audit/verify/").status_code == 405  # never by a link or a prefetch
    intact = client.post("/audit/verify/", csrf).content.decode()
    assert "Intact." in intact
    victim = subject_audit_events(subject)[1]
    edited = session.write(
        lambda tx: tx.single(
            "MATCH (e:AuditEvent {id: $id}) SET e.fields = ['name'] RETURN e.id AS id",
            id=victim["id"],
        )
    )["id"]
    broken = client.post("/audit/verify/", csrf).content.decode()
    assert "The log has been altered." in broken
    assert f"<td><code>{victim['chain']}</code></td>" in broken
    assert f"<td><code>{edited}</code></td>" in broken
    assert "This event was edited after it was written." in broken


def test_the_disclosure_record_on_screen_in_csv_and_json(auditor):
    client, _referral_id, subject = auditor
    log = client.get("/audit/", {"target": subject}).content.decode()
    assert f'<a href="/audit/subjects/{subject}/"' in log
    page = client.get(f"/audit/subjects/{subject}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Disclosure record" in html
    assert '<th scope="row">世田谷区福祉事務所</th>' in html  # the statutory referral's receiver
    assert "Referral made (data provided)" in html
    chain = subject_audit_events(subject)
    assert html.count('<tr id="e-') == len(chain)

    as_csv = client.get(f"/audit/subjects/{subject}/", {"format": "csv"})
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv["Content-Disposition"] == f'attachment; filename="disclosure-{subject}.csv"'
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [(row["id"], row["hash"]) for row in rows] == [(r["id"], r["hash"]) for r in chain]
    made = [row for row in rows if row["action"] == "REFERRAL_CREATE"]
    assert [(r["recipientName"], r["legalBasis"], r["statutory"]) for r in made] == [
        ("世田谷区福祉事務所", "STATUTORY_SWA_106_6", "true")
    ]

    as_json = client.get(f"/audit/subjects/{subject}/", {"format": "json"})
    assert as_json["Content-Disposition"] == f'attachment; filename="disclosure-{subject}.json"'
    record = json.loads(as_json.content)
    assert record["subjectId"] == subject
    assert [e["id"] for e in record["events"]] == [r["id"] for r in chain]
    # Each of the three was one audited read, naming the subject only as its target.
    reads = session.read(
        lambda tx: tx.single(
            "MATCH (e:AuditEvent {action: 'DISCLOSURE_RECORD_READ', targetId: $s})"
            " RETURN count(e) AS n",
            s=subject,
        )
    )["n"]
    assert reads == 3

    missing = client.get(f"/audit/subjects/{uuid.uuid4()}/")
    assert missing.status_code == 404
    assert client.get("/audit/subjects/not-a-uuid/").status_code == 404
    lookup = client.get("/audit/subjects/", {"subject": f"  {subject} "})
    assert lookup["Location"] == f"/audit/subjects/{subject}/"
    bad = client.get("/audit/subjects/", {"subject": "山田"}, follow=True).content.decode()
    assert "A subject&#x27;s pseudonymous id is a UUID, as the log shows it." in bad


def test_only_a_subject_id_that_is_a_uuid_links_to_a_record():
    from referral_hub.web.templatetags.hub import is_uuid

    good = str(uuid.uuid4())
    assert is_uuid(good) is True
    assert is_uuid(good.upper()) is False  # not the form the hub writes: no page for it
    assert is_uuid("not-a-uuid") is False
    assert is_uuid(None) is False
