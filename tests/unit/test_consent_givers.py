"""Who gives a consent (issue 20): the person, a parent for a minor, or a legally appointed
guardian (成年後見人・保佐人・補助人) for an adult. Only the birth year is known, so the line
falls on the year the subject turns 18: born 2009, 17 in 2026, is a minor all of 2026;
born 2008 turns 18 in 2026 and is an adult all of 2026."""

from dataclasses import replace
from datetime import date

import pytest

from referral_hub.consent.policy import (
    ConsentTerms,
    GivenBy,
    GuardianshipType,
    Method,
    consent_errors,
)
from referral_hub.core.errors import ErrorCode

TODAY = date(2026, 11, 28)
MINOR_17 = 2009  # 2026 - 2009 = 17: the last birth year a parent speaks for
ADULT_18 = 2008  # 2026 - 2008 = 18: the first birth year that consents as an adult
OLDER = 1944


def terms(given_by, **changes):
    base = ConsentTerms(
        given_by=given_by,
        purposes=["REFERRAL"],
        categories=["CONTACT"],
        organisation_ids=["x"],
        valid_until=date(2027, 3, 31),
        method=Method.VERBAL,
    )
    return replace(base, **changes)


def errors(data, birth_year):
    return [(e.field, e.code) for e in consent_errors(data, birth_year=birth_year, today=TODAY)]


PARENT = {"guardian_relationship": "母"}
APPOINTED = {"guardianship_type": GuardianshipType.GUARDIANSHIP}


@pytest.mark.parametrize(
    ("given_by", "extra", "birth_year", "expected"),
    [
        # the person: an adult only
        (GivenBy.SUBJECT, {}, ADULT_18, []),
        (GivenBy.SUBJECT, {}, OLDER, []),
        (GivenBy.SUBJECT, {}, MINOR_17, [("givenBy", ErrorCode.INVALID)]),
        # a parent: a minor only, and says how they are related
        (GivenBy.GUARDIAN, PARENT, MINOR_17, []),
        (GivenBy.GUARDIAN, PARENT, ADULT_18, [("givenBy", ErrorCode.INVALID)]),
        (GivenBy.GUARDIAN, PARENT, OLDER, [("givenBy", ErrorCode.INVALID)]),
        (GivenBy.GUARDIAN, {}, MINOR_17, [("guardianRelationship", ErrorCode.REQUIRED)]),
        # a legally appointed guardian: an adult only, under a named appointment
        (GivenBy.LEGAL_GUARDIAN, APPOINTED, ADULT_18, []),
        (GivenBy.LEGAL_GUARDIAN, APPOINTED, OLDER, []),
        (GivenBy.LEGAL_GUARDIAN, APPOINTED, MINOR_17, [("givenBy", ErrorCode.INVALID)]),
        (GivenBy.LEGAL_GUARDIAN, {}, OLDER, [("guardianshipType", ErrorCode.REQUIRED)]),
        (
            GivenBy.LEGAL_GUARDIAN,
            {},
            MINOR_17,
            [("givenBy", ErrorCode.INVALID), ("guardianshipType", ErrorCode.REQUIRED)],
        ),
        # the appointment belongs to a legal guardian's consent and to no other
        (GivenBy.SUBJECT, APPOINTED, OLDER, [("guardianshipType", ErrorCode.INVALID)]),
        (
            GivenBy.GUARDIAN,
            {**PARENT, **APPOINTED},
            MINOR_17,
            [("guardianshipType", ErrorCode.INVALID)],
        ),
    ],
)
def test_who_may_give_a_consent(given_by, extra, birth_year, expected):
    assert errors(terms(given_by, **extra), birth_year) == expected


@pytest.mark.parametrize("kind", list(GuardianshipType))
def test_every_appointment_speaks_for_an_adult(kind):
    data = terms(GivenBy.LEGAL_GUARDIAN, guardianship_type=kind, guardian_relationship="長男")
    assert errors(data, OLDER) == []


def test_the_messages_name_the_rule():
    [minor] = consent_errors(
        terms(GivenBy.LEGAL_GUARDIAN, **APPOINTED), birth_year=MINOR_17, today=TODAY
    )
    assert "under 18" in minor.message
    [missing] = consent_errors(terms(GivenBy.LEGAL_GUARDIAN), birth_year=OLDER, today=TODAY)
    assert "後見, 保佐 or 補助" in missing.message
    [stray] = consent_errors(terms(GivenBy.SUBJECT, **APPOINTED), birth_year=OLDER, today=TODAY)
    assert "legally appointed" in stray.message


def test_the_year_boundary_moves_with_today():
    # born 2009: a minor on 31 December 2026, an adult on 1 January 2027
    parent = terms(GivenBy.GUARDIAN, **PARENT)
    assert consent_errors(parent, birth_year=MINOR_17, today=date(2026, 12, 31)) == []
    new_year = consent_errors(parent, birth_year=MINOR_17, today=date(2027, 1, 1))
    assert [(e.field, e.code) for e in new_year] == [("givenBy", ErrorCode.INVALID)]
    appointed = terms(GivenBy.LEGAL_GUARDIAN, **APPOINTED)
    assert consent_errors(appointed, birth_year=MINOR_17, today=date(2027, 1, 1)) == []


@pytest.mark.parametrize("given_by", [GivenBy.GUARDIAN, GivenBy.LEGAL_GUARDIAN])
def test_the_relationship_is_at_most_a_hundred_characters(given_by):
    birth_year = MINOR_17 if given_by == GivenBy.GUARDIAN else OLDER
    extra = {} if given_by == GivenBy.GUARDIAN else APPOINTED
    longest = terms(given_by, guardian_relationship="母" * 100, **extra)
    assert errors(longest, birth_year) == []
    over = terms(given_by, guardian_relationship="母" * 101, **extra)
    assert errors(over, birth_year) == [("guardianRelationship", ErrorCode.TOO_LONG)]
