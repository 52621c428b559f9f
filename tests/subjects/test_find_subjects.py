"""findSubjects: a counsellor finds a pupil their school registered, and nothing else."""

import pytest

from graph import session
from referral_hub.accounts.roles import Role
from tests import directory_fixtures
from tests.conftest import member
from tests.subjects.test_subjects_and_consent import cast, events, register  # noqa: F401

FIND = """
query($name: String!, $year: Int!, $area: String!) {
  findSubjects(name: $name, birthYear: $year, areaCode: $area) {
    id birthYear areaCode registeredAt
  }
}"""


def find(client, name="やまだ たろう", year=2012, area="141313", status=200):
    return client(FIND, {"name": name, "year": year, "area": area}, expect_status=status)


def test_finds_own_pupils_by_kana_whatever_the_spelling(cast):  # noqa: F811
    _, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    for spelling in ("ヤマダ タロウ", "やまだたろう", "ﾔﾏﾀﾞ ﾀﾛｳ"):
        found = find(people["counsellor"], name=spelling)["data"]["findSubjects"]
        assert [row["id"] for row in found] == [subject], spelling
    assert found[0]["birthYear"] == 2012
    assert found[0]["areaCode"] == "141313"
    assert found[0]["registeredAt"]
    assert find(people["counsellor"], year=2013)["data"]["findSubjects"] == []
    assert find(people["counsellor"], area="141305")["data"]["findSubjects"] == []
    assert find(people["counsellor"], name="やまだ じろう")["data"]["findSubjects"] == []


def test_every_match_and_every_search_is_audited(cast):  # noqa: F811
    network, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    find(people["counsellor"])
    [event] = events(subject, action="SUBJECT_FIND")
    assert event["legalBasis"] == "OWN_RECORD"
    assert event["actorUser"] == "counsellor"
    find(people["counsellor"], name="みつからない")  # no match: the search is still recorded
    searches = session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent {actorOrganisation: $o, action: 'SUBJECT_FIND'}) "
            "RETURN e.subjects AS s, e.targetId AS t ORDER BY e.at",
            o=network["school"],
        )
    )
    # The match (naming the subject), then each search itself, naming no one.
    assert searches == [
        {"s": [subject], "t": None},
        {"s": None, "t": None},
        {"s": None, "t": None},
    ]


def test_never_another_organisations_pupil(cast):  # noqa: F811
    """The same name in another school is not found, and the answer is the same whether
    or not it exists there: an empty list either way, nothing audited on it."""
    _, people = cast
    subject = register(people["counsellor"])["subject"]["id"]
    school_b = directory_fixtures._org("B中学校", "SCHOOL", "141313")
    other_school = member("b-counsellor", school_b, Role.COUNSELLOR)
    assert find(other_school)["data"]["findSubjects"] == []
    assert events(subject, action="SUBJECT_FIND") == []
    # a caseworker may not search at all
    refused = find(people["welfare"])
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("variables", "field", "code"),
    [
        ({"name": ""}, "name", "REQUIRED"),
        ({"name": "あ" * 101}, "name", "TOO_LONG"),
        ({"year": 1899}, "birthYear", "OUT_OF_RANGE"),
        ({"area": "1413131"}, "areaCode", "TOO_LONG"),
    ],
)
def test_bad_input_is_named_by_its_field(cast, variables, field, code):  # noqa: F811
    _, people = cast
    data = {"name": "やまだ", "year": 2012, "area": "141313"}
    data.update(variables)
    answer = people["counsellor"](FIND, data)
    assert answer["data"] is None
    [error] = answer["errors"]
    assert error["extensions"] == {"code": code, "field": field}
