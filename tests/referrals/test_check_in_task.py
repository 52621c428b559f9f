"""The check-in task (issue 20): reminds on the due working day, escalates after
HUB_CHECK_IN_ESCALATE_DAYS working days, idempotent; through a real worker and, with the
graph's clock frozen, across the year-end closure and 成人の日."""

from datetime import datetime
from zoneinfo import ZoneInfo

from graph import clock, session
from referral_hub.referrals import check_ins
from referral_hub.referrals import tasks as referral_tasks
from tests.referrals.test_check_ins import completed, record

JST = ZoneInfo("Asia/Tokyo")


def _set_times(referral, index, due, escalate):
    session.write(
        lambda tx: tx.run(
            "MATCH (:Referral {id: $id})-[:HAS_CHECK_IN]->(c:CheckIn {index: $index}) "
            "SET c.dueAt = datetime($due), c.escalateAt = datetime($escalate)",
            id=referral,
            index=index,
            due=due,
            escalate=escalate,
        ).consume()
    )


def _outbox(referral):
    return session.read(
        lambda tx: tx.rows(
            "MATCH (o:OutboxEntry {referralId: $id}) WHERE o.kind STARTS WITH 'CHECK_IN' "
            "RETURN o.kind AS kind, o.checkIn AS index ORDER BY o.kind, o.checkIn",
            id=referral,
        )
    )


def test_the_worker_reminds_then_escalates_once(case, celery_worker_process):
    referral = completed(case)

    def check():
        return referral_tasks.check_check_ins.apply_async().get(timeout=60)

    assert check() == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 0}  # not due yet
    _set_times(referral, 0, "2020-01-06T09:00:00+09:00", "2099-01-01T09:00:00+09:00")
    assert check() == {"CHECK_IN_REMIND": 1, "CHECK_IN_ESCALATE": 0}
    assert check() == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 0}  # idempotent
    _set_times(referral, 0, "2020-01-06T09:00:00+09:00", "2020-01-14T09:00:00+09:00")
    assert check() == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 1}
    assert check() == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 0}
    # Both check-ins of one referral get their own notices (the outbox key has the index).
    _set_times(referral, 1, "2020-01-06T09:00:00+09:00", "2020-01-14T09:00:00+09:00")
    assert check() == {"CHECK_IN_REMIND": 1, "CHECK_IN_ESCALATE": 1}
    assert _outbox(referral) == [
        {"kind": "CHECK_IN_ESCALATE", "index": 0},
        {"kind": "CHECK_IN_ESCALATE", "index": 1},
        {"kind": "CHECK_IN_REMIND", "index": 0},
        {"kind": "CHECK_IN_REMIND", "index": 1},
    ]


def test_an_answered_check_in_is_neither_reminded_nor_escalated(case):
    _, people, _ = case
    referral = completed(case)
    assert record(people["welfare"], referral, index=0, answer="STILL_ATTENDING")["errors"] == []
    _set_times(referral, 0, "2020-01-06T09:00:00+09:00", "2020-01-14T09:00:00+09:00")
    assert referral_tasks.check_check_ins() == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 0}


def test_fires_on_working_days_and_escalates_across_a_holiday(case):
    referral = completed(case)
    # As if completed on Tue 1 Dec 2026: 30 days on is 31 Dec, inside the year-end closure.
    first = check_ins.schedule(
        completed_at=datetime(2026, 12, 1, 15, 0, tzinfo=JST), days=[30, 90]
    )[0]
    _set_times(referral, 0, first.due_at.isoformat(), first.escalate_at.isoformat())
    _set_times(referral, 1, "2099-01-01T09:00:00+09:00", "2099-01-08T09:00:00+09:00")

    def at(*moment):
        with clock.frozen_at(datetime(*moment, tzinfo=JST)):
            return referral_tasks.check_check_ins()

    nothing = {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 0}
    assert at(2026, 12, 31, 10, 0) == nothing  # the calendar day, but the office is closed
    assert at(2027, 1, 4, 8, 59) == nothing  # the first working day, before opening
    assert at(2027, 1, 4, 9, 0) == {"CHECK_IN_REMIND": 1, "CHECK_IN_ESCALATE": 0}
    assert at(2027, 1, 8, 17, 0) == nothing  # four working days on
    assert at(2027, 1, 11, 10, 0) == nothing  # 成人の日 is not a working day
    assert at(2027, 1, 12, 9, 0) == {"CHECK_IN_REMIND": 0, "CHECK_IN_ESCALATE": 1}
    assert at(2027, 1, 12, 9, 5) == nothing
