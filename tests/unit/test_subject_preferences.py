"""The subject's own choices as pure rules: what may be recorded, which legal bases a
preference yields to, and what it says of a referral and of a recommendation."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from referral_hub.consent.legal_basis import LegalBasis
from referral_hub.core.errors import ErrorCode
from referral_hub.subjects.preferences import (
    AVOID_MENTIONING_MAX,
    YIELDS_TO,
    ContactRoute,
    PreferenceGiver,
    PreferenceKind,
    PreferenceTerms,
    leaves_out,
    preference_errors,
    referral_verdict,
)

TODAY = date(2026, 12, 1)
MINOR = 2012  # 14 this year
ADULT = 2008  # turns 18 this year: a guardian no longer speaks for them
MODES = ("EXCHANGE", "SUPPORT", None)


def errors_of(terms: PreferenceTerms, birth_year: int = MINOR) -> list[tuple[str | None, str]]:
    return [
        (e.field, e.code) for e in preference_errors(terms, birth_year=birth_year, today=TODAY)[1]
    ]


def test_only_a_statutory_child_protection_referral_is_one_a_preference_yields_to():
    assert set(YIELDS_TO) == set(LegalBasis)  # every basis placed on purpose
    assert {basis for basis, yields in YIELDS_TO.items() if yields} == {
        LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION
    }


def test_a_full_preference_is_kept_with_its_values_normalised():
    checked, errors = preference_errors(
        PreferenceTerms(
            given_by="GUARDIAN",
            do_not_refer=True,
            exchange_only=True,
            no_contact_before=TODAY,
            contact_route="VIA_GUARDIAN",
            avoid_mentioning="  ＡＢＣ 父親のこと ",
        ),
        birth_year=MINOR,
        today=TODAY,
    )
    assert errors == []
    assert checked is not None
    assert (checked.given_by, checked.contact_route) == (
        PreferenceGiver.GUARDIAN,
        ContactRoute.VIA_GUARDIAN,
    )
    assert (checked.do_not_refer, checked.exchange_only, checked.no_contact_before) == (
        True,
        True,
        TODAY,
    )
    assert checked.avoid_mentioning == "ABC 父親のこと"


@pytest.mark.parametrize(
    "choice",
    [
        {"do_not_refer": True},
        {"exchange_only": True},
        {"no_contact_before": TODAY},
        {"contact_route": "PHONE"},
        {"avoid_mentioning": "x"},
    ],
)
def test_any_one_choice_is_enough(choice):
    assert errors_of(PreferenceTerms(given_by="SUBJECT", **choice)) == []


def test_a_preference_with_no_choice_is_refused():
    assert errors_of(PreferenceTerms(given_by="SUBJECT")) == [("doNotRefer", ErrorCode.REQUIRED)]
    nulls = PreferenceTerms(given_by="SUBJECT", do_not_refer=None, exchange_only=None)
    assert errors_of(nulls) == [("doNotRefer", ErrorCode.REQUIRED)]
    blank = PreferenceTerms(given_by="SUBJECT", avoid_mentioning=" \u3000 ")
    assert errors_of(blank) == [("doNotRefer", ErrorCode.REQUIRED)]


@pytest.mark.parametrize(
    ("given_by", "birth_year", "expected"),
    [
        ("GUARDIAN", MINOR, []),
        ("SUBJECT", MINOR, []),  # a child's own wish not to be connected counts
        ("SUBJECT", ADULT, []),
        ("GUARDIAN", ADULT, [("givenBy", ErrorCode.INVALID)]),
        ("GUARDIAN", ADULT + 1, []),  # 17 this year: the guardian still speaks
        (None, MINOR, [("givenBy", ErrorCode.REQUIRED)]),
        ("FRIEND", MINOR, [("givenBy", ErrorCode.INVALID)]),
    ],
)
def test_who_may_state_it_follows_the_consent_age_rule_for_guardians(
    given_by, birth_year, expected
):
    terms = PreferenceTerms(given_by=given_by, do_not_refer=True)
    assert errors_of(terms, birth_year) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (TODAY - timedelta(days=1), [("noContactBefore", ErrorCode.OUT_OF_RANGE)]),
        (TODAY, []),
        (date(2029, 12, 1), []),  # three years ahead, to the day
        (date(2029, 12, 2), [("noContactBefore", ErrorCode.OUT_OF_RANGE)]),
    ],
)
def test_no_contact_before_is_from_today_to_three_years_ahead(day, expected):
    assert errors_of(PreferenceTerms(given_by="SUBJECT", no_contact_before=day)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("あ" * AVOID_MENTIONING_MAX, []),
        ("あ" * (AVOID_MENTIONING_MAX + 1), [("avoidMentioning", ErrorCode.TOO_LONG)]),
        ("父\x00親", [("avoidMentioning", ErrorCode.INVALID)]),
        ("父\x7f親", [("avoidMentioning", ErrorCode.INVALID)]),
        ("父\u0085親", [("avoidMentioning", ErrorCode.INVALID)]),
        ("一行目\n二行目\tタブ", []),
    ],
)
def test_what_not_to_mention_is_bounded_text(text, expected):
    terms = PreferenceTerms(given_by="SUBJECT", do_not_refer=True, avoid_mentioning=text)
    assert errors_of(terms) == expected


def test_an_unknown_contact_route_is_refused():
    terms = PreferenceTerms(given_by="SUBJECT", contact_route="PIGEON")
    assert errors_of(terms) == [("contactRoute", ErrorCode.INVALID)]


def test_errors_are_all_reported_at_once():
    terms = PreferenceTerms(
        given_by="GUARDIAN",
        contact_route="PIGEON",
        no_contact_before=TODAY - timedelta(days=3),
        avoid_mentioning="x" * 2000,
    )
    assert errors_of(terms, ADULT) == [
        ("givenBy", ErrorCode.INVALID),
        ("contactRoute", ErrorCode.INVALID),
        ("noContactBefore", ErrorCode.OUT_OF_RANGE),
        ("avoidMentioning", ErrorCode.TOO_LONG),
    ]


def _oracle(preference: dict, mode: str | None, today: date) -> PreferenceKind | None:
    """The rule as the issue states it, written plainly."""
    if preference.get("doNotRefer"):
        return PreferenceKind.DO_NOT_REFER
    if preference.get("exchangeOnly") and mode != "EXCHANGE":
        return PreferenceKind.EXCHANGE_ONLY
    before = preference.get("noContactBefore")
    if before is not None and today < before:
        return PreferenceKind.NO_CONTACT_BEFORE
    return None


PREFERENCES = [
    {"doNotRefer": d, "exchangeOnly": e, "noContactBefore": n}
    for d, e, n in itertools.product(
        (False, True), (False, True), (None, TODAY, TODAY + timedelta(days=1))
    )
]


@pytest.mark.parametrize("basis", list(LegalBasis))
def test_the_verdict_over_every_preference_mode_and_basis(basis):
    for preference, mode in itertools.product([None, {}, *PREFERENCES], MODES):
        verdict = referral_verdict(preference, basis=basis, service_mode=mode, today=TODAY)
        expected = _oracle(preference or {}, mode, TODAY)
        assert verdict.blocked_by == expected, (preference, mode)
        assert verdict.overridden == (expected is not None and YIELDS_TO[basis])
        assert (verdict.message is None) == (expected is None)
        if expected is not None:
            assert f"({expected.value})" in (verdict.message or "")


def test_the_verdict_takes_a_basis_by_its_name_and_dates_from_the_graph():
    class GraphDate:  # neo4j.time.Date has to_native()
        def to_native(self) -> date:
            return TODAY + timedelta(days=2)

    verdict = referral_verdict(
        {"noContactBefore": GraphDate()},
        basis="STATUTORY_CHILD_ABUSE_PREVENTION",
        service_mode="SUPPORT",
        today=TODAY,
    )
    assert (verdict.blocked_by, verdict.overridden) == (PreferenceKind.NO_CONTACT_BEFORE, True)
    assert "2026-12-03" in (verdict.message or "")


def test_recommendations_leave_out_by_place_never_by_date():
    for preference, mode in itertools.product([None, {}, *PREFERENCES], ("EXCHANGE", "SUPPORT")):
        expected = _oracle({**(preference or {}), "noContactBefore": None}, mode, TODAY)
        assert leaves_out(preference, service_mode=mode) == expected, (preference, mode)


def test_today_may_come_from_the_graph_too():
    class GraphDate:
        def __init__(self, day: date) -> None:
            self.day = day

        def to_native(self) -> date:
            return self.day

    preference = {"noContactBefore": GraphDate(TODAY + timedelta(days=1))}
    for today, blocked in ((TODAY, PreferenceKind.NO_CONTACT_BEFORE), (TODAY + timedelta(1), None)):
        verdict = referral_verdict(
            preference, basis="CONSENT", service_mode="EXCHANGE", today=GraphDate(today)
        )
        assert verdict.blocked_by == blocked
