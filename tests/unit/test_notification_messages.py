import hashlib
import hmac
import inspect

from django.test import override_settings

from referral_hub.notifications.messages import (
    AUDIENCES,
    Audience,
    Kind,
    backoff_seconds,
    email_for,
    signature,
    webhook_body,
)


def test_every_kind_reaches_someone_and_escalations_reach_the_admins_and_the_sender():
    assert set(AUDIENCES) == set(Kind)
    assert AUDIENCES[Kind.SENT] == (Audience.RECEIVER,)
    assert AUDIENCES[Kind.ACCEPTED] == (Audience.SENDER,)
    assert set(AUDIENCES[Kind.ESCALATE]) == {Audience.RECEIVER_ADMINS, Audience.SENDER}


def test_the_signature_covers_timestamp_and_body():
    body = webhook_body(key="k", kind=Kind.SENT, referral_id="r", version=1, at="2026-11-28")
    header = signature("s3cret", 1700000000, body)
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert signature("s3cret", 1700000001, body) != header
    assert signature("s3cret", 1700000000, body + b" ") != header


def test_backoff_doubles_up_to_a_cap():
    assert [backoff_seconds(n, 30) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(20, 30) == 3600


REFERRAL = "0b7c6d1e-0000-4000-8000-000000000000"


def test_an_email_is_a_reference_and_a_link_in_english():
    message = email_for(Kind.REMIND, REFERRAL, "https://hub.example/", language="en")
    assert message.subject == "[Tsunagari] Reminder: referral not yet acknowledged (0b7c6d1e)"
    assert f"Open it after signing in: https://hub.example/referrals/{REFERRAL}/" in message.body
    assert "no personal data" in message.body


def test_an_email_is_japanese_by_default():
    message = email_for(Kind.SENT, REFERRAL, "https://hub.example/")
    assert message.subject == "[つながり] 新しいつなぎ (0b7c6d1e)"
    assert f"ログイン後に開いてください：https://hub.example/referrals/{REFERRAL}/" in message.body
    assert "個人情報" in message.body


def test_every_kind_has_words_in_both_languages():
    for kind in Kind:
        english = email_for(kind, REFERRAL, "https://hub.example/", language="en")
        japanese = email_for(kind, REFERRAL, "https://hub.example/", language="ja")
        assert english.subject != japanese.subject, kind


# --- every value a receiver or a mail reader uses (issue 24) --------------------------------


def test_each_kind_reaches_exactly_its_audience():
    assert AUDIENCES == {
        Kind.SENT: (Audience.RECEIVER,),
        Kind.DECLINED: (Audience.SENDER,),
        Kind.ACCEPTED: (Audience.SENDER,),
        Kind.COMPLETED: (Audience.SENDER,),
        Kind.WITHDRAWN: (Audience.RECEIVER,),
        Kind.REMIND: (Audience.RECEIVER,),
        Kind.ESCALATE: (Audience.RECEIVER_ADMINS, Audience.SENDER),
        Kind.CHECK_IN_REMIND: (Audience.RECEIVER,),
        Kind.CHECK_IN_ESCALATE: (Audience.RECEIVER_ADMINS,),
        Kind.CHECK_IN_STOPPED: (Audience.SENDER,),
    }


def test_the_webhook_body_is_the_documented_json_byte_for_byte():
    body = webhook_body(
        key="k-1", kind=Kind.DECLINED, referral_id=REFERRAL, version=3, at="2026-11-28T09:00:00Z"
    )
    assert (
        body
        == (
            '{"id":"k-1","occurredAt":"2026-11-28T09:00:00Z",'
            f'"referralId":"{REFERRAL}","type":"referral.declined","version":3}}'
        ).encode()
    )


def test_each_kind_has_its_own_english_subject():
    subjects = {
        kind: email_for(kind, REFERRAL, "https://hub.example", language="en").subject
        for kind in Kind
    }
    assert subjects == {
        Kind.SENT: "[Tsunagari] New referral (0b7c6d1e)",
        Kind.DECLINED: "[Tsunagari] Referral declined (0b7c6d1e)",
        Kind.ACCEPTED: "[Tsunagari] Referral accepted (0b7c6d1e)",
        Kind.COMPLETED: "[Tsunagari] Referral completed (0b7c6d1e)",
        Kind.WITHDRAWN: "[Tsunagari] Referral withdrawn (consent ended) (0b7c6d1e)",
        Kind.REMIND: "[Tsunagari] Reminder: referral not yet acknowledged (0b7c6d1e)",
        Kind.ESCALATE: (
            "[Tsunagari] Escalation: referral not acknowledged by twice its deadline (0b7c6d1e)"
        ),
        Kind.CHECK_IN_REMIND: "[Tsunagari] Check-in due: is the person still attending? (0b7c6d1e)",
        Kind.CHECK_IN_ESCALATE: "[Tsunagari] Escalation: a check-in is overdue (0b7c6d1e)",
        Kind.CHECK_IN_STOPPED: "[Tsunagari] Check-in: the person stopped attending (0b7c6d1e)",
    }


def test_the_link_has_one_slash_whatever_the_base_url_ends_with():
    for base in ("https://hub.example", "https://hub.example/"):
        body = email_for(Kind.SENT, REFERRAL, base, language="en").body
        assert f"https://hub.example/referrals/{REFERRAL}/\n" in body
        assert f"Reference: {REFERRAL}\n" in body


def test_backoff_starts_at_the_base_and_stops_at_the_cap_exactly():
    assert backoff_seconds(0, 30) == 30  # a first attempt waits the base, never less
    assert backoff_seconds(1, 30) == 30
    assert backoff_seconds(7, 30) == 1920
    assert backoff_seconds(8, 30) == 3600  # 3840 capped
    assert backoff_seconds(3, 30, cap=100) == 100


def test_an_english_email_body_line_by_line():
    body = email_for(Kind.DECLINED, REFERRAL, "https://hub.example", language="en").body
    assert body == (
        "Referral declined\n"
        "\n"
        f"Reference: {REFERRAL}\n"
        f"Open it after signing in: https://hub.example/referrals/{REFERRAL}/\n"
        "\n"
        "This message contains no personal data by design.\n"
    )


def test_only_slashes_are_trimmed_from_the_base_url():
    body = email_for(Kind.SENT, REFERRAL, "https://example.org/hubX/", language="en").body
    assert f"https://example.org/hubX/referrals/{REFERRAL}/\n" in body


@override_settings(LANGUAGE_CODE="en")
def test_an_email_is_japanese_by_default_even_on_an_english_site():
    assert email_for(Kind.SENT, REFERRAL, "https://hub.example/").subject == (
        "[つながり] 新しいつなぎ (0b7c6d1e)"
    )


def test_the_default_language_is_japanese_by_its_code():
    # The test above cannot tell "ja" from an unknown code once that code's catalogue is
    # cached (Django falls back to LANGUAGE_CODE, ja, and keeps it per process). mutmut's
    # trampolines keep the original signature, so it still counts "XXjaXX" as a survivor.
    assert inspect.signature(email_for).parameters["language"].default == "ja"
