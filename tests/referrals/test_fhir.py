"""referralAsFhir: an R4 Bundle that the FHIR models accept, built from the audited read."""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from graph import session
from referral_hub.referrals import fhir
from tests.referrals.flows import create, give_consent, move
from tests.referrals.test_statutory import statutory

FHIR = "query($id: ID!) { referralAsFhir(id: $id) }"


def bundle_of(caller, referral):
    raw = caller(FHIR, {"id": referral})["data"]["referralAsFhir"]
    return None if raw is None else json.loads(raw)


def resources(bundle):
    return {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}


def test_a_completed_referral_as_a_valid_bundle(case):
    network, people, subject = case
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    welfare = people["welfare"]
    for version, (action, extra) in enumerate(
        (
            ("ACKNOWLEDGE", {}),
            ("ACCEPT", {}),
            ("START", {}),
            ("COMPLETE", {"outcome": "CONNECTED"}),
        ),
        start=1,
    ):
        assert move(welfare, referral["id"], action, version, **extra)["errors"] == []

    bundle = bundle_of(welfare, referral["id"])
    Bundle.model_validate(bundle)  # what a FHIR client would do with it
    found = resources(bundle)
    assert set(found) == {"ServiceRequest", "Task", "Consent"}
    request, task, consent_resource = found["ServiceRequest"], found["Task"], found["Consent"]
    assert (request["status"], request["priority"], request["intent"]) == (
        "completed",
        "urgent",
        "order",
    )
    assert request["subject"]["identifier"]["value"] == subject
    assert request["performer"][0]["display"] == "世田谷区福祉事務所"
    assert request["note"][0]["text"].startswith("9月")
    assert (task["status"], task["businessStatus"]["coding"][0]["code"]) == (
        "completed",
        "COMPLETED",
    )
    assert task["output"][0]["valueCodeableConcept"]["coding"][0]["code"] == "CONNECTED"
    assert task["focus"]["reference"] == bundle["entry"][0]["fullUrl"]
    assert consent_resource["id"] == consent
    assert (
        consent_resource["provision"]["actor"][0]["reference"]["identifier"]["value"]
        == (network["welfare"])
    )
    assert {c["code"] for c in consent_resource["provision"]["class"]} == {
        "CONTACT",
        "SCHOOL_ATTENDANCE",
    }
    audited = session.read(
        lambda tx: tx.single(
            "MATCH (e:AuditEvent {action: 'REFERRAL_FHIR_READ'}) RETURN count(e) AS n"
        )
    )
    assert audited == {"n": 1}


def test_a_statutory_referral_carries_its_basis_and_no_consent(case):
    network, people, subject = case
    referral = statutory(people, subject, network)["referral"]["id"]
    found = resources(bundle_of(people["counsellor"], referral))
    assert set(found) == {"ServiceRequest", "Task"}
    assert found["ServiceRequest"]["category"][0]["coding"][0]["code"] == "STATUTORY_SWA_106_6"
    assert found["Task"]["status"] == "requested"


def test_strangers_get_null(case):
    network, people, subject = case
    give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    assert bundle_of(people["npo"], referral["id"]) is None


def test_the_models_refuse_what_is_not_fhir():
    referral = {
        "id": "1c8a3c52-1d7e-4d5e-9d1a-3f0c1b2a4e5f",
        "state": "SENT",
        "urgency": "ROUTINE",
        "service": {"name": "相談"},
        "legal_basis": "CONSENT",
        "subject_id": "s1",
        "created_at": "not a date",
        "updated_at": "2026-11-28T00:00:00+09:00",
        "sender": {"id": "a", "name": "A"},
        "receiver": {"id": "b", "name": "B"},
        "need_tags": [],
    }
    with pytest.raises(ValidationError):
        fhir.referral_bundle(referral)
    referral["created_at"] = "2026-11-28T00:00:00+09:00"
    assert fhir.referral_bundle(referral)["type"] == "collection"
