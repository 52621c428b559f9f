"""seed_demo loads a network into the real graph, and loading it twice changes nothing."""

from io import StringIO

from django.core.management import call_command

from graph import session
from tests.conftest import directory_counts


def test_town_scale_loads_idempotently(graph_db):
    out = StringIO()
    call_command("seed_demo", scale="town", seed=1, stdout=out, stderr=StringIO())
    first = directory_counts()
    call_command("seed_demo", scale="town", seed=1, stdout=StringIO(), stderr=StringIO())

    assert directory_counts() == first
    assert "demo network 'town'" in out.getvalue()
    row = session.read(
        lambda tx: tx.single("""
        MATCH (o:Organisation)-[:BASED_IN]->(a:Area {code: '132195'})
        RETURN count(o) AS organisations,
               count { MATCH (:Service)-[:AT]->(:Location)-[:IN]->(a) } AS services,
               count { MATCH (o2:Organisation)-[:PARTNERS_WITH]-() WHERE o2.areaCode = '132195' }
                 AS partnered
    """)
    )
    assert row["organisations"] > 50
    assert row["services"] >= row["organisations"]
    assert row["partnered"] > 0
