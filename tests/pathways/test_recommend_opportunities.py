"""recommend(includeOpportunities: true): roles beside services, from the same statement
(issue 19). On the small Kawasaki network (tests/directory_fixtures.py), the school asks
for someone who likes cooking and volunteering:

    O1 配膳ボランティア  cafe  cooking, volunteering  at 川崎駅前会場 (川崎区)  ages 12-
    O2 将棋を教える      NPO   go_shogi               at 武蔵小杉教室 (中原区)
    O3 読み聞かせ        NPO   reading, volunteering  no location (川崎区)   ages 20-
    O4 試食係            cafe  cooking                archived
    O5 給食当番          the school's own             never recommended to itself
"""

import pytest

from graph.session import count_round_trips
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.roles import Role
from referral_hub.directory import opportunity_services
from tests import directory_fixtures
from tests.conftest import member
from tests.referrals.flows import REGISTER, create, give_consent

RECOMMEND = """
query($o: ID!, $interests: [String!], $area: String, $near: NearInput, $subject: ID,
      $include: Boolean, $limit: Int) {
  recommend(fromOrganisation: $o, interestTags: $interests, area: $area, near: $near,
            forSubject: $subject, includeOpportunities: $include, limit: $limit) {
    items { service { name } }
    opportunities {
      rank interestsMet distanceKm
      opportunity { title areaCode ageMin }
      organisation { name }
      service { id name }
    }
  }
}"""
LIKES = ["cooking", "volunteering"]
KAWASAKI_STATION = {"lat": 35.531, "lon": 139.697, "km": 10}


def _publish(network, org, service, title, tags, **extra):
    return opportunity_services.opportunity_create(
        actor=SYSTEM,
        data={
            "organisation_id": network[org],
            "title": title,
            "area_code": directory_fixtures.KAWASAKI_KU,
            "service_id": network[service],
            "interest_tags": tags,
            **extra,
        },
    )["id"]


@pytest.fixture
def roles(graph_db, db, redis_db):
    network = directory_fixtures.build()
    ids = dict(network.ids)
    ids["O1"] = _publish(
        network,
        "cafe_org",
        "cafe",
        "配膳ボランティア",
        LIKES,
        location_id=network["cafe_loc"],
        age_min=12,
    )
    ids["O2"] = _publish(
        network,
        "npo",
        "study",
        "将棋を教える",
        ["go_shogi"],
        location_id=network["npo_loc"],
        area_code=directory_fixtures.NAKAHARA_KU,
    )
    ids["O3"] = _publish(
        network, "npo", "freeschool", "読み聞かせ", ["reading", "volunteering"], age_min=20
    )
    ids["O4"] = _publish(network, "cafe_org", "cafe", "試食係", ["cooking"])
    opportunity_services.opportunity_archive(actor=SYSTEM, opportunity_id=ids["O4"])
    ids["O5"] = _publish(network, "school", "counsellor", "給食当番", ["cooking"])
    return ids


def found(answer):
    return [
        (o["rank"], o["opportunity"]["title"], o["interestsMet"], o["organisation"]["name"])
        for o in answer["data"]["recommend"]["opportunities"]
    ]


def test_roles_come_beside_services_ranked_by_interests_met_in_one_round_trip(gql, roles):
    variables = {
        "o": roles["school"],
        "interests": LIKES,
        "area": directory_fixtures.KAWASAKI,
        "include": True,
    }
    gql(RECOMMEND, variables)  # the tag cache is warm (a new tag costs one more look-up)
    with count_round_trips() as trips:
        answer = gql(RECOMMEND, variables)
    assert trips.count == 1
    assert found(answer) == [
        (1, "配膳ボランティア", ["cooking", "volunteering"], "みんなの子ども食堂"),
        (2, "読み聞かせ", ["volunteering"], "NPO法人まなびの森"),
    ]
    first = answer["data"]["recommend"]["opportunities"][0]
    # The referral that offers it goes to this service, naming the opportunity.
    assert first["service"] == {"id": roles["cafe"], "name": "みんなの子ども食堂"}
    assert first["distanceKm"] is None  # the school has no located place to measure from
    assert [i["service"]["name"] for i in answer["data"]["recommend"]["items"]] == [
        "みんなの子ども食堂"
    ]

    assert found(gql(RECOMMEND, {**variables, "limit": 1})) == [
        (1, "配膳ボランティア", ["cooking", "volunteering"], "みんなの子ども食堂"),
    ]
    assert (
        gql(RECOMMEND, {**variables, "include": False})["data"]["recommend"]["opportunities"] == []
    )


def test_near_a_point_only_located_roles_with_their_distance(gql, roles):
    answer = gql(
        RECOMMEND,
        {
            "o": roles["school"],
            "interests": [*LIKES, "go_shogi"],
            "near": KAWASAKI_STATION,
            "include": True,
        },
    )
    rows = answer["data"]["recommend"]["opportunities"]
    assert [(o["opportunity"]["title"], o["distanceKm"]) for o in rows] == [
        ("配膳ボランティア", 0.0),
        ("将棋を教える", pytest.approx(6.0, abs=0.5)),
    ]


def test_for_a_subject_its_age_and_open_referrals_leave_roles_out(db, roles):
    counsellor = member("counsellor", roles["school"], Role.COUNSELLOR)
    subject = counsellor(REGISTER)["data"]["registerSubject"]["subject"]["id"]  # born 2012
    variables = {
        "o": roles["school"],
        "interests": LIKES,
        "area": directory_fixtures.KAWASAKI,
        "subject": subject,
        "include": True,
    }
    counsellor(RECOMMEND, variables)  # the tag cache is warm
    with count_round_trips() as trips:
        answer = counsellor(RECOMMEND, variables)
    assert trips.count == 1
    # 読み聞かせ is for 20 and over.
    assert [t for _, t, _, _ in found(answer)] == ["配膳ボランティア"]

    people = {"counsellor": counsellor}
    give_consent(people, subject, organisationIds=[roles["cafe_org"]])
    sent = create(people, subject, roles["cafe"], needTags=[])["data"]["createReferral"]
    assert sent["errors"] == []
    # An open referral to the cafe already: offering its role would be a duplicate.
    assert found(counsellor(RECOMMEND, variables)) == []


PREFER = """
mutation($input: SetSubjectPreferenceInput!) {
  setSubjectPreference(input: $input) { errors { field code } }
}"""
WITH_PREFERENCE = """
query($o: ID!, $interests: [String!], $area: String, $subject: ID) {
  recommend(fromOrganisation: $o, interestTags: $interests, area: $area,
            forSubject: $subject, includeOpportunities: true) {
    leftOutByPreference { preference }
    opportunities { opportunity { title } service { mode } }
  }
}"""


def test_a_subjects_preference_leaves_roles_out_as_it_leaves_services_out(db, roles):
    """doNotRefer: no role at all; exchangeOnly: no role taken up through a support-type
    service (the OFFER_ROLE referral would go to that service and be refused)."""
    counsellor = member("counsellor", roles["school"], Role.COUNSELLOR)
    subject = counsellor(REGISTER)["data"]["registerSubject"]["subject"]["id"]
    variables = {
        "o": roles["school"],
        "interests": [*LIKES, "go_shogi"],
        "area": directory_fixtures.KAWASAKI,
        "subject": subject,
    }

    def asked():
        answer = counsellor(WITH_PREFERENCE, variables)["data"]["recommend"]
        return (
            [p["preference"] for p in answer["leftOutByPreference"]],
            [(o["opportunity"]["title"], o["service"]["mode"]) for o in answer["opportunities"]],
        )

    both = [("配膳ボランティア", "EXCHANGE"), ("将棋を教える", "SUPPORT")]
    assert asked() == ([], both)

    def prefer(**choices):
        data = {"subjectId": subject, "givenBy": "GUARDIAN", **choices}
        assert counsellor(PREFER, {"input": data})["data"]["setSubjectPreference"]["errors"] == []

    prefer(exchangeOnly=True)
    assert asked() == (["exchangeOnly"], [("配膳ボランティア", "EXCHANGE")])
    prefer(doNotRefer=True)
    assert asked() == (["doNotRefer"], [])


def test_an_offer_of_a_role_through_a_support_service_is_refused_under_exchange_only(db, roles):
    counsellor = member("counsellor", roles["school"], Role.COUNSELLOR)
    people = {"counsellor": counsellor}
    subject = counsellor(REGISTER)["data"]["registerSubject"]["subject"]["id"]
    give_consent(people, subject, organisationIds=[roles["npo"], roles["cafe_org"]])
    data = {"subjectId": subject, "givenBy": "GUARDIAN", "exchangeOnly": True}
    assert counsellor(PREFER, {"input": data})["data"]["setSubjectPreference"]["errors"] == []

    refused = create(
        people,
        subject,
        roles["study"],
        purpose="OFFER_ROLE",
        opportunityId=roles["O2"],
        needTags=[],
    )["data"]["createReferral"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("subjectId", "SUBJECT_PREFERENCE")
    ]
    offered = create(
        people, subject, roles["cafe"], purpose="OFFER_ROLE", opportunityId=roles["O1"], needTags=[]
    )["data"]["createReferral"]
    assert offered["errors"] == []
