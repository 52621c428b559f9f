"""The counsellor's new-referral flow over HTTP: pupil, consent, service, send (issue 14)."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from graph import session
from referral_hub.accounts.roles import Role
from referral_hub.web.new_referral import FLOW
from tests import directory_fixtures
from tests.conftest import member
from tests.pages.test_web_views import signed_in
from tests.referrals.flows import REGISTER

CONSENT_FORM = {
    "givenBy": "GUARDIAN",
    "guardianRelationship": "母",
    "purposes": ["REFERRAL"],
    "categories": ["CONTACT", "SCHOOL_ATTENDANCE"],
    "organisationKinds": ["WELFARE_OFFICE", "NPO", "PLACE"],
    "areaCode": "141305",
    "validUntil": "2027-10-31",
    "method": "VERBAL",
}


@pytest.fixture
def counsellor(case):
    return signed_in("counsellor")


def ask_for_services(client, needs=("school_non_attendance",), area="141305"):
    """The needs form: posted, kept in the session, then the page shows the services."""
    response = client.post(
        "/referrals/new/service/", {"intent": "recommend", "needs": list(needs), "area": area}
    )
    assert response.status_code == 302
    assert response["Location"] == "/referrals/new/service/"  # no need in the address
    return response


def register(client, **changes):
    form = {"intent": "register", "birthYear": "2013", "areaCode": "141313", **changes}
    form.setdefault("name", "佐藤 花")
    form.setdefault("nameKana", "さとう はな")
    return client.post("/referrals/new/", form)


def test_a_pupil_is_registered_and_the_flow_moves_on(counsellor):
    response = register(counsellor)
    assert response.status_code == 302
    assert response["Location"] == "/referrals/new/consent/"
    subject_id = counsellor.session[FLOW]["subject_id"]
    page = counsellor.get("/referrals/new/consent/").content.decode()
    assert "佐藤 花" in page
    assert subject_id not in page  # the pupil is in the session, not in the page's URLs


def test_registration_errors_are_beside_their_fields_and_write_nothing(counsellor):
    before = session.read(lambda tx: tx.single("MATCH (s:Subject) RETURN count(s) AS n"))["n"]
    response = register(counsellor, birthYear="20x3")
    assert response.status_code == 422
    assert 'id="reg-birthYear-error"' in response.content.decode()
    response = register(counsellor, areaCode="999999")
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="reg-areaCode-error"' in page
    assert 'data-field="areaCode"' in page
    assert "佐藤 花" in page  # what was typed is kept
    after = session.read(lambda tx: tx.single("MATCH (s:Subject) RETURN count(s) AS n"))["n"]
    assert after == before


def test_find_lists_only_own_pupils_and_choosing_one_moves_on(case, counsellor):
    _, _, subject = case  # 山田 太郎, 2012, 141313, registered by the school
    response = counsellor.post(
        "/referrals/new/",
        {"intent": "find", "name": "山田 太郎", "birthYear": "2012", "areaCode": "141313"},
    )
    page = response.content.decode()
    assert f'value="{subject}"' in page
    assert signed_in("npo-worker").post(
        "/referrals/new/",
        {"intent": "find", "name": "山田 太郎", "birthYear": "2012", "areaCode": "141313"},
    ).status_code in (403, 422)
    chosen = counsellor.post("/referrals/new/", {"intent": "choose", "subjectId": subject})
    assert chosen["Location"] == "/referrals/new/consent/"


def test_a_foreign_pupil_cannot_be_chosen(case):
    """A subject id posted by hand: the next step reads it through the API, which does not
    show another school's pupil, and the flow refuses it."""
    school_b = directory_fixtures._org("B中学校", "SCHOOL", "141313")
    other_school = member("b-counsellor", school_b, Role.COUNSELLOR)
    foreign = other_school(REGISTER)["data"]["registerSubject"]["subject"]["id"]
    client = signed_in("counsellor")
    client.post("/referrals/new/", {"intent": "choose", "subjectId": foreign})
    response = client.get("/referrals/new/consent/")
    assert response.status_code == 404
    assert "There is no such pupil for you." in response.content.decode()
    assert "山田" not in response.content.decode()
    assert client.session[FLOW]["subject_id"] is None


def test_the_consent_is_shown_in_plain_words_printed_and_recorded_with_the_scan_hash(counsellor):
    register(counsellor)
    preview = counsellor.post("/referrals/new/consent/preview/", CONSENT_FORM).content.decode()
    assert "I, the guardian (母), agree that 川崎市立桜中学校 may share" in preview
    assert "Contact details, School attendance" in preview
    assert "Welfare offices, NPOs, Community places in Kawasaki" in preview
    assert "until 2027-10-31" in preview

    printed = counsellor.post("/referrals/new/consent/", {**CONSENT_FORM, "intent": "print"})
    assert printed["Location"] == "/referrals/new/consent/print/"
    form = counsellor.get("/referrals/new/consent/print/").content.decode()
    assert "consent-form.css" in form
    assert "I, the guardian (母), agree" in form
    assert "Signature" in form

    scan = b"%PDF-1.4 signed consent form"
    upload = SimpleUploadedFile("consent.pdf", scan, content_type="application/pdf")
    written = {**CONSENT_FORM, "method": "WRITTEN", "intent": "record"}
    recorded = counsellor.post("/referrals/new/consent/", {**written, "evidence": upload})
    assert recorded.status_code == 302, re.findall(
        r"data-field=.{0,200}", recorded.content.decode()
    )
    assert recorded["Location"] == "/referrals/new/service/"
    consent_id = counsellor.session[FLOW]["consent_id"]
    evidence = "MATCH (c:Consent {id: $id}) RETURN c.evidenceSha256 AS h"
    stored = session.read(lambda tx: tx.single(evidence, id=consent_id))
    assert stored["h"] == hashlib.sha256(scan).hexdigest()


@pytest.mark.parametrize(
    ("changes", "field", "shown_at"),
    [
        ({"categories": []}, "categories", "c-categories"),
        ({"method": "WRITTEN"}, "evidence", "c-evidence"),  # a written one needs its scan
        ({"validUntil": "2031-01-01"}, "validUntil", "c-validUntil"),
        ({"organisationKinds": ["NOT_A_KIND"]}, "organisationKinds", "c-organisationKinds"),
    ],
)
def test_a_consent_the_api_refuses_is_told_by_field_and_nothing_is_recorded(
    counsellor, changes, field, shown_at
):
    register(counsellor)
    form = {**CONSENT_FORM, **changes, "intent": "record"}
    response = counsellor.post("/referrals/new/consent/", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert f'data-field="{field}"' in page
    assert f'id="{shown_at}-error"' in page
    assert counsellor.session[FLOW].get("consent_id") is None
    count = session.read(lambda tx: tx.single("MATCH (c:Consent) RETURN count(c) AS n"))["n"]
    assert count == 0


def test_recommend_explains_each_score_and_send_creates_the_referral(case, counsellor):
    network, _, subject = case
    counsellor.post("/referrals/new/", {"intent": "choose", "subjectId": subject})
    counsellor.post("/referrals/new/consent/", {**CONSENT_FORM, "intent": "record"})
    # Needs in the address are not taken (a link from elsewhere cannot make the page run
    # an audited recommend for the pupil): only the posted form is.
    ignored = counsellor.get("/referrals/new/service/?needs=school_non_attendance&area=141305")
    assert f'value="{network["study"]}"' not in ignored.content.decode()
    ask_for_services(counsellor)
    page = counsellor.get("/referrals/new/service/").content.decode()
    assert f'value="{network["study"]}"' in page
    assert "Needs it takes" in page  # the score's parts
    assert "Replies quickly" in page
    missing = counsellor.post(
        "/referrals/new/service/",
        {"intent": "send", "urgency": "PRIORITY", "categories": ["CONTACT"]},
    )
    assert missing.status_code == 422
    assert 'data-field="serviceId"' in missing.content.decode()

    sent = counsellor.post(
        "/referrals/new/service/",
        {
            "intent": "send",
            "serviceId": network["study"],
            "urgency": "PRIORITY",
            "summary": "9月から欠席が続いています。",
            "categories": ["CONTACT"],
        },
    )
    assert sent.status_code == 302, sent.content[:800]
    referral_id = re.fullmatch(r"/referrals/([0-9a-f-]{36})/", sent["Location"]).group(1)
    page = counsellor.get(sent["Location"]).content.decode()
    assert "The referral is sent." in page
    assert "学習支援教室" in page
    assert FLOW not in counsellor.session
    read = session.read(
        lambda tx: tx.single(
            "MATCH (r:Referral {id: $id}) RETURN r.state AS state, r.urgency AS urgency",
            id=referral_id,
        )
    )
    assert read == {"state": "SENT", "urgency": "PRIORITY"}


def test_each_step_needs_the_one_before(counsellor):
    assert counsellor.get("/referrals/new/consent/")["Location"] == "/referrals/new/"
    assert counsellor.get("/referrals/new/service/")["Location"] == "/referrals/new/"
    assert counsellor.get("/referrals/new/consent/print/")["Location"] == "/referrals/new/consent/"


def test_an_oversized_scan_is_refused_and_records_nothing(counsellor):
    register(counsellor)
    big = SimpleUploadedFile("scan.pdf", b"0" * (20 * 1024 * 1024 + 1))
    form = {**CONSENT_FORM, "method": "WRITTEN", "intent": "record", "evidence": big}
    response = counsellor.post("/referrals/new/consent/", form)
    assert response.status_code == 422
    assert 'id="c-evidence-error"' in response.content.decode()
    count = session.read(lambda tx: tx.single("MATCH (c:Consent) RETURN count(c) AS n"))["n"]
    assert count == 0


def test_a_pupil_id_that_is_not_an_id_is_not_kept(counsellor):
    counsellor.post("/referrals/new/", {"intent": "choose", "subjectId": "x" * 100_000})
    assert counsellor.session[FLOW]["subject_id"] is None


def test_no_personal_data_reaches_the_logs(case, counsellor, caplog):
    """The whole flow, a refusal included, with every logger recording: the pupil's
    name, kana and contact appear in no log line."""
    network, _, _ = case
    caplog.set_level("DEBUG")
    register(counsellor, contact="080-9999-0000")
    register(counsellor, name="佐藤 花", areaCode="999999")  # refused: logged as a 422
    counsellor.post("/referrals/new/consent/", {**CONSENT_FORM, "intent": "record"})
    ask_for_services(counsellor)
    counsellor.post(
        "/referrals/new/service/",
        {"intent": "send", "serviceId": network["study"], "categories": ["CONTACT"]},
    )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the requests were logged at all
    for personal in ("佐藤", "さとう", "080-9999-0000"):
        assert personal not in logged


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/referrals/new/consent/", 20 * 1024 * 1024 + 64 * 1024), ("/referrals/new/", 256 * 1024)],
)
def test_an_oversized_body_is_refused_before_anything_reads_it(case, path, limit):
    """Before the CSRF check (which would parse the body and spool an upload to disk),
    and so also for someone not signed in: N bytes pass the limit, N + 1 do not."""
    client = Client(enforce_csrf_checks=True)
    over = client.post(path, data="x", content_type="text/plain", CONTENT_LENGTH=str(limit + 1))
    assert over.status_code == 413
    at_limit = client.post(path, data="x", content_type="text/plain", CONTENT_LENGTH=str(limit))
    assert at_limit.status_code == 403  # reached the CSRF check: nothing refused it earlier
    chunked = client.post(
        path,
        data="x",
        content_type="text/plain",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert chunked.status_code == 411


def test_a_new_pupil_starts_a_new_flow(case, counsellor):
    """Nothing of one pupil's consent (its draft, its scan's fingerprint, the needs)
    carries over to the next pupil chosen."""
    _, _, subject = case
    register(counsellor)
    scan = SimpleUploadedFile("a.pdf", b"pupil A's form", content_type="application/pdf")
    counsellor.post(
        "/referrals/new/consent/", {**CONSENT_FORM, "intent": "print", "evidence": scan}
    )
    assert counsellor.session[FLOW]["evidence_sha256"]
    assert counsellor.session[FLOW]["consent_draft"]
    counsellor.post("/referrals/new/", {"intent": "choose", "subjectId": subject})
    assert counsellor.session[FLOW] == {"subject_id": subject}
    page = counsellor.get("/referrals/new/consent/").content.decode()
    assert "c-keepEvidence" not in page


def test_acting_for_another_organisation_drops_the_flow(case, counsellor):
    network, _, _ = case
    register(counsellor)
    assert FLOW in counsellor.session
    counsellor.post("/accounts/organisation/", {"organisation_id": network["school"]})
    assert FLOW not in counsellor.session


@pytest.mark.parametrize("year", ["99999", "-1", "2012.5", " ", "2012x"])
def test_a_year_that_is_not_one_is_told_beside_its_field(counsellor, year):
    response = counsellor.post(
        "/referrals/new/",
        {"intent": "find", "name": "やまだ", "birthYear": year, "areaCode": "141313"},
    )
    assert response.status_code == 422
    assert 'id="find-birthYear-error"' in response.content.decode()


def test_a_year_typed_with_full_width_digits_is_taken(case, counsellor):
    """Japanese input methods type ２０１２; it is the year 2012."""
    form = {"intent": "find", "name": "山田 太郎", "birthYear": "２０１２", "areaCode": "141313"}
    response = counsellor.post("/referrals/new/", form)
    assert response.status_code == 200
    assert f'value="{case[2]}"' in response.content.decode()
