"""The disclosure record as people read it (referral_hub/web/disclosure.py): who received
or read the data, action words, the CSV (pure)."""

from __future__ import annotations

import csv
import io

from django.utils import translation

from referral_hub.core.spreadsheet import safe_cell
from referral_hub.web import disclosure

OWNER, WELFARE, NPO = "school", "welfare", "npo"


def event(seq, action, **fields):
    return {
        "seq": seq,
        "at": f"2026-11-{seq:02d}T00:00:00+00:00",
        "action": action,
        "outcome": "OK",
        **fields,
    }


RECORD = {
    "registeredById": OWNER,
    "events": [
        event(1, "SUBJECT_REGISTER", actorOrganisationId=OWNER, legalBasis="OWN_RECORD"),
        event(
            2,
            "REFERRAL_CREATE",
            actorOrganisationId=OWNER,
            legalBasis="CONSENT",
            consentVersion=1,
            categories=["CONTACT"],
            recipientId=WELFARE,
            recipientName="福祉事務所",
        ),
        event(
            3,
            "REFERRAL_READ",
            actorOrganisationId=WELFARE,
            actorOrganisationName="福祉事務所",
            legalBasis="CONSENT",
            consentVersion=2,
            categories=["CONTACT", "NOTES"],
            recipientId=WELFARE,
        ),
        event(
            4,
            "REFERRAL_READ",
            actorOrganisationId=NPO,
            actorOrganisationName="NPO",
            outcome="DENIED",
        ),
        event(
            5,
            "REFERRAL_CREATE",
            actorOrganisationId=OWNER,
            legalBasis="STATUTORY_SWA_106_6",
            categories=["FAMILY"],
            recipientId=NPO,
            recipientName="NPO",
        ),
        event(
            6,
            "SUBJECT_READ",
            actorOrganisationId=NPO,
            actorOrganisationName="NPO",
            legalBasis="STATUTORY_SWA_106_6",
            categories=["FAMILY"],
        ),
    ],
}


def test_recipients_are_the_other_organisations_that_received_or_read():
    found = disclosure.recipients(RECORD)
    assert [(r["id"], r["name"], r["events"]) for r in found] == [
        (WELFARE, "福祉事務所", 2),  # provided to (2), then read (3)
        (NPO, "NPO", 2),  # the refused read (4) returned nothing: not a disclosure
    ]
    welfare, npo = found
    assert (welfare["first"], welfare["last"]) == (
        "2026-11-02T00:00:00+00:00",
        "2026-11-03T00:00:00+00:00",
    )
    assert welfare["categories"] == ["CONTACT", "NOTES"]
    assert welfare["bases"] == [("CONSENT", 1), ("CONSENT", 2)]
    assert npo["bases"] == [("STATUTORY_SWA_106_6", None)]
    assert (npo["first"], npo["last"]) == ("2026-11-05T00:00:00+00:00", "2026-11-06T00:00:00+00:00")


def test_the_registering_organisation_is_not_a_recipient_and_an_empty_record_has_none():
    own = {"registeredById": OWNER, "events": [RECORD["events"][0]]}
    assert disclosure.recipients(own) == []
    assert disclosure.recipients({"registeredById": OWNER, "events": []}) == []


def test_actions_read_as_words_and_an_unknown_one_as_its_code():
    with translation.override("en"):
        assert disclosure.action_label("REFERRAL_CREATE") == "Referral made (data provided)"
        assert disclosure.action_label("REFERRAL_ACCEPT") == "Referral: Accepted"
        assert disclosure.action_label("REFERRAL_NOPE") == "REFERRAL_NOPE"
        assert disclosure.action_label("SOMETHING_NEW") == "SOMETHING_NEW"
    with translation.override("ja"):
        assert disclosure.action_label("CONSENT_WITHDRAW") != "Consent withdrawn"


def test_the_csv_has_every_event_and_every_column_with_formulas_quoted():
    events = [
        *RECORD["events"],
        event(7, "SUBJECT_READ", actorUser="=HYPERLINK(1)", statutory=True),
    ]
    text = disclosure.record_csv(events)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(disclosure.CSV_COLUMNS)
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 8)]
    last = dict(zip(rows[0], rows[-1], strict=True))
    assert last["actorUser"] == "'=HYPERLINK(1)"
    assert last["statutory"] == "true"
    third = dict(zip(rows[0], rows[3], strict=True))
    assert third["categories"] == "CONTACT NOTES"
    assert third["consentVersion"] == "2"
    assert text.endswith("\r\n")


def test_safe_cells():
    assert safe_cell(None) == ""
    assert safe_cell(-3) == "-3"  # a number is not a formula
    assert safe_cell("-3") == "'-3"
    assert [safe_cell(c + "x") for c in "=+-@\t\r"] == ["'" + c + "x" for c in "=+-@\t\r"]
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(False) == "false"
    assert safe_cell(["a", "b"]) == "a b"
