import base64
import os

import pytest

from referral_hub.subjects.crypto import (
    CryptoError,
    MasterKey,
    duplicate_key,
    new_data_key,
    normalised_name,
    open_sealed,
    rewrap,
    seal,
    unwrap,
    wrap,
)

OLD = MasterKey("k1", os.urandom(32))
NEW = MasterKey("k2", os.urandom(32))
FIELDS = {"name": "山田 太郎", "kana": "ヤマダ タロウ", "contact": "090-0000-0000", "notes": None}


def test_fields_round_trip_under_the_subject_key():
    key = new_data_key()
    sealed = seal(FIELDS, key, subject_id="s1")
    assert "山田" not in sealed
    assert open_sealed(sealed, key, subject_id="s1") == FIELDS


def test_a_ciphertext_moved_to_another_subject_does_not_open():
    key = new_data_key()
    with pytest.raises(CryptoError):
        open_sealed(seal(FIELDS, key, subject_id="s1"), key, subject_id="s2")


def test_rotation_rewraps_the_key_and_leaves_data_alone():
    key = new_data_key()
    sealed = seal(FIELDS, key, subject_id="s1")
    wrapped = wrap(key, OLD, subject_id="s1")
    rotated = rewrap(wrapped, {"k1": OLD}, NEW, subject_id="s1")
    assert rotated.master_key_id == "k2"
    assert (
        open_sealed(sealed, unwrap(rotated, {"k2": NEW}, subject_id="s1"), subject_id="s1")
        == FIELDS
    )
    with pytest.raises(CryptoError, match="not configured"):
        unwrap(rotated, {"k1": OLD}, subject_id="s1")


def test_a_wrong_master_key_is_refused():
    wrapped = wrap(new_data_key(), OLD, subject_id="s1")
    with pytest.raises(CryptoError):
        unwrap(wrapped, {"k1": MasterKey("k1", os.urandom(32))}, subject_id="s1")


def test_master_keys_are_32_bytes():
    text = base64.urlsafe_b64encode(os.urandom(32)).decode()
    assert MasterKey.from_text("k", text).key_id == "k"
    with pytest.raises(CryptoError):
        MasterKey.from_text("k", base64.urlsafe_b64encode(b"short").decode())


def test_duplicate_keys_match_spelling_variants_but_not_other_people():
    secret = os.urandom(32)
    a = duplicate_key(name="ヤマダ　タロウ", birth_year=2012, area_code="141313", secret=secret)
    b = duplicate_key(name="やまだたろう", birth_year=2012, area_code="141313", secret=secret)
    c = duplicate_key(name="やまだじろう", birth_year=2012, area_code="141313", secret=secret)
    assert a == b != c
    assert "やまだ" not in a
    assert normalised_name("ﾔﾏﾀﾞ ﾀﾛｳ") == "やまだたろう"  # half-width kana too


def test_a_master_key_keeps_its_bytes_and_a_short_one_is_named():
    secret = bytes(range(32))
    assert MasterKey.from_text("k", base64.urlsafe_b64encode(secret).decode()) == MasterKey(
        "k", secret
    )
    with pytest.raises(CryptoError) as short:
        MasterKey.from_text("k9", base64.urlsafe_b64encode(b"short").decode())
    assert str(short.value) == "master key k9 must be 32 bytes, base64url-encoded"


def test_the_refusals_say_which_ciphertext_did_not_open():
    key = new_data_key()
    with pytest.raises(CryptoError) as moved:
        open_sealed(seal(FIELDS, key, subject_id="s1"), key, subject_id="s2")
    assert str(moved.value) == "the personal fields do not open (tampered or moved)"
    wrapped = wrap(key, OLD, subject_id="s1")
    with pytest.raises(CryptoError) as wrong:
        unwrap(wrapped, {"k1": OLD}, subject_id="s2")
    assert str(wrong.value) == "the data key does not unwrap (wrong master key or tampered)"


def test_fields_are_sealed_as_utf_8_json_with_sorted_keys():
    # 12 bytes of nonce + the plaintext + a 16-byte tag; {"name": "山田"} is 18 bytes in
    # UTF-8 (as \u escapes it would be 24), so the ciphertext is 46 bytes.
    key = new_data_key()
    sealed = seal({"name": "山田"}, key, subject_id="s1")
    assert len(base64.urlsafe_b64decode(sealed)) == 46
    opened = open_sealed(seal({"b": "2", "a": "1"}, key, subject_id="s1"), key, subject_id="s1")
    assert list(opened) == ["a", "b"]


def test_a_name_is_folded_to_lower_case_hiragana_from_the_first_to_the_last_katakana():
    assert normalised_name("Taro YAMADA") == "taroyamada"
    assert normalised_name("ァヶ") == "ぁゖ"
    assert normalised_name("ヷ") == "ヷ"  # past ヶ: no hiragana of its own
