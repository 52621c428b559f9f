"""Who hears of which handoff event, what they are told, and how webhooks are signed.

Pure (the words come from the pages' gettext catalogue, in the recipient's language).
Messages carry a reference and a link, never personal data: the reader signs in to see
the referral, and that read is consent-checked and audited like any other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Kind(StrEnum):
    SENT = "SENT"
    DECLINED = "DECLINED"
    ACCEPTED = "ACCEPTED"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"
    REMIND = "REMIND"
    ESCALATE = "ESCALATE"
    # Check-ins after a connection (issue 20, referral_hub/referrals/check_ins.py).
    CHECK_IN_REMIND = "CHECK_IN_REMIND"
    CHECK_IN_ESCALATE = "CHECK_IN_ESCALATE"
    CHECK_IN_STOPPED = "CHECK_IN_STOPPED"


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
    Kind.CHECK_IN_REMIND: (Audience.RECEIVER,),
    Kind.CHECK_IN_ESCALATE: (Audience.RECEIVER_ADMINS,),
    Kind.CHECK_IN_STOPPED: (Audience.SENDER,),
}

_SUBJECTS = {
    Kind.SENT: gettext_lazy("New referral"),
    Kind.DECLINED: gettext_lazy("Referral declined"),
    Kind.ACCEPTED: gettext_lazy("Referral accepted"),
    Kind.COMPLETED: gettext_lazy("Referral completed"),
    Kind.WITHDRAWN: gettext_lazy("Referral withdrawn (consent ended)"),
    Kind.REMIND: gettext_lazy("Reminder: referral not yet acknowledged"),
    Kind.ESCALATE: gettext_lazy("Escalation: referral not acknowledged by twice its deadline"),
    Kind.CHECK_IN_REMIND: gettext_lazy("Check-in due: is the person still attending?"),
    Kind.CHECK_IN_ESCALATE: gettext_lazy("Escalation: a check-in is overdue"),
    Kind.CHECK_IN_STOPPED: gettext_lazy("Check-in: the person stopped attending"),
}


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def email_for(kind: Kind, referral_id: str, base_url: str, language: str = "ja") -> Email:
    """The message in the recipient's language (ja or en), linking to the referral's page."""
    reference = referral_id[:8]
    link = f"{base_url.rstrip('/')}/referrals/{referral_id}/"
    with translation.override(language):
        what = str(_SUBJECTS[kind])
        brand = _("Tsunagari")
        return Email(
            subject=f"[{brand}] {what} ({reference})",
            body=(
                f"{what}\n\n"
                + _("Reference: %(id)s") % {"id": referral_id}
                + "\n"
                + _("Open it after signing in: %(link)s") % {"link": link}
                + "\n\n"
                + _("This message contains no personal data by design.")
                + "\n"
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
