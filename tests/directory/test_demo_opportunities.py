"""The demo network offers roles too (issue 19): each in the contract's shape, idempotently."""

from io import StringIO

from django.core.management import call_command

from graph import session
from tests.conftest import directory_counts

_SHAPE = """
MATCH (o:Organisation)-[:OFFERS]->(n:Opportunity)
RETURN count(n) AS all,
       sum(CASE WHEN EXISTS { MATCH (n)-[:VIA]->(s:Service)<-[:PROVIDES]-(o) }
           THEN 1 ELSE 0 END) AS via_own_service,
       sum(CASE WHEN EXISTS { MATCH (n)-[:AT]->(l:Location)<-[:HAS_LOCATION]-(o)
                              WHERE l.areaCode = n.areaCode }
           THEN 1 ELSE 0 END) AS at_own_place,
       sum(CASE WHEN EXISTS { MATCH (n)-[:INTERESTED_IN]->(:Tag) }
                 AND NOT EXISTS { MATCH (n)-[:INTERESTED_IN]->(t:Tag) WHERE t.kind <> 'INTEREST' }
           THEN 1 ELSE 0 END) AS interest_tagged,
       collect(DISTINCT n.title) AS titles
"""


def test_the_town_offers_roles_at_its_cafeterias_libraries_and_salons(graph_db):
    call_command("seed_demo", scale="town", seed=1, stdout=StringIO(), stderr=StringIO())
    first = directory_counts()
    call_command("seed_demo", scale="town", seed=1, stdout=StringIO(), stderr=StringIO())
    assert directory_counts() == first

    row = session.read(lambda tx: tx.single(_SHAPE))
    assert row is not None
    assert row["all"] > 0
    assert row["via_own_service"] == row["at_own_place"] == row["interest_tagged"] == row["all"]
    assert sorted(row["titles"]) == [
        "こども食堂の調理・配膳のお手伝い",
        "サロンで将棋を教える",
        "図書館で子どもたちへの絵本の読み聞かせ",
    ]
