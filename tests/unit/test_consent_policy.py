from dataclasses import replace
from datetime import date, timedelta

import pytest

from referral_hub.consent.policy import (
    Consent,
    ConsentState,
    ConsentTerms,
    DataCategory,
    Decision,
    GivenBy,
    Method,
    Purpose,
    Recipient,
    consent_errors,
    effective_state,
    guardian_speaks_for,
    permits,
    years_later,
)
from referral_hub.core.errors import ErrorCode

TODAY = date(2026, 11, 28)
WELFARE = Recipient("welfare-1", "WELFARE_OFFICE", "141313")
NPO = Recipient("npo-1", "NPO", "141330")


def consent(**changes):
    base = dict(
        state=ConsentState.ACTIVE,
        purposes=frozenset({Purpose.REFERRAL}),
        categories=frozenset({DataCategory.CONTACT, DataCategory.SCHOOL_ATTENDANCE}),
        organisation_ids=frozenset({"welfare-1"}),
        organisation_kinds=frozenset(),
        kind_area_codes=frozenset(),
        valid_from=date(2026, 4, 1),
        valid_until=date(2027, 3, 31),
    )
    return Consent(**{**base, **changes})


def decide(
    c, recipient=WELFARE, purpose=Purpose.REFERRAL, categories=(DataCategory.CONTACT,), today=TODAY
):
    return permits(c, recipient, purpose=purpose, categories=categories, today=today)


def test_a_named_organisation_for_a_covered_purpose_and_categories():
    assert decide(consent()).allowed
    assert not decide(consent(), recipient=NPO).allowed


def test_kinds_are_permitted_only_inside_the_area():
    by_kind = consent(
        organisation_ids=frozenset(),
        organisation_kinds=frozenset({"NPO"}),
        kind_area_codes=frozenset({"141305", "141313", "141330"}),
    )
    assert decide(by_kind, recipient=NPO).allowed
    assert not decide(by_kind, recipient=Recipient("npo-2", "NPO", "131121")).allowed
    assert not decide(by_kind, recipient=WELFARE).allowed


@pytest.mark.parametrize(
    ("changes", "kwargs", "reason"),
    [
        ({"state": ConsentState.WITHDRAWN}, {}, "WITHDRAWN"),
        ({"valid_until": date(2026, 11, 27)}, {}, "EXPIRED"),
        ({"valid_from": date(2026, 12, 1)}, {}, "not valid yet"),
        ({}, {"purpose": Purpose.STATISTICS}, "purpose STATISTICS"),
        ({}, {"categories": (DataCategory.CONTACT, DataCategory.HEALTH)}, "categories HEALTH"),
    ],
)
def test_refusals_say_why(changes, kwargs, reason):
    decision = decide(consent(**changes), **kwargs)
    assert not decision.allowed
    assert reason in decision.reason


def test_expiry_is_effective_on_the_day_after_the_end():
    c = consent(valid_until=TODAY)
    assert effective_state(c, TODAY) is ConsentState.ACTIVE
    assert effective_state(c, date(2026, 11, 29)) is ConsentState.EXPIRED


def test_a_guardian_speaks_for_the_subject_until_the_year_they_turn_18():
    assert guardian_speaks_for(2009, TODAY)  # 16 or 17 in 2026
    assert not guardian_speaks_for(2008, TODAY)  # turns 18 in 2026
    assert guardian_speaks_for(2008, date(2025, 12, 31))
    assert not guardian_speaks_for(2008, date(2026, 1, 1))


def test_guardian_consent_is_refused_from_the_year_the_subject_turns_18():
    errors = consent_errors(_valid(), birth_year=2008, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("givenBy", ErrorCode.INVALID)]
    assert consent_errors(_valid(), birth_year=2009, today=TODAY) == []
    assert consent_errors(_valid(), birth_year=1980, today=TODAY) != []


def test_the_subject_consents_themself_from_the_year_they_turn_18():
    data = _valid(given_by=GivenBy.SUBJECT)
    assert consent_errors(data, birth_year=2008, today=TODAY) == []
    errors = consent_errors(data, birth_year=2009, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("givenBy", ErrorCode.INVALID)]


def test_a_guardians_consent_stops_covering_in_the_year_the_subject_turns_18():
    c = consent(given_by=GivenBy.GUARDIAN, subject_birth_year=2009)
    assert decide(c).allowed
    late = decide(c, today=date(2027, 1, 1))
    assert not late.allowed
    assert "turns 18" in late.reason
    assert decide(consent(given_by=GivenBy.SUBJECT, subject_birth_year=2009)).allowed


def test_a_deactivated_organisation_and_statistics_are_never_permitted():
    assert not decide(consent(), recipient=replace(WELFARE, active=False)).allowed
    stats = decide(consent(purposes=frozenset(Purpose)), purpose=Purpose.STATISTICS)
    assert not stats.allowed
    assert "STATISTICS" in stats.reason


def _valid(**changes):
    terms = ConsentTerms(
        given_by=GivenBy.GUARDIAN,
        guardian_relationship="母",
        purposes=["REFERRAL"],
        categories=["CONTACT"],
        organisation_ids=["x"],
        valid_from=date(2026, 4, 1),
        valid_until=date(2027, 3, 31),
        method=Method.WRITTEN,
        evidence_sha256="a" * 64,
    )
    return replace(terms, **changes)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"given_by": GivenBy.SUBJECT}, "givenBy", ErrorCode.INVALID),
        ({"guardian_relationship": ""}, "guardianRelationship", ErrorCode.REQUIRED),
        ({"purposes": []}, "purposes", ErrorCode.REQUIRED),
        ({"categories": []}, "categories", ErrorCode.REQUIRED),
        ({"organisation_ids": []}, "organisationIds", ErrorCode.REQUIRED),
        ({"organisation_kinds": ["NPO"]}, "areaCode", ErrorCode.REQUIRED),
        ({"valid_until": date(2026, 1, 1)}, "validUntil", ErrorCode.OUT_OF_RANGE),
        ({"valid_until": date(2029, 4, 2)}, "validUntil", ErrorCode.OUT_OF_RANGE),
        ({"valid_until": None}, "validUntil", ErrorCode.REQUIRED),
        ({"evidence_sha256": "xyz"}, "evidenceSha256", ErrorCode.INVALID),
        ({"evidence_sha256": None}, "evidenceSha256", ErrorCode.REQUIRED),
    ],
)
def test_consent_input_rules(changes, field, code):
    errors = consent_errors(_valid(**changes), birth_year=2012, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [(field, code)]


def test_an_adult_may_consent_for_themselves_and_verbal_needs_no_document():
    data = _valid(given_by=GivenBy.SUBJECT, method=Method.VERBAL, evidence_sha256=None)
    assert consent_errors(data, birth_year=1990, today=TODAY) == []


def test_a_consent_lasts_three_calendar_years_to_the_day():
    # validFrom 2026-04-01 (from _valid): 2029-04-01 is the last allowed end, 04-02 is not.
    assert consent_errors(_valid(valid_until=date(2029, 4, 1)), birth_year=2012, today=TODAY) == []
    errors = consent_errors(_valid(valid_until=date(2029, 4, 2)), birth_year=2012, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("validUntil", ErrorCode.OUT_OF_RANGE)]


def test_three_years_from_29_february_ends_on_28_february():
    assert years_later(date(2028, 2, 29), 3) == date(2031, 2, 28)
    assert years_later(date(2026, 11, 28), 3) == date(2029, 11, 28)


def test_a_consent_starts_at_most_90_days_after_it_is_recorded():
    ahead = {"valid_from": TODAY + timedelta(days=90), "valid_until": TODAY + timedelta(days=400)}
    assert consent_errors(_valid(**ahead), birth_year=2012, today=TODAY) == []
    too_far = {**ahead, "valid_from": TODAY + timedelta(days=91)}
    errors = consent_errors(_valid(**too_far), birth_year=2012, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("validFrom", ErrorCode.OUT_OF_RANGE)]


def test_organisation_kinds_must_be_kinds():
    kinds = {"organisation_kinds": ["WELFARE_OFFICE", "welfare"], "area_code": "141313"}
    errors = consent_errors(_valid(**kinds), birth_year=2012, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("organisationKinds", ErrorCode.UNKNOWN_KIND)]
    assert "welfare" in errors[0].message
    assert (
        consent_errors(
            _valid(organisation_kinds=["WELFARE_OFFICE"], area_code="141313"),
            birth_year=2012,
            today=TODAY,
        )
        == []
    )


# --- boundaries of time, kind and area, and every reason (issue 24) ---------------------------


def test_a_consent_holds_from_its_first_day_to_its_last():
    first = consent(valid_from=TODAY)
    assert decide(first).allowed  # on valid_from itself
    assert decide(first, today=date(2026, 11, 27)).reason == "the consent is not valid yet"
    last = consent(valid_until=TODAY)
    assert decide(last).allowed  # on valid_until itself
    assert decide(last, today=date(2026, 11, 29)).reason == "the consent is EXPIRED"


def test_kinds_in_an_area_need_the_kind_and_an_area_inside():
    by_kind = consent(
        organisation_ids=frozenset(),
        organisation_kinds=frozenset({"NPO", "PLACE"}),
        kind_area_codes=frozenset({"141330"}),
    )
    assert decide(by_kind, recipient=Recipient("p", "PLACE", "141330")).allowed
    assert not decide(by_kind, recipient=Recipient("p", "PLACE", None)).allowed
    assert not decide(by_kind, recipient=Recipient("p", "SCHOOL", "141330")).allowed
    # A named organisation is permitted wherever it is, whatever its kind.
    named = consent(organisation_ids=frozenset({"x"}), kind_area_codes=frozenset({"141330"}))
    assert decide(named, recipient=Recipient("x", "SCHOOL", "999999")).allowed


@pytest.mark.parametrize(
    ("changes", "kwargs", "reason"),
    [
        ({"state": ConsentState.WITHDRAWN}, {}, "the consent is WITHDRAWN"),
        ({"valid_until": date(2026, 11, 27)}, {}, "the consent is EXPIRED"),
        ({"valid_from": date(2026, 11, 29)}, {}, "the consent is not valid yet"),
        (
            {"given_by": GivenBy.GUARDIAN, "subject_birth_year": 2008},
            {},
            "a guardian's consent ends in the year the subject turns 18",
        ),
        ({}, {"recipient": replace(WELFARE, active=False)}, "the organisation is deactivated"),
        ({}, {"recipient": NPO}, "the consent does not name this organisation or its kind here"),
        (
            {"purposes": frozenset({Purpose.REFERRAL})},
            {"purpose": Purpose.CASE_COORDINATION},
            "the consent does not cover the purpose CASE_COORDINATION",
        ),
        (
            {"purposes": frozenset(Purpose)},
            {"purpose": Purpose.STATISTICS},
            "STATISTICS never receives identified data",
        ),
        (
            {},
            {"categories": (DataCategory.HEALTH, DataCategory.NOTES, DataCategory.CONTACT)},
            "the consent does not cover the data categories HEALTH, NOTES",
        ),
    ],
)
def test_each_refusal_gives_its_whole_reason(changes, kwargs, reason):
    assert decide(consent(**changes), **kwargs) == Decision(False, reason)


def test_a_permitted_look_says_permitted():
    assert decide(consent()) == Decision(True, "permitted")


@pytest.mark.parametrize(
    ("valid_from", "last_allowed"),
    [
        (date(2026, 11, 28), date(2029, 11, 28)),  # from today
        (date(2027, 2, 26), date(2030, 2, 26)),  # from 90 days ahead: counted from valid_from
    ],
)
def test_three_years_are_counted_from_valid_from(valid_from, last_allowed):
    assert (
        consent_errors(
            _valid(valid_from=valid_from, valid_until=last_allowed), birth_year=2012, today=TODAY
        )
        == []
    )
    errors = consent_errors(
        _valid(valid_from=valid_from, valid_until=last_allowed + timedelta(days=1)),
        birth_year=2012,
        today=TODAY,
    )
    assert [(e.field, e.message) for e in errors] == [
        ("validUntil", "A consent lasts at most three years.")
    ]


def test_the_end_may_be_the_first_day_but_not_before_it():
    assert (
        consent_errors(_valid(valid_from=TODAY, valid_until=TODAY), birth_year=2012, today=TODAY)
        == []
    )
    errors = consent_errors(
        _valid(valid_from=TODAY, valid_until=TODAY - timedelta(days=1)),
        birth_year=2012,
        today=TODAY,
    )
    assert [(e.field, e.message) for e in errors] == [
        ("validUntil", "validUntil is before validFrom.")
    ]


# Every refusal of consent_errors whole: field, code and the words the recorder reads.
@pytest.mark.parametrize(
    ("changes", "birth_year", "error"),
    [
        (
            {"given_by": GivenBy.SUBJECT, "guardian_relationship": None},
            2012,
            (
                "givenBy",
                ErrorCode.INVALID,
                "The subject is under 18: a guardian must give the consent.",
            ),
        ),
        (
            {},
            2008,
            (
                "givenBy",
                ErrorCode.INVALID,
                "The subject turns 18 this year or is older: they give the consent themself.",
            ),
        ),
        (
            {"guardian_relationship": "  "},
            2012,
            ("guardianRelationship", ErrorCode.REQUIRED, "Say how the guardian is related."),
        ),
        (
            {"guardian_relationship": None},
            2012,
            ("guardianRelationship", ErrorCode.REQUIRED, "Say how the guardian is related."),
        ),
        ({"purposes": []}, 2012, ("purposes", ErrorCode.REQUIRED, "Name at least one purpose.")),
        (
            {"categories": None},
            2012,
            ("categories", ErrorCode.REQUIRED, "Name at least one data category."),
        ),
        (
            {"organisation_ids": None, "organisation_kinds": None},
            2012,
            (
                "organisationIds",
                ErrorCode.REQUIRED,
                "Name the organisations, or organisation kinds in an area, it permits.",
            ),
        ),
        (
            {"organisation_kinds": ["SCHOOL", "ZOO", "BANK"], "area_code": "141305"},
            2012,
            ("organisationKinds", ErrorCode.UNKNOWN_KIND, "Not an organisation kind: BANK, ZOO."),
        ),
        (
            {"organisation_kinds": ["NPO"], "area_code": ""},
            2012,
            ("areaCode", ErrorCode.REQUIRED, "Organisation kinds are permitted within an area."),
        ),
        (
            {"valid_from": date(2027, 2, 27), "valid_until": date(2027, 3, 31)},
            2012,
            (
                "validFrom",
                ErrorCode.OUT_OF_RANGE,
                "A consent starts at most 90 days after it is recorded.",
            ),
        ),
        (
            {"valid_until": None},
            2012,
            ("validUntil", ErrorCode.REQUIRED, "A consent needs an end date (at most 3 years)."),
        ),
        (
            {"valid_until": date(2026, 3, 31)},
            2012,
            ("validUntil", ErrorCode.OUT_OF_RANGE, "validUntil is before validFrom."),
        ),
        (
            {"valid_until": date(2029, 4, 2)},
            2012,
            ("validUntil", ErrorCode.OUT_OF_RANGE, "A consent lasts at most three years."),
        ),
        (
            {"evidence_sha256": "A" * 64},
            2012,
            ("evidenceSha256", ErrorCode.INVALID, "evidenceSha256 is 64 lower-case hex digits."),
        ),
        (
            {"evidence_sha256": None, "method": Method.DIGITAL},
            2012,
            (
                "evidenceSha256",
                ErrorCode.REQUIRED,
                "A written or digital consent records the SHA-256 of its document.",
            ),
        ),
    ],
)
def test_each_input_refusal_names_its_field_code_and_words(changes, birth_year, error):
    errors = consent_errors(_valid(**changes), birth_year=birth_year, today=TODAY)
    assert [(e.field, e.code, e.message) for e in errors] == [error]


def test_a_verbal_consent_needs_no_document_but_a_given_one_is_checked():
    verbal = _valid(method=Method.VERBAL, evidence_sha256=None)
    assert consent_errors(verbal, birth_year=2012, today=TODAY) == []
    assert consent_errors(_valid(evidence_sha256="0" * 64), birth_year=2012, today=TODAY) == []


@pytest.mark.parametrize(
    "purpose", [Purpose.REFERRAL, Purpose.CASE_COORDINATION, Purpose.SERVICE_DELIVERY]
)
def test_each_identified_purpose_is_permitted_when_the_consent_names_it(purpose):
    named = consent(purposes=frozenset({purpose}))
    assert decide(named, purpose=purpose) == Decision(True, "permitted")
