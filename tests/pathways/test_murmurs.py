"""recordConcernSignal: a murmur heard at an open place, and the proof that it can hold no
text about a person (issue 19)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from graph import concern_signal_repo, session
from graph.concern_signal_rule import SIGNAL_PROPERTIES, ForbiddenSignalField
from graph.session import count_round_trips
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.roles import Role
from referral_hub.core.audit import audit_record
from schema.schema import schema as root
from tests.conftest import graph_counts, member
from tests.directory_fixtures import KAWASAKI_KU, _loc, _org, _svc

RECORD = """
mutation($input: RecordConcernSignalInput!) {
  recordConcernSignal(input: $input) {
    concernSignal { id needTag areaCode month ageBand }
    errors { field code message }
  }
}"""
_SIGNAL_SHAPES = """
MATCH (c:ConcernSignal)
RETURN c.id AS id, keys(c) AS keys, [(c)-[r]-() | type(r)] AS links,
       [(c)-[:HEARD_AT]->(o) | o.id] AS heard_at, [(c)-[:IN]->(a) | a.code] AS areas,
       [(c)-[:ABOUT]->(t) | t.code] AS needs
"""
_AUDIT = """
MATCH (e:AuditEvent {action: 'CONCERN_SIGNAL_RECORD'})
RETURN e.actorUser AS user, e.actorOrganisation AS organisation, e.targetId AS target,
       e.subjects AS subjects
"""
JAPAN = ZoneInfo("Asia/Tokyo")


def this_month() -> date:
    return datetime.now(JAPAN).date().replace(day=1)


@pytest.fixture
def place(graph_db, db, redis_db):
    """A children's cafeteria (an open exchange-type place) in 川崎区, its staff member, and
    a school whose only service is support."""
    cafe = _org("みんなの子ども食堂", "PLACE", KAWASAKI_KU)
    _svc(
        cafe,
        _loc(cafe, "会場", KAWASAKI_KU, 35.53, 139.70),
        "子ども食堂",
        "EXCHANGE",
        ["eating_alone"],
    )
    school = _org("桜中学校", "SCHOOL", KAWASAKI_KU)
    _svc(
        school, _loc(school, "相談室", KAWASAKI_KU, 35.53, 139.70), "相談", "SUPPORT", ["bullying"]
    )
    staff = member("cafe-staff", cafe, Role.CASEWORKER)
    return cafe, school, staff


def good(**changes):
    return {"needTag": "eating_alone", "areaCode": KAWASAKI_KU, "ageBand": "AGE_6_12", **changes}


def signals():
    return session.read(lambda tx: tx.rows(_SIGNAL_SHAPES))


def test_a_murmur_is_recorded_with_codes_only_and_audited(place):
    cafe, _, staff = place
    body = staff(RECORD, {"input": good()})["data"]["recordConcernSignal"]
    assert body["errors"] == []
    stored = body["concernSignal"]
    assert stored["needTag"] == "eating_alone"
    assert stored["areaCode"] == KAWASAKI_KU
    assert stored["ageBand"] == "AGE_6_12"
    assert stored["month"] == this_month().isoformat()  # the default: this month, Japan time
    [signal] = signals()
    assert signal["id"] == stored["id"]
    assert set(signal["keys"]) == SIGNAL_PROPERTIES
    assert sorted(signal["links"]) == ["ABOUT", "HEARD_AT", "IN"]
    assert (signal["heard_at"], signal["areas"], signal["needs"]) == (
        [cafe],
        [KAWASAKI_KU],
        ["eating_alone"],
    )
    # Who recorded it and for which organisation; about no subject.
    [event] = session.read(lambda tx: tx.rows(_AUDIT))
    assert event == {
        "user": "cafe-staff",
        "organisation": cafe,
        "target": stored["id"],
        "subjects": None,
    }


def test_last_month_is_stored_as_its_first_day(place):
    _, _, staff = place
    previous = this_month() - timedelta(days=1)
    body = staff(RECORD, {"input": good(month=previous.isoformat())})["data"]
    assert (
        body["recordConcernSignal"]["concernSignal"]["month"] == previous.replace(day=1).isoformat()
    )


def _months_away(months: int) -> str:
    first = this_month()
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"needTag": "no_such_need"}, "needTag", "UNKNOWN_TAG"),
        ({"needTag": "cooking"}, "needTag", "UNKNOWN_TAG"),  # an INTEREST tag, not a need
        ({"needTag": "山田さんの子が最近来ない"}, "needTag", "UNKNOWN_TAG"),  # text, refused
        ({"needTag": "x" * 65}, "needTag", "UNKNOWN_TAG"),
        ({"areaCode": "999999"}, "areaCode", "UNKNOWN_AREA"),
        ({"areaCode": "川崎区の公園の近く"}, "areaCode", "UNKNOWN_AREA"),
        ({"areaCode": "131121"}, "areaCode", "OUT_OF_RANGE"),  # 世田谷区: not the place's
        ({"areaCode": "141305"}, "areaCode", "OUT_OF_RANGE"),  # 川崎市: above the place's ward
        ({"month": "FUTURE"}, "month", "OUT_OF_RANGE"),
        ({"month": "TWO_BACK"}, "month", "OUT_OF_RANGE"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(place, changes, field, code):
    _, _, staff = place
    if changes.get("month") == "FUTURE":
        changes = {"month": _months_away(1)}
    elif changes.get("month") == "TWO_BACK":
        changes = {"month": _months_away(-2)}
    before = graph_counts()
    body = staff(RECORD, {"input": good(**changes)})["data"]["recordConcernSignal"]
    assert body["concernSignal"] is None
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, code)]
    assert graph_counts() == before


@pytest.mark.parametrize(
    "extra",
    [{"note": "名前は花子"}, {"name": "山田花子"}, {"text": "家で一人"}, {"ageBand": "13歳"}],
)
def test_no_input_field_takes_free_text(place, extra):
    """The input has four fields, each a code, a date or an enum; anything else is refused
    by GraphQL before a resolver runs."""
    _, _, staff = place
    before = graph_counts()
    body = staff(RECORD, {"input": good(**extra)}, expect_status=None)
    assert body.get("data") is None
    assert len(body["errors"]) == 1
    assert (
        next(iter(extra)) in body["errors"][0]["message"]
        or "AgeBand" in body["errors"][0]["message"]
    )
    assert graph_counts() == before


def test_the_input_declares_only_codes():
    fields = root.graphql_schema.get_type("RecordConcernSignalInput").fields
    assert {name: str(field.type) for name, field in fields.items()} == {
        "needTag": "String!",  # checked against the NEED tags: a code, never text
        "areaCode": "String!",  # checked against the JIS areas
        "month": "Date",
        "ageBand": "AgeBand!",
    }


def test_only_staff_of_an_open_place_record(place):
    _, school, _ = place
    teacher = member("teacher", school, Role.COUNSELLOR)  # the school runs no exchange place
    coordinator = member("coordinator", school, Role.COORDINATOR)
    before = graph_counts()
    body = teacher(RECORD, {"input": good()})["data"]["recordConcernSignal"]
    assert body["concernSignal"] is None
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(None, "NOT_AN_OPEN_PLACE")]
    assert coordinator(RECORD, {"input": good()})["errors"][0]["extensions"]["code"] == (
        "FORBIDDEN"
    )
    assert graph_counts() == before


def test_a_deactivated_place_records_no_more(place):
    cafe, _, staff = place
    session.autocommit("MATCH (o:Organisation {id: $id}) SET o.active = false", id=cafe)
    before = graph_counts()
    body = staff(RECORD, {"input": good()})["data"]["recordConcernSignal"]
    assert [e["code"] for e in body["errors"]] == ["NOT_AN_OPEN_PLACE"]
    assert graph_counts() == before


def test_a_member_records_at_most_n_an_hour(place, settings):
    settings.HUB_CONCERN_SIGNALS_PER_HOUR = 3
    _, _, staff = place
    for _ in range(3):
        assert staff(RECORD, {"input": good()})["data"]["recordConcernSignal"]["errors"] == []
    before = graph_counts()
    body = staff(RECORD, {"input": good()})
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert graph_counts() == before
    assert len(signals()) == 3


def test_the_graph_rule_refuses_an_extra_field_before_any_statement(place):
    cafe, _, _ = place
    fields = {
        "id": "5b0c7a56-4f0e-4d0e-9a52-0d9e7f2b6c11",
        "month": this_month(),
        "ageBand": "UNKNOWN",
        "needTag": "eating_alone",
        "areaCode": KAWASAKI_KU,
        "organisationId": cafe,
    }
    audit = audit_record(SYSTEM, "CONCERN_SIGNAL_RECORD", "ConcernSignal", fields["id"])
    before = graph_counts()
    for extra in ({"note": "見かけた子の様子"}, {"name": "花子"}, {"subjectId": "s-1"}):
        with count_round_trips() as trips, pytest.raises(ForbiddenSignalField):
            concern_signal_repo.concern_signal_record(fields={**fields, **extra}, audit=audit)
        assert trips.count == 0
    assert graph_counts() == before


def test_after_every_attempt_no_signal_holds_anything_else(place):
    _, _, staff = place
    attempts = [
        good(),
        good(needTag="名前: 山田"),
        good(note="家で一人"),
        good(areaCode="131121"),
        good(ageBand="AGE_65_PLUS", needTag="isolation_older_people"),
    ]
    for attempt in attempts:
        staff(RECORD, {"input": attempt}, expect_status=None)
    stored = signals()
    assert len(stored) == 2
    assert all(set(s["keys"]) <= SIGNAL_PROPERTIES for s in stored)
    assert all(sorted(s["links"]) == ["ABOUT", "HEARD_AT", "IN"] for s in stored)
