"""OFFER_ROLE referrals (issue 19): a role offered through the opportunity's own service,
closed with the role's outcomes; bad input leaves the graph unchanged."""

import json

import pytest

from graph import session
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.roles import Role
from referral_hub.directory import opportunity_services
from tests.conftest import graph_counts, member
from tests.referrals.flows import create, give_consent, move

READ = """
query($id: ID!) {
  referral(id: $id) {
    purpose opportunity { id title } service { id } state version outcome
  }
}"""
OUTBOX = "{ outbox { edges { node { id purpose } } } }"
FHIR = "query($id: ID!) { referralAsFhir(id: $id) }"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def publish(network, **extra):
    return opportunity_services.opportunity_create(
        actor=SYSTEM,
        data={
            "organisation_id": network["cafe_org"],
            "title": "配膳ボランティア",
            "area_code": "141313",
            "service_id": network["cafe"],
            "interest_tags": ["cooking", "volunteering"],
            **extra,
        },
    )["id"]


@pytest.fixture
def offered(case):
    network, people, subject = case
    people["cafe"] = member("cafe-worker", network["cafe_org"], Role.CASEWORKER)
    give_consent(people, subject, organisationIds=[network["cafe_org"]])
    return network, people, subject, publish(network)


def offer(people, subject, network, opportunity, **changes):
    data = {"purpose": "OFFER_ROLE", "opportunityId": opportunity, "needTags": [], **changes}
    return create(people, subject, network["cafe"], **data)["data"]["createReferral"]


def test_a_role_is_offered_taken_up_and_read_back(offered):
    network, people, subject, opportunity = offered
    created = offer(people, subject, network, opportunity)
    assert created["errors"] == []
    key = created["referral"]["id"]

    read = people["counsellor"](READ, {"id": key})["data"]["referral"]
    assert read == {
        "purpose": "OFFER_ROLE",
        "opportunity": {"id": opportunity, "title": "配膳ボランティア"},
        "service": {"id": network["cafe"]},
        "state": "SENT",
        "version": 1,
        "outcome": None,
    }
    outbox = people["counsellor"](OUTBOX)["data"]["outbox"]["edges"]
    assert [e["node"] for e in outbox] == [{"id": key, "purpose": "OFFER_ROLE"}]

    cafe = people["cafe"]
    for version, action in enumerate(("ACKNOWLEDGE", "ACCEPT", "START"), start=1):
        assert move(cafe, key, action, version)["errors"] == []
    # A support outcome does not close a role, and the refusal changes nothing.
    before = graph_counts()
    refused = move(cafe, key, "COMPLETE", 4, outcome="CONNECTED")
    assert refused["errors"] == [{"field": "outcome", "code": "INVALID"}]
    assert graph_counts() == before
    done = move(cafe, key, "COMPLETE", 4, outcome="TOOK_UP")
    assert done["errors"] == []
    assert (done["referral"]["state"], done["referral"]["outcome"]) == ("COMPLETED", "TOOK_UP")

    bundle = json.loads(people["counsellor"](FHIR, {"id": key})["data"]["referralAsFhir"])
    request = bundle["entry"][0]["resource"]
    assert request["category"][1] == {
        "coding": [
            {"system": "https://tsunagari.example.jp/fhir/referral-purpose", "code": "OFFER_ROLE"}
        ],
        "text": "配膳ボランティア",
    }


def test_a_support_referral_is_unchanged_and_cannot_close_as_a_role(offered):
    network, people, subject, _ = offered
    created = create(people, subject, network["cafe"], needTags=[])["data"]["createReferral"]
    assert created["errors"] == []
    key = created["referral"]["id"]
    read = people["counsellor"](READ, {"id": key})["data"]["referral"]
    assert (read["purpose"], read["opportunity"]) == ("SUPPORT", None)
    bundle = json.loads(people["counsellor"](FHIR, {"id": key})["data"]["referralAsFhir"])
    assert len(bundle["entry"][0]["resource"]["category"]) == 1

    cafe = people["cafe"]
    for version, action in enumerate(("ACKNOWLEDGE", "ACCEPT", "START"), start=1):
        assert move(cafe, key, action, version)["errors"] == []
    for outcome in ("TOOK_UP", "TRIED_AND_STOPPED", "DECLINED_ROLE"):
        assert move(cafe, key, "COMPLETE", 4, outcome=outcome)["errors"] == [
            {"field": "outcome", "code": "INVALID"}
        ]
    assert move(cafe, key, "COMPLETE", 4, outcome="CONNECTED")["errors"] == []


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"opportunityId": None}, "opportunityId", "REQUIRED"),
        ({"purpose": "SUPPORT"}, "opportunityId", "INVALID"),
        ({"opportunityId": "not-a-uuid"}, "opportunityId", "INVALID"),
        ({"opportunityId": UNKNOWN}, "opportunityId", "UNKNOWN_OPPORTUNITY"),
        ({"opportunityId": "{archived}"}, "opportunityId", "UNKNOWN_OPPORTUNITY"),
        # Another organisation's service: the referral must go through the opportunity's.
        ({"serviceId": "{study}"}, "serviceId", "OPPORTUNITY_MISMATCH"),
    ],
)
def test_bad_offer_input_has_its_code_and_changes_nothing(offered, changes, field, code):
    network, people, subject, opportunity = offered
    archived = publish(network, title="読み聞かせ")
    opportunity_services.opportunity_archive(actor=SYSTEM, opportunity_id=archived)
    ids = {**network.ids, "archived": archived}
    filled = {
        k: ids[v.strip("{}")] if isinstance(v, str) and v.startswith("{") else v
        for k, v in changes.items()
    }
    before = graph_counts()
    answer = offer(people, subject, network, opportunity, **filled)
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [(field, code)]
    assert answer["referral"] is None
    assert graph_counts() == before


def test_a_draft_for_an_archived_opportunity_cannot_be_sent(offered):
    """Found by the issue-19 attack review: create checked the opportunity, SEND did not.
    The draft stays a draft; the error names the referral (the field transitionReferral
    takes), and nothing is written."""
    network, people, subject, opportunity = offered
    draft = offer(people, subject, network, opportunity, send=False)
    assert draft["errors"] == []
    opportunity_services.opportunity_archive(actor=SYSTEM, opportunity_id=opportunity)
    refused = move(people["counsellor"], draft["referral"]["id"], "SEND", 1)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("id", "UNKNOWN_OPPORTUNITY")]
    state = session.read(
        lambda tx: tx.single(
            "MATCH (r:Referral {id: $id}) RETURN r.state AS state, r.version AS version",
            id=draft["referral"]["id"],
        )
    )
    assert (state["state"], state["version"]) == ("DRAFT", 1)
