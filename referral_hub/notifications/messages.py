"""Who hears of which handoff event, what they are told, and how webhooks are signed.

Pure. Messages carry a reference and a link, never personal data: the reader signs in
to see the referral, and that read is consent-checked and audited like any other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    SENT = "SENT"
    DECLINED = "DECLINED"
    ACCEPTED = "ACCEPTED"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"
    REMIND = "REMIND"
    ESCALATE = "ESCALATE"


class Audience(StrEnum):
    SENDER = "SENDER"
    RECEIVER = "RECEIVER"
    RECEIVER_ADMINS = "RECEIVER_ADMINS"  # the receiving organisation's ORG_ADMINs


# "To the other side": what the receiver did goes to the sender and the other way round.
AUDIENCES: dict[Kind, tuple[Audience, ...]] = {
    Kind.SENT: (Audience.RECEIVER,),
    Kind.DECLINED: (Audience.SENDER,),
    Kind.ACCEPTED: (Audience.SENDER,),
    Kind.COMPLETED: (Audience.SENDER,),
    Kind.WITHDRAWN: (Audience.RECEIVER,),
    Kind.REMIND: (Audience.RECEIVER,),
    Kind.ESCALATE: (Audience.RECEIVER_ADMINS, Audience.SENDER),
}

_SUBJECTS = {
    Kind.SENT: "New referral",
    Kind.DECLINED: "Referral declined",
    Kind.ACCEPTED: "Referral accepted",
    Kind.COMPLETED: "Referral completed",
    Kind.WITHDRAWN: "Referral withdrawn (consent ended)",
    Kind.REMIND: "Reminder: referral not yet acknowledged",
    Kind.ESCALATE: "Escalation: referral not acknowledged by twice its deadline",
}


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def email_for(kind: Kind, referral_id: str, base_url: str) -> Email:
    reference = referral_id[:8]
    link = f"{base_url.rstrip('/')}/graphql#referral={referral_id}"
    return Email(
        subject=f"[Tsunagari] {_SUBJECTS[kind]} ({reference})",
        body=(
            f"{_SUBJECTS[kind]}.\n\nReference: {referral_id}\nOpen it after signing in: {link}\n\n"
            "This message contains no personal data by design.\n"
        ),
    )


def webhook_body(*, key: str, kind: Kind, referral_id: str, version: int, at: str) -> bytes:
    return json.dumps(
        {
            "id": key,
            "type": f"referral.{kind.value.lower()}",
            "referralId": referral_id,
            "version": version,
            "occurredAt": at,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode("utf-8")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Tsunagari-Signature header: t=<unix seconds>,v1=<HMAC-SHA256(secret, t.body)>.

    Receivers recompute it and reject old timestamps, which stops replays."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def backoff_seconds(attempt: int, base: float, cap: float = 3600.0) -> float:
    """Exponential: base, 2×base, 4×base, … after the 1st, 2nd, 3rd failed attempt."""
    return min(cap, base * 2 ** max(0, attempt - 1))
