"""The demo's referral history goes through the API's own services and is written once."""

from graph import session
from referral_hub.referrals import demo_history
from tests import directory_fixtures

_STATES = """
MATCH (r:Referral)
RETURN count(r) AS referrals,
       count { MATCH (r2:Referral) WHERE NOT (r2)-[:UNDER]->(:Consent) } AS without_consent,
       collect(DISTINCT r.state) AS states,
       count { MATCH (e:AuditEvent) WHERE e.action = 'REFERRAL_CREATE' } AS audited
"""


def test_a_history_under_consent_written_once(graph_db, db, redis_db):
    network = directory_fixtures.build()
    history = demo_history.seed(area=directory_fixtures.KAWASAKI_KU, referrals=12, seed=3)
    assert history is not None
    assert history.referrals == 12
    row = session.read(lambda tx: tx.single(_STATES))
    assert row["referrals"] == row["audited"] == 12
    assert row["without_consent"] == 0
    assert len(row["states"]) > 2  # receivers took them different distances
    sent_to = session.read(
        lambda tx: tx.single(
            "MATCH (r:Referral)-[:TO]->(s:Service) RETURN collect(DISTINCT s.id) AS ids"
        )
    )
    assert sent_to["ids"] == [network["cafe"]]  # the ward's only service taking referrals
    again = demo_history.seed(area=directory_fixtures.KAWASAKI_KU, referrals=12, seed=3)
    assert again is None
    assert session.read(lambda tx: tx.single("MATCH (r:Referral) RETURN count(r) AS n"))["n"] == 12
