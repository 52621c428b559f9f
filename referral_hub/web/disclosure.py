"""A subject's disclosure record as people read it (pure): what each audited action means,
who received or read the data (the 第三者提供記録's summary), and the CSV download.

The record itself comes from the API (`disclosureRecord`): every event of the subject's
audit chain. Nothing here leaves an event out; the summary only groups them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referral_hub.core.spreadsheet import safe_cell
from referral_hub.web.labels import EVENTS

ACTIONS = {
    "SUBJECT_REGISTER": gettext_lazy("Registered"),
    "SUBJECT_READ": gettext_lazy("Record read"),
    "SUBJECT_FIND": gettext_lazy("Found again by name"),
    "CONSENT_RECORD": gettext_lazy("Consent recorded"),
    "CONSENT_AMEND": gettext_lazy("Consent amended (a new version)"),
    "CONSENT_WITHDRAW": gettext_lazy("Consent withdrawn"),
    "CONSENT_EXPIRE": gettext_lazy("Consent expired"),
    "REFERRAL_CREATE": gettext_lazy("Referral made (data provided)"),
    "REFERRAL_READ": gettext_lazy("Referral read"),
    "REFERRAL_FHIR_READ": gettext_lazy("Referral read (FHIR)"),
    "REFERRAL_INBOX_READ": gettext_lazy("Shown in an inbox"),
    "REFERRAL_OUTBOX_READ": gettext_lazy("Shown in sent referrals"),
    "RECOMMEND_FOR_SUBJECT": gettext_lazy("Places recommended"),
    "STATUTORY_REVIEW_READ": gettext_lazy("Statutory referral reviewed by an auditor"),
    "SUBJECT_ERASE": gettext_lazy("Erased (its key destroyed)"),
    "PREFERENCE_SET": gettext_lazy("Own preference recorded"),
    "PREFERENCE_LIFT": gettext_lazy("Own preference lifted"),
    "PREFERENCE_OVERRIDDEN_STATUTORY": gettext_lazy(
        "Own preference overridden by a statutory child-protection referral"
    ),
}

# Events in which the data went to an organisation: a referral made (its receiver), and
# every read that returned something.
_PROVISIONS = frozenset({"REFERRAL_CREATE", "REFERRAL_SEND"})

CSV_COLUMNS = (
    "seq",
    "at",
    "action",
    "outcome",
    "actorOrganisationId",
    "actorOrganisationName",
    "actorUser",
    "actorRole",
    "recipientId",
    "recipientName",
    "legalBasis",
    "statutory",
    "consentId",
    "consentVersion",
    "categories",
    "fields",
    "targetType",
    "targetId",
    "id",
    "hash",
)


def action_label(action: str) -> str:
    """In the reader's language; a handoff step reads as the referral's event; an action
    the hub does not name (yet) as its code, never hidden."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    step = action.removeprefix("REFERRAL_")
    if step != action and step in EVENTS:
        return _("Referral: %(step)s") % {"step": EVENTS[step]}
    return action


def recipients(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each organisation other than the registering one that received or read the
    subject's data: when first and last, how often, which categories, on what bases.
    Refused reads returned nothing and are not disclosures (they stay in the events)."""
    owner = record.get("registeredById")
    found: dict[str, dict[str, Any]] = {}

    def note(org: str | None, name: str | None, event: Mapping[str, Any]) -> None:
        if not org or org == owner:
            return
        entry = found.setdefault(
            org,
            {
                "id": org,
                "name": name or org,
                "first": event["at"],
                "last": event["at"],
                "events": 0,
                "categories": set(),
                "bases": set(),
            },
        )
        entry["first"] = min(entry["first"], event["at"])
        entry["last"] = max(entry["last"], event["at"])
        entry["events"] += 1
        entry["categories"].update(event.get("categories") or ())
        basis = event.get("legalBasis")
        if basis:
            version = event.get("consentVersion")
            entry["bases"].add((basis, version))

    for event in record.get("events") or ():
        if event.get("outcome") != "OK":
            continue
        if event["action"] in _PROVISIONS:
            note(event.get("recipientId"), event.get("recipientName"), event)
        elif event.get("legalBasis"):
            note(event.get("actorOrganisationId"), event.get("actorOrganisationName"), event)
    return [
        {
            **entry,
            "categories": sorted(entry["categories"]),
            "bases": sorted(entry["bases"], key=lambda b: (b[0], b[1] or 0)),
        }
        for entry in sorted(found.values(), key=lambda e: (e["first"], e["id"]))
    ]


def record_csv(events: Sequence[Mapping[str, Any]]) -> str:
    """One row per audit event about the subject, oldest first, every column the API
    gives (times in UTC, as the chain holds them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow([safe_cell(event.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()
