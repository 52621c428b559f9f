from referral_hub.core.batches import drain


def test_drain_calls_until_a_batch_comes_back_short():
    left = [1200]
    calls = []

    def step(limit):
        done = min(limit, left[0])
        left[0] -= done
        calls.append(done)
        return done

    assert drain(step, batch=500) == 1200
    assert calls == [500, 500, 200]


def test_a_full_last_batch_costs_one_empty_call():
    calls = []
    assert drain(lambda limit: calls.append(limit) or (500 if len(calls) == 1 else 0)) == 500
    assert len(calls) == 2
