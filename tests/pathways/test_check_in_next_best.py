"""A STOPPED check-in offers the sender the next best place (issue 20): the no-wrong-door
recommendation for the same needs, under the same consent, without the place the person
stopped going to, for the sender only."""

from referral_hub.accounts.roles import Role
from tests.conftest import member
from tests.pathways.test_recommend import _ask, net  # noqa: F401 (the recommend network)
from tests.referrals.flows import REGISTER, create, give_consent, move

PAGE = """query($id: ID!) { referral(id: $id) { state nextBest(limit: 2) { service { name } } } }"""
RECORD = """
mutation($id: ID!, $answer: CheckInAnswer!) {
  recordCheckIn(input: {referralId: $id, index: 0, answer: $answer}) { errors { field code } }
}"""


def test_stopped_offers_the_next_best_place_to_the_sender(graph_db, db, redis_db, net):  # noqa: F811
    counsellor = member("counsellor", net["S"], Role.COUNSELLOR)
    people = {"counsellor": counsellor}
    subject = counsellor(REGISTER)["data"]["registerSubject"]["subject"]["id"]
    give_consent(people, subject, organisationIds=[net["NC"]])
    sent = create(people, subject, net["C"], needTags=["meal_provision"])
    referral = sent["data"]["createReferral"]["referral"]
    caseworker = member("caseworker", net["NC"], Role.CASEWORKER)
    version = referral["version"]
    for action, extra in (
        ("ACKNOWLEDGE", {}),
        ("ACCEPT", {}),
        ("START", {}),
        ("COMPLETE", {"outcome": "CONNECTED"}),
    ):
        step = move(caseworker, referral["id"], action, version, **extra)
        assert step["errors"] == [], step
        version = step["referral"]["version"]
    assert counsellor(PAGE, {"id": referral["id"]})["data"]["referral"]["nextBest"] == []

    answer = caseworker(RECORD, {"id": referral["id"], "answer": "STOPPED"})
    assert answer["data"]["recordCheckIn"]["errors"] == []
    seen = counsellor(PAGE, {"id": referral["id"]})["data"]["referral"]
    names = [item["service"]["name"] for item in seen["nextBest"]]
    # recommend itself still offers C (its referral is closed, not open); the next best
    # place leaves out 学習と夕食, where the pupil stopped going. 食事支援 (B) takes ages
    # 6-12 only.
    asked = _ask(counsellor, net, needs=["meal_provision"], subject=subject)
    assert [i["service"]["name"] for i in asked["items"]][:2] == ["こども食堂", "学習と夕食"]
    assert names == ["こども食堂"]
    assert caseworker(PAGE, {"id": referral["id"]})["data"]["referral"]["nextBest"] == []
