import pytest

from graph.audit_log import canonical_text, event_hash
from referral_hub.consent.legal_basis import (
    AUDIT_BASES,
    JUSTIFICATION_MAX,
    JUSTIFICATION_MIN,
    STATUTE_SCOPES,
    LegalBasis,
    basis_errors,
    is_statutory,
    statute_refusal,
)
from referral_hub.core.errors import ErrorCode
from referral_hub.referrals.lists import initials


@pytest.mark.parametrize("basis", [b for b in LegalBasis if b != LegalBasis.CONSENT])
def test_every_statute_needs_a_justification_of_bounded_length(basis):
    assert is_statutory(basis)
    assert [e.code for e in basis_errors(basis, None)] == ["REQUIRED"]
    assert [e.code for e in basis_errors(basis, "x" * (JUSTIFICATION_MIN - 1))] == ["TOO_SHORT"]
    assert basis_errors(basis, "x" * JUSTIFICATION_MIN) == []
    assert [e.code for e in basis_errors(basis, "x" * (JUSTIFICATION_MAX + 1))] == ["TOO_LONG"]


def test_consent_takes_no_justification():
    assert not is_statutory(LegalBasis.CONSENT)
    assert not is_statutory("OWN_RECORD")
    assert basis_errors(LegalBasis.CONSENT, None) == []
    assert [e.code for e in basis_errors(LegalBasis.CONSENT, "x" * 50)] == ["INVALID"]


@pytest.mark.parametrize(
    ("kana", "name", "expected"),
    [
        ("やまだ たろう", "山田 太郎", "や.た."),
        (None, "山田　太郎", "山.太."),  # an ideographic space separates too
        (None, "Taro Yamada", "T.Y."),
        ("", "", None),
        (None, None, None),
    ],
)
def test_initials(kana, name, expected):
    assert initials(kana, name) == expected


def test_the_canonical_text_renders_like_cypher_tostring():
    text = canonical_text({"seq": 3, "statutory": True, "purpose": None, "action": "X"})
    assert "seq=3" in text
    assert "statutory=true" in text
    assert "purpose=\x1f" in text  # absent and null both render empty
    assert event_hash({"seq": 3}) == event_hash({"seq": 3, "hash": "ignored"})
    assert event_hash({"seq": 3}) != event_hash({"seq": 4})


@pytest.mark.parametrize(
    ("basis", "kind", "birth_year", "code"),
    [
        # Child-welfare statutes: under 18 for the whole year (2026 - 2009 = 17) only.
        (LegalBasis.STATUTORY_APPI_27_1_III, "NPO", 2009, None),
        (LegalBasis.STATUTORY_APPI_27_1_III, "NPO", 2008, ErrorCode.STATUTE_NOT_APPLICABLE),
        (LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION, "WELFARE_OFFICE", 2009, None),
        (LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION, "MUNICIPALITY", 2009, None),
        (LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION, "HEALTH", 2009, None),
        (
            LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION,
            "NPO",
            2009,
            ErrorCode.STATUTE_NOT_APPLICABLE,
        ),
        (
            LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION,
            "PLACE",
            2009,
            ErrorCode.STATUTE_NOT_APPLICABLE,
        ),
        (
            LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION,
            "WELFARE_OFFICE",
            2008,
            ErrorCode.STATUTE_NOT_APPLICABLE,
        ),
        # A support meeting may discuss anyone with any member.
        (LegalBasis.STATUTORY_SWA_106_6, "NPO", 1950, None),
    ],
)
def test_a_statute_fits_its_receivers_and_the_subjects_age(basis, kind, birth_year, code):
    refusal = statute_refusal(basis, receiver_kind=kind, birth_year=birth_year, this_year=2026)
    if code is None:
        assert refusal is None
    else:
        assert (refusal.field, refusal.code) == ("legalBasis", code)
        assert basis.value in refusal.message


def test_every_statutory_basis_has_a_scope():
    assert {b for b in LegalBasis if is_statutory(b)} == set(STATUTE_SCOPES)


def test_version_1_texts_collide_where_version_2_texts_cannot():
    """Issue 12, finding 10: a value holding the separator imitated a field boundary."""
    from graph.audit_log import canonical_text_v2

    forged = {"action": "X\x1factorOrganisation=Y", "actorOrganisation": None}
    honest = {"action": "X", "actorOrganisation": "Y\x1factorOrganisation="}
    assert canonical_text(forged) == canonical_text(honest)
    assert canonical_text_v2(forged) != canonical_text_v2(honest)
    assert "action=21:X\x1factorOrganisation=Y\x1f" in canonical_text_v2(forged)
    assert canonical_text_v2({"actorUser": "山田😀"}).count("actorUser=3:山田😀") == 1


def test_each_event_verifies_in_the_version_it_names():
    old = {"seq": 1, "action": "X"}  # written before hashVersion existed
    new = {"seq": 1, "action": "X", "hashVersion": 2}
    assert event_hash(old) == event_hash({**old, "hash": "ignored"})
    assert event_hash(new) != event_hash(old)
    assert event_hash({**new, "hashVersion": 1}) != event_hash(new)


# --- the justification's edges and every refusal's words (issue 24) --------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (None, "REQUIRED"),
        ("   ", "REQUIRED"),  # blank is no justification at all
        ("あ" * 39, "TOO_SHORT"),
        (" " + "あ" * 39 + " ", "TOO_SHORT"),  # counted without the spaces around it
        ("あ" * 40, None),
        ("あ" * 4000, None),
        ("あ" * 4001, "TOO_LONG"),
    ],
)
def test_a_justification_is_40_to_4000_characters(text, code):
    errors = basis_errors(LegalBasis.STATUTORY_APPI_27_1_III, text)
    assert [e.code for e in errors] == ([] if code is None else [code])
    assert all(e.field == "justification" for e in errors)


def test_the_justification_errors_say_what_is_wanted():
    (short,) = basis_errors(LegalBasis.STATUTORY_SWA_106_6, "x")
    assert short.message == (
        "A statutory basis needs a written justification of at least 40 characters: why "
        "consent cannot be relied on, and why this statute applies."
    )
    (long,) = basis_errors(LegalBasis.STATUTORY_SWA_106_6, "x" * 4001)
    assert long.message == "justification must be at most 4000 characters."
    (with_consent,) = basis_errors(LegalBasis.CONSENT, "x")
    assert (with_consent.field, with_consent.message) == (
        "justification",
        "A justification goes with a statutory legal basis, not with consent.",
    )
    assert basis_errors(LegalBasis.CONSENT, "  ") == []


@pytest.mark.parametrize(
    ("birth_year", "refused"),
    [(2009, False), (2008, True)],  # 17 at most in 2026 / may be 18 in 2026
)
def test_child_statutes_stop_in_the_year_the_subject_may_turn_18(birth_year, refused):
    refusal = statute_refusal(
        LegalBasis.STATUTORY_APPI_27_1_III,
        receiver_kind="NPO",
        birth_year=birth_year,
        this_year=2026,
    )
    if refused:
        assert refusal.message == (
            "STATUTORY_APPI_27_1_III applies to children only; this subject may be 18 or over."
        )
    else:
        assert refusal is None


def test_a_receiver_the_statute_does_not_name_is_told_which_it_names():
    refusal = statute_refusal(
        LegalBasis.STATUTORY_CHILD_ABUSE_PREVENTION,
        receiver_kind="NPO",
        birth_year=2012,
        this_year=2026,
    )
    assert refusal.message == (
        "STATUTORY_CHILD_ABUSE_PREVENTION shares only with HEALTH, MUNICIPALITY, "
        "WELFARE_OFFICE; the receiver is a NPO."
    )
    assert (
        statute_refusal(LegalBasis.CONSENT, receiver_kind="NPO", birth_year=1, this_year=2026)
        is None
    )


def test_the_audit_bases_are_own_record_and_every_legal_basis():
    assert AUDIT_BASES == (
        "OWN_RECORD",
        "CONSENT",
        "STATUTORY_SWA_106_6",
        "STATUTORY_APPI_27_1_III",
        "STATUTORY_CHILD_ABUSE_PREVENTION",
    )
    assert is_statutory("STATUTORY_X")
    assert not is_statutory(None)
