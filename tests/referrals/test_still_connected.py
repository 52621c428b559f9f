"""Still connected at 90 days (issue 20): the nightly task's band per service, shown from
five answered 90-day check-ins (4: hidden, 5: shown), computed by a real worker."""

import pytest

from graph import session
from referral_hub.referrals import tasks as referral_tasks
from tests import directory_fixtures

pytestmark = pytest.mark.celery

SERVICE = """query($id: ID!) { service(id: $id) { responsiveness { stillConnectedBand } } }"""
# Connected referrals to the service with a 90-day check-in answered `answer` (and a 30-day
# one answered STILL_ATTENDING, which must not count).
_ANSWERED = """
MATCH (svc:Service {id: $service})
UNWIND range(1, $count) AS n
CREATE (r:Referral {id: randomUUID(), state: 'COMPLETED', outcome: 'CONNECTED', version: 5,
                    createdAt: datetime() - duration({days: 200}),
                    sentAt: datetime() - duration({days: 200})})-[:TO]->(svc)
CREATE (r)-[:HAS_CHECK_IN]->(:CheckIn {id: randomUUID(), index: 0, days: 30,
                                       state: 'ANSWERED', answer: 'STILL_ATTENDING'})
CREATE (r)-[:HAS_CHECK_IN]->(:CheckIn {id: randomUUID(), index: 1, days: 90,
                                       state: $state, answer: $answer})
"""


@pytest.fixture
def network(graph_db, db, redis_db):
    return directory_fixtures.build()


def _answered(service, count, answer, state="ANSWERED"):
    session.write(
        lambda tx: tx.run(
            _ANSWERED, service=service, count=count, answer=answer, state=state
        ).consume()
    )


def _band(gql, service):
    referral_tasks.refresh_responsiveness.apply_async().get(timeout=60)
    found = gql(SERVICE, {"id": service})["data"]["service"]["responsiveness"]
    return found["stillConnectedBand"]


def test_hidden_at_four_answered_shown_at_five(network, gql, celery_worker_process):
    service = network["consult"]
    _answered(service, 3, "STILL_ATTENDING")
    _answered(service, 1, "STOPPED")
    _answered(service, 3, None, state="DUE")  # unanswered ones do not count
    assert _band(gql, service) is None  # 4 answered
    _answered(service, 1, "MOVED_ON")
    assert _band(gql, service) == "MORE_THAN_HALF"  # 3 of 5
    _answered(service, 3, "STILL_ATTENDING")
    assert _band(gql, service) == "MOST"  # 6 of 8
