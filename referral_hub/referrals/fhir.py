"""A referral as an HL7 FHIR R4 Bundle: ServiceRequest (what is asked), Task (the
handoff's state) and Consent (what the sharing rests on), built from an audited read
and validated by the fhir.resources models before it leaves.

Subjects are pseudonymous here: the bundle names the subject by its hub identifier,
never by a Patient resource with personal fields. A statutory referral has no Consent;
its basis is a ServiceRequest category instead. Pure apart from the validation library.
"""

from __future__ import annotations

import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from graph.referral_rows import PartyRow, ReferralConsentRow, ReferralRow
from referral_hub.consent.legal_basis import is_statutory
from referral_hub.referrals.handoff import FHIR_TASK_STATUS, State

SYSTEM = "https://tsunagari.example.jp/fhir"
SUBJECT_SYSTEM = f"{SYSTEM}/subject-id"
ORGANISATION_SYSTEM = f"{SYSTEM}/organisation-id"
TAG_SYSTEM = f"{SYSTEM}/need-tag"
BASIS_SYSTEM = f"{SYSTEM}/legal-basis"
STATE_SYSTEM = f"{SYSTEM}/handoff-state"
CATEGORY_SYSTEM = f"{SYSTEM}/data-category"
PURPOSE_SYSTEM = f"{SYSTEM}/purpose"
REFERRAL_PURPOSE_SYSTEM = f"{SYSTEM}/referral-purpose"

_REQUEST_STATUS = {
    State.DRAFT: "draft",
    State.SENT: "active",
    State.RECEIVED: "active",
    State.ACCEPTED: "active",
    State.IN_PROGRESS: "active",
    State.COMPLETED: "completed",
    State.DECLINED: "revoked",
    State.CANCELLED: "revoked",
    State.WITHDRAWN: "revoked",
}
_PRIORITY = {"ROUTINE": "routine", "PRIORITY": "urgent", "URGENT": "asap"}
_CONSENT_STATUS = {"ACTIVE": "active", "WITHDRAWN": "inactive", "EXPIRED": "inactive"}


def _iso(value: Any) -> str | None:
    return None if value is None else (value if isinstance(value, str) else value.isoformat())


def _organisation(party: PartyRow) -> dict[str, Any]:
    return {
        "type": "Organization",
        "identifier": {"system": ORGANISATION_SYSTEM, "value": party["id"]},
        "display": party["name"],
    }


def _subject(subject_id: str) -> dict[str, Any]:
    return {"type": "Patient", "identifier": {"system": SUBJECT_SYSTEM, "value": subject_id}}


def _urn(resource_id: str, kind: str) -> str:
    # Entries in one bundle refer to each other by these; the kind keeps them distinct.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{kind}/{resource_id}')}"


def referral_bundle(referral: ReferralRow) -> dict[str, Any]:
    """The bundle as JSON-ready data; raises pydantic.ValidationError if it is not valid FHIR."""
    state = State(referral["state"])
    request_url = _urn(referral["id"], "ServiceRequest")
    consent = referral.get("consent")
    consent_url = _urn(consent["id"], "Consent") if consent else None
    entries: list[dict[str, Any]] = [
        {"fullUrl": request_url, "resource": _service_request(referral, state, consent_url)},
        {"fullUrl": _urn(referral["id"], "Task"), "resource": _task(referral, state, request_url)},
    ]
    if consent and not is_statutory(referral["legal_basis"]):
        entries.append({"fullUrl": consent_url, "resource": _consent(consent, referral)})
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{**e, "resource": _pruned(e["resource"])} for e in entries],
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


def _service_request(
    referral: ReferralRow, state: State, consent_url: str | None
) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": referral["id"],
        "identifier": [{"system": f"{SYSTEM}/referral-id", "value": referral["id"]}],
        "status": _REQUEST_STATUS[state],
        "intent": "order",
        "priority": _PRIORITY[referral["urgency"]],
        "category": [
            {"coding": [{"system": BASIS_SYSTEM, "code": referral["legal_basis"]}]},
            *_offered_role(referral),
        ],
        "code": {"text": referral["service"]["name"]},
        "subject": _subject(referral["subject_id"]),
        "authoredOn": _iso(referral["created_at"]),
        "requester": _organisation(referral["sender"]),
        "performer": [_organisation(referral["receiver"])],
        "reasonCode": [
            {"coding": [{"system": TAG_SYSTEM, "code": tag}]} for tag in referral["need_tags"] or ()
        ]
        or None,
        "supportingInfo": [{"reference": consent_url}] if consent_url else None,
        "note": [{"text": referral["summary"]}] if referral.get("summary") else None,
    }


def _offered_role(referral: ReferralRow) -> list[dict[str, Any]]:
    """An OFFER_ROLE referral says so in a second category, with the role's title; a
    SUPPORT referral's bundle is as it always was."""
    opportunity = referral.get("opportunity")
    if referral.get("purpose") != "OFFER_ROLE":
        return []
    return [
        {
            "coding": [{"system": REFERRAL_PURPOSE_SYSTEM, "code": "OFFER_ROLE"}],
            "text": opportunity["title"] if opportunity else None,
        }
    ]


def _task(referral: ReferralRow, state: State, request_url: str) -> dict[str, Any]:
    return {
        "resourceType": "Task",
        "id": f"{referral['id']}-task",
        "status": FHIR_TASK_STATUS[state],
        "businessStatus": {"coding": [{"system": STATE_SYSTEM, "code": state.value}]},
        "intent": "order",
        "priority": _PRIORITY[referral["urgency"]],
        "focus": {"reference": request_url},
        "for": _subject(referral["subject_id"]),
        "authoredOn": _iso(referral["created_at"]),
        "lastModified": _iso(referral["updated_at"]),
        "requester": _organisation(referral["sender"]),
        "owner": _organisation(referral["receiver"]),
        "statusReason": {"text": referral["reason"]} if referral.get("reason") else None,
        "restriction": {"period": {"end": _iso(referral["deadline"])}}
        if referral.get("deadline")
        else None,
        "output": [
            {
                "type": {"text": "outcome"},
                "valueCodeableConcept": {
                    "coding": [{"system": f"{SYSTEM}/outcome", "code": referral["outcome"]}]
                },
            }
        ]
        if referral.get("outcome")
        else None,
    }


_CONSENT_SCOPE = {
    "coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}
    ]
}
_CONSENT_CATEGORY = [
    {"coding": [{"system": "http://loinc.org", "code": "59284-0"}], "text": "Consent"}
]
_OPT_IN = {
    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]
}
_RECIPIENT = {
    "coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP"}
    ]
}


def _consent(consent: ReferralConsentRow, referral: ReferralRow) -> dict[str, Any]:
    return {
        "resourceType": "Consent",
        "id": consent["id"],
        "status": _CONSENT_STATUS.get(consent["state"], "inactive"),
        "scope": _CONSENT_SCOPE,
        "category": _CONSENT_CATEGORY,
        "patient": _subject(referral["subject_id"]),
        "dateTime": _iso(consent.get("recorded_at")),
        "organization": [_organisation(referral["sender"])],
        "sourceAttachment": {
            "title": f"{consent.get('method', '').lower()} consent; SHA-256 "
            f"{consent.get('evidence_sha256') or 'not recorded'}"
        },
        "policyRule": _OPT_IN,
        "provision": _provision(consent),
    }


def _provision(consent: ReferralConsentRow) -> dict[str, Any]:
    """What the consent permits: its period, the organisations it names, its purposes
    and data categories."""
    return {
        "type": "permit",
        "period": {
            "start": _iso(consent.get("valid_from")),
            "end": _iso(consent.get("valid_until")),
        },
        "actor": [
            {
                "role": _RECIPIENT,
                "reference": {
                    "type": "Organization",
                    "identifier": {"system": ORGANISATION_SYSTEM, "value": organisation},
                },
            }
            for organisation in consent.get("permits") or []
        ]
        or None,
        "purpose": [{"system": PURPOSE_SYSTEM, "code": purpose} for purpose in consent["purposes"]],
        "class": [
            {"system": CATEGORY_SYSTEM, "code": category} for category in consent["categories"]
        ],
    }


def _pruned(value: Any) -> Any:
    """Without None values and empty lists: FHIR forbids empty elements."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value
