"""The counsellor's consent step for adult subjects and their guardians (issue 20): the
person consents, or a legally appointed guardian (成年後見人・保佐人・補助人) under their
appointment; a parent for an adult is refused; every error summary link points at a field
on the page; Japanese first, English second."""

from __future__ import annotations

import re

import pytest

from graph import session
from referral_hub.accounts.roles import Role
from referral_hub.web.new_referral import FLOW
from tests import directory_fixtures
from tests.conftest import signed_in_member
from tests.pages.test_new_referral_views import register
from tests.pages.test_web_views import signed_in

ADULT_FORM = {
    "givenBy": "LEGAL_GUARDIAN",
    "guardianshipType": "CURATORSHIP",
    "guardianRelationship": "司法書士",
    "purposes": ["REFERRAL"],
    "categories": ["CONTACT", "FAMILY"],
    "organisationKinds": ["COMPREHENSIVE_SUPPORT_CENTRE"],
    "areaCode": "141305",
    "validUntil": "2027-10-31",
    "method": "VERBAL",
}


def _adult(client):
    response = register(client, birthYear="1944", name="鈴木 節子", nameKana="すずき せつこ")
    assert response.status_code == 302
    return client.session[FLOW]["subject_id"]


def _links_point_at_fields(page: str) -> list[str]:
    """The error summary's targets, each checked to be an id on the page."""
    targets = re.findall(r'<a href="#(c-[A-Za-z]+)">', page)
    for target in targets:
        assert f'id="{target}"' in page, target
    return targets


@pytest.fixture
def counsellor(case):
    return signed_in("counsellor")


def test_an_adult_starts_with_their_own_consent_and_the_elderly_kinds(counsellor):
    _adult(counsellor)
    page = counsellor.get("/referrals/new/consent/").content.decode()
    assert 'id="c-givenBy-SUBJECT" name="givenBy" value="SUBJECT" checked' in page
    assert 'id="c-givenBy-LEGAL_GUARDIAN"' in page
    assert 'id="c-guardianshipType"' in page
    for code in ("GUARDIANSHIP", "CURATORSHIP", "ASSISTANCE"):
        assert f'id="c-guardianshipType-{code}"' in page
    assert 'value="COMPREHENSIVE_SUPPORT_CENTRE" checked' in page
    assert "I agree that 川崎市立桜中学校 may share the following about me" in page


def test_a_minor_still_starts_with_a_parent(counsellor):
    register(counsellor)  # born 2013
    page = counsellor.get("/referrals/new/consent/").content.decode()
    assert 'id="c-givenBy-GUARDIAN" name="givenBy" value="GUARDIAN" checked' in page
    assert "about the child" in page


def test_the_legal_guardians_words_in_english_and_japanese(case):
    for language, expected in (
        (
            "en",
            "I, the court-appointed curator (保佐人), agree that 川崎市立桜中学校 may share "
            "the following about the person I act for",
        ),
        ("ja", "私（家庭裁判所が選任した保佐人）は、川崎市立桜中学校が"),
    ):
        client = signed_in("counsellor", language)
        _adult(client)
        preview = client.post("/referrals/new/consent/preview/", ADULT_FORM).content.decode()
        assert expected in preview, preview
    ja = signed_in("counsellor", "ja")
    _adult(ja)
    page = ja.get("/referrals/new/consent/").content.decode()
    assert "成年後見人等（成年の場合）" in page
    assert "成年後見人等の場合：審判の種類" in page
    assert "保佐" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"guardianshipType": ""}, "guardianshipType"),  # a legal guardian names it
        ({"givenBy": "GUARDIAN", "guardianshipType": ""}, "givenBy"),  # no parent for an adult
        ({"givenBy": "SUBJECT"}, "guardianshipType"),  # the appointment is a guardian's
    ],
)
def test_refusals_link_to_their_fields_and_record_nothing(counsellor, changes, field):
    _adult(counsellor)
    before = session.read(lambda tx: tx.single("MATCH (c:Consent) RETURN count(c) AS n"))["n"]
    response = counsellor.post(
        "/referrals/new/consent/", {**ADULT_FORM, **changes, "intent": "record"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f'data-field="{field}"' in page
    assert _links_point_at_fields(page) == [f"c-{field}"]
    after = session.read(lambda tx: tx.single("MATCH (c:Consent) RETURN count(c) AS n"))["n"]
    assert after == before


def test_a_legal_guardians_consent_is_recorded_and_the_flow_moves_on(counsellor):
    subject = _adult(counsellor)
    response = counsellor.post("/referrals/new/consent/", {**ADULT_FORM, "intent": "record"})
    assert response.status_code == 302
    assert response["Location"] == "/referrals/new/service/"
    stored = session.read(
        lambda tx: tx.single(
            "MATCH (:Subject {id: $s})-[:GAVE]->(c:Consent) "
            "RETURN c.givenBy AS by, c.guardianshipType AS type",
            s=subject,
        )
    )
    assert dict(stored) == {"by": "LEGAL_GUARDIAN", "type": "CURATORSHIP"}


def test_the_printed_form_names_the_appointment(counsellor):
    _adult(counsellor)
    printed = counsellor.post("/referrals/new/consent/", {**ADULT_FORM, "intent": "print"})
    assert printed["Location"] == "/referrals/new/consent/print/"
    form = counsellor.get("/referrals/new/consent/print/").content.decode()
    assert "I, the court-appointed curator (保佐人), agree" in form
    assert "A legally appointed guardian: the appointment" in form
    assert "Curatorship (保佐)" in form


def test_the_auditors_disclosure_record_shows_who_gave_consent(counsellor):
    subject = _adult(counsellor)
    recorded = counsellor.post("/referrals/new/consent/", {**ADULT_FORM, "intent": "record"})
    assert recorded.status_code == 302
    area = directory_fixtures.build_auditor_org("川崎市 監査室", "141305")
    auditor = signed_in_member("k-auditor", area, Role.AUDITOR).client
    auditor.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = auditor.get(f"/audit/subjects/{subject}/").content.decode()
    assert "A legally appointed guardian (of an adult) (Curatorship (保佐))" in page
