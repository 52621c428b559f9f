"""Beat's heartbeat record (referral_hub/core/beat_ticks.py) in a real Redis: what the
many-process test and an operator read to count schedulers and runs."""

from referral_hub.core import beat_ticks


def test_runs_read_back_oldest_first_with_their_sender(redis_db):
    beat_ticks.record(redis_db, task_id="t1", origin="gen1@host")
    beat_ticks.record(redis_db, task_id="t2", origin="gen2@host")
    ticks = beat_ticks.recent(redis_db)
    assert [(t.task_id, t.origin) for t in ticks] == [("t1", "gen1@host"), ("t2", "gen2@host")]
    assert ticks[0].at <= ticks[1].at


def test_the_newest_2000_runs_are_kept(redis_db):
    assert beat_ticks.KEEP == 2000
    for n in range(beat_ticks.KEEP + 1):
        beat_ticks.record(redis_db, task_id=f"t{n}", origin="gen1@host")
    ticks = beat_ticks.recent(redis_db)
    assert len(ticks) == 2000
    assert {t.task_id for t in ticks} == {f"t{n}" for n in range(1, 2001)}  # t0 dropped
