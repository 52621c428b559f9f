"""recommend on a small hand-built network where every score and the ranking are known.

The school S sits at 35.5310, 139.7000 in 川崎区. Its candidates:

    A こども食堂    EXCHANGE meals, after-school, reading  ~4 km  WAITLIST   1 hop
    B 食事支援      SUPPORT  meals (ages 6-12)            ~0.5 km AVAILABLE  no chain; good record
    C 学習と夕食    SUPPORT  meals, after-school, reading  ~2 km  AVAILABLE  2 hops
    D 放課後ひろば  EXCHANGE after-school                 ~0.3 km FULL       1 hop
    E takes no referrals, F is S's own, G is in 中原区: never recommended in 川崎区.
"""

import math
from datetime import date

import pytest

from graph import session
from graph.session import count_round_trips
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.roles import Role
from referral_hub.directory import services
from referral_hub.pathways import scoring
from tests.conftest import member, subject_audit_events
from tests.directory_fixtures import _loc, _org, _svc
from tests.referrals.flows import REGISTER, create, give_consent, move

RECOMMEND = """
query($o: ID!, $needs: [String!], $interests: [String!], $area: String, $near: NearInput,
      $subject: ID, $limit: Int) {
  recommend(fromOrganisation: $o, needTags: $needs, interestTags: $interests, area: $area,
            near: $near, forSubject: $subject, limit: $limit) {
    exchangeFirst stigmaSensitiveNeeds declinedLeftOut
    items {
      rank score needsMet interestsMet distanceKm capacityStatus partnershipHops
      acceptanceBand completionBand replyBand
      service { name mode organisation { name } }
      points { tagMatch distance capacity partnership acceptance completion response }
    }
  }
}"""
WARD = "141313"
KM_LAT = 1 / 111.0  # degrees of latitude in a kilometre, near enough here


def _north(km):
    return 35.5310 + km * KM_LAT


@pytest.fixture
def net(graph_db, db):
    ids = {}
    for key, name, kind, area in (
        ("S", "桜中学校", "SCHOOL", WARD),
        ("PA", "こども食堂A", "PLACE", WARD),
        ("NB", "NPO法人B", "NPO", WARD),
        ("NC", "NPO法人C", "NPO", WARD),
        ("PD", "放課後ひろばD", "PLACE", WARD),
        ("NE", "NPO法人E", "NPO", WARD),
        ("NG", "NPO法人G", "NPO", "141330"),
    ):
        ids[key] = _org(name, kind, area)
    for a, b in (("S", "PA"), ("PA", "NC"), ("S", "PD")):
        services.partnership_add(actor=SYSTEM, organisation_id=ids[a], partner_id=ids[b])
    where = {
        key: _loc(ids[key], key, WARD, _north(km), 139.7000)
        for key, km in (("PA", 4.0), ("NB", 0.5), ("NC", 2.0), ("PD", 0.3), ("NE", 0.2))
    }
    where["S"] = _loc(ids["S"], "桜中学校", WARD, _north(0), 139.7000)  # the origin
    where["NG"] = _loc(ids["NG"], "G", "141330", _north(0.4), 139.7000)
    meals, after, reading = "meal_provision", "after_school_place", "reading"
    ids["A"] = _svc(
        ids["PA"],
        where["PA"],
        "こども食堂",
        "EXCHANGE",
        [meals, after, reading],
        capacity_status="WAITLIST",
    )
    ids["B"] = _svc(ids["NB"], where["NB"], "食事支援", "SUPPORT", [meals], age_min=6, age_max=12)
    ids["C"] = _svc(ids["NC"], where["NC"], "学習と夕食", "SUPPORT", [meals, after, reading])
    ids["D"] = _svc(
        ids["PD"], where["PD"], "放課後ひろば", "EXCHANGE", [after], capacity_status="FULL"
    )
    _svc(ids["NE"], where["NE"], "食事相談E", "SUPPORT", [meals], accepts_referrals=False)
    _svc(ids["S"], where["S"], "給食相談", "SUPPORT", [meals])
    _svc(ids["NG"], where["NG"], "食堂G", "EXCHANGE", [meals])
    # What the nightly responsiveness job (tested in tests/services) writes for B.
    session.write(
        lambda tx: tx.run(
            "MATCH (s:Service {id: $id}) SET s.statsAcceptanceBand = 'MOST',"
            " s.statsCompletionBand = 'MORE_THAN_HALF', s.statsReplyBand = 'WITHIN_A_DAY',"
            " s.statsComputedAt = datetime()",
            id=ids["B"],
        ).consume()
    )
    return ids


def _ask(client, net, **variables):
    body = client(RECOMMEND, {"o": net["S"], "area": WARD, **variables})
    assert "errors" not in body, body
    return body["data"]["recommend"]


def _expected(
    km,
    capacity,
    hops,
    needs_met,
    needs,
    interests_met,
    interests,
    acceptance=None,
    completion=None,
    hours=None,
):
    fits = {
        "tagMatch": scoring.tag_fit(needs_met, needs, interests_met, interests),
        "distance": scoring.distance_fit(km),
        "capacity": scoring.CAPACITY_FIT[capacity],
        "partnership": scoring.partnership_fit(hops),
        "acceptance": scoring.rate_fit(acceptance),
        "completion": scoring.rate_fit(completion),
        "response": scoring.response_fit(hours),
    }
    weights = dict(zip(fits, scoring.WEIGHTS.values(), strict=True))
    return sum(weights[part] * fit for part, fit in fits.items())


def test_a_stigma_sensitive_need_puts_exchange_places_first(gql, net):
    _ask(gql, net, needs=["meal_provision"], interests=["reading"])  # tags cached
    with count_round_trips() as trips:
        found = _ask(gql, net, needs=["meal_provision"], interests=["reading"])
    assert trips.count == 1
    assert found["exchangeFirst"] is True
    assert found["stigmaSensitiveNeeds"] == ["meal_provision"]
    items = found["items"]
    assert [i["service"]["name"] for i in items] == ["こども食堂", "学習と夕食", "食事支援"]
    a, c, b = items
    assert (a["partnershipHops"], c["partnershipHops"], b["partnershipHops"]) == (1, 2, None)
    assert [round(i["distanceKm"], 1) for i in items] == [4.0, 2.0, 0.5]
    assert a["points"]["tagMatch"] == c["points"]["tagMatch"] == 0.3
    assert b["points"]["tagMatch"] == 0.2  # meals met, reading not: 1 of 1.5
    assert (a["points"]["capacity"], c["points"]["capacity"], b["points"]["capacity"]) == (
        0.06,
        0.15,
        0.15,
    )
    assert (b["acceptanceBand"], b["completionBand"], b["replyBand"]) == (
        "MOST",
        "MORE_THAN_HALF",
        "WITHIN_A_DAY",
    )
    assert b["points"]["acceptance"] == 0.0875  # MOST counts as 0.875 of 0.1
    assert a["points"]["acceptance"] == 0.05  # unknown: counted as 0.5
    # By score alone A would be last: C 0.745 > B 0.705 > A 0.671.
    assert c["score"] > b["score"] > a["score"]
    for item, expected in (
        (a, _expected(4.0, "WAITLIST", 1, 1, 1, 1, 1)),
        (c, _expected(2.0, "AVAILABLE", 2, 1, 1, 1, 1)),
        (b, _expected(0.5, "AVAILABLE", None, 1, 1, 0, 1, 0.875, 0.625, 12.0)),
    ):
        assert math.isclose(item["score"], expected, abs_tol=0.002)
        assert math.isclose(item["score"], sum(item["points"].values()), abs_tol=0.0005)
    assert [i["rank"] for i in items] == [1, 2, 3]


def test_a_need_without_stigma_is_ranked_by_score(gql, net):
    found = _ask(gql, net, needs=["after_school_place"])
    assert found["exchangeFirst"] is False
    names = [(i["service"]["name"], i["score"]) for i in found["items"]]
    assert [name for name, _ in names] == ["学習と夕食", "放課後ひろば", "こども食堂"]
    assert [score for _, score in names] == sorted((score for _, score in names), reverse=True)


def test_near_a_point_and_the_limit(gql, net):
    near = {"lat": _north(0.3), "lon": 139.7000, "km": 1.0}
    found = gql(RECOMMEND, {"o": net["S"], "needs": ["meal_provision"], "near": near})
    names = [i["service"]["name"] for i in found["data"]["recommend"]["items"]]
    assert names == ["食堂G", "食事支援"]  # within 1 km of the point, 中原区 included
    one = _ask(gql, net, needs=["meal_provision"], limit=1)
    assert [i["service"]["name"] for i in one["items"]] == ["こども食堂"]


def _audit_events(subject):
    """The subject's RECOMMEND_FOR_SUBJECT events: outcome, its basis, and whether the
    event names the subject and nothing else."""
    return [
        {"outcome": e["outcome"], "basis": e["basis"], "subjects": e["subjects"]}
        for e in subject_audit_events(subject)
        if e["action"] == "RECOMMEND_FOR_SUBJECT"
    ]


def test_for_a_subject_no_wrong_door(graph_db, db, redis_db, net):
    counsellor = member("counsellor", net["S"], Role.COUNSELLOR)
    people = {"counsellor": counsellor}
    subject = counsellor(REGISTER)["data"]["registerSubject"]["subject"]["id"]  # born 2012
    age = date.today().year - 2012  # this year's birthday may be still to come: age or age-1
    # Age limits at the edges: H still takes a pupil of age-1, I only from age+1.
    ids = {key: _org(name, "NPO", WARD) for key, name in (("NH", "NPO法人H"), ("NI", "NPO法人I"))}
    for key, name, ages in (("NH", "食事会H", (6, age - 1)), ("NI", "食事会I", (age + 1, 18))):
        near = _loc(ids[key], key, WARD, _north(1.0), 139.7000)
        _svc(ids[key], near, name, "SUPPORT", ["meal_provision"], age_min=ages[0], age_max=ages[1])
    give_consent(people, subject, organisationIds=[net["NC"], net["PA"]])
    sent = create(people, subject, net["C"], needTags=["meal_provision"])
    referral = sent["data"]["createReferral"]["referral"]
    caseworker = member("caseworker", net["NC"], Role.CASEWORKER)
    declined = move(
        caseworker, referral["id"], "DECLINE", referral["version"], reason="NO_CAPACITY"
    )
    assert declined["errors"] == []

    _ask(counsellor, net, needs=["meal_provision"], interests=["reading"])  # tags cached
    with count_round_trips() as trips:  # basis, exclusions, audit and answer: one statement
        found = _ask(
            counsellor, net, needs=["meal_provision"], interests=["reading"], subject=subject
        )
    assert trips.count == 1
    # C declined this pupil; B takes ages 6-12 and I starts above the pupil's age.
    assert [i["service"]["name"] for i in found["items"]] == ["こども食堂", "食事会H"]
    assert found["declinedLeftOut"] == 1
    assert _audit_events(subject) == [
        {"outcome": "OK", "basis": "OWN_RECORD", "subjects": [subject]}
    ]

    # The declined referral's page offers the next best, to its sender only.
    page = "query($id: ID!) { referral(id: $id) { state nextBest { rank service { name } } } }"
    seen = counsellor(page, {"id": referral["id"]})["data"]["referral"]
    assert seen["state"] == "DECLINED"
    assert [i["service"]["name"] for i in seen["nextBest"]] == ["こども食堂", "食事会H"]
    assert caseworker(page, {"id": referral["id"]})["data"]["referral"]["nextBest"] == []

    # Once the pupil is referred to A, A's organisation is not suggested again.
    assert create(people, subject, net["A"])["data"]["createReferral"]["errors"] == []
    again = _ask(counsellor, net, needs=["meal_provision"], subject=subject)
    assert [i["service"]["name"] for i in again["items"]] == ["食事会H"]


def test_for_a_subject_only_its_registering_organisation(graph_db, db, redis_db, net):
    counsellor = member("counsellor", net["S"], Role.COUNSELLOR)
    subject = counsellor(REGISTER)["data"]["registerSubject"]["subject"]["id"]
    give_consent({"counsellor": counsellor}, subject, organisationIds=[net["NC"]])
    # NC's caseworker is covered by the consent as a receiver, but does not refer it.
    receiver = member("caseworker", net["NC"], Role.CASEWORKER)
    asked = {"o": net["NC"], "needs": ["meal_provision"], "area": WARD, "subject": subject}
    body = receiver(RECOMMEND, asked)
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "forSubject"}
    assert _audit_events(subject) == [{"outcome": "DENIED", "basis": None, "subjects": [subject]}]
    stranger = member("stranger", net["PD"], Role.COUNSELLOR)
    body = stranger(RECOMMEND, {**asked, "o": net["S"]})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert len(_audit_events(subject)) == 1


def test_a_null_limit_is_the_default(gql, net):
    found = _ask(gql, net, needs=["meal_provision"], limit=None)
    assert len(found["items"]) == 3


NOWHERE = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"needs": ["no_such_tag"]}, "UNKNOWN_TAG", "needTags"),
        ({"interests": ["no_such_interest"]}, "UNKNOWN_TAG", "interestTags"),
        ({"needs": []}, "REQUIRED", "needTags"),
        ({"area": None}, "REQUIRED", "area"),
        ({"near": {"lat": 35.5, "lon": 139.7, "km": 2}}, "INVALID", "area"),
        ({"area": "999999"}, "INVALID_AREA_CODE", "area"),
        ({"limit": 0}, "OUT_OF_RANGE", "limit"),
        ({"limit": 51}, "OUT_OF_RANGE", "limit"),
        ({"o": "not-a-uuid"}, "INVALID", "fromOrganisation"),
        ({"o": NOWHERE}, "UNKNOWN_ORGANISATION", "fromOrganisation"),
        ({"subject": "not-a-uuid"}, "INVALID", "forSubject"),
        ({"needs": None}, "REQUIRED", "needTags"),
        ({"needs": [f"tag_{n}" for n in range(11)]}, "OUT_OF_RANGE", "needTags"),
        ({"area": None, "near": {"lat": 35.5, "lon": 139.7, "km": 0}}, "INVALID_RADIUS", "near"),
        (
            {"area": None, "near": {"lat": 95.0, "lon": 139.7, "km": 1}},
            "INVALID_COORDINATES",
            "near",
        ),
    ],
)
def test_bad_input_is_a_typed_error(gql, net, variables, code, field):
    body = gql(RECOMMEND, {"o": net["S"], "needs": ["meal_provision"], "area": WARD, **variables})
    assert body["errors"][0]["extensions"] == {"code": code, "field": field}
    assert body["data"] is None
