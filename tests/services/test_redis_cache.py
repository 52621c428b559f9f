"""Django's cache in Redis keeps one client per pool (referral_hub/core/redis_cache.py)."""

import threading

from django.core.cache import cache

from referral_hub.core.redis_cache import ReusingRedisCacheClient


def test_the_cache_is_the_reusing_backend_and_builds_one_client(redis_db):
    client = cache._cache
    assert isinstance(client, ReusingRedisCacheClient)
    assert client.get_client() is client.get_client(write=True)


def test_one_client_serves_many_threads_each_its_own_answer(redis_db):
    failures = []

    def work(n):
        for i in range(50):
            key = f"thread-{n}-{i}"
            cache.set(key, [n, i], timeout=30)
            if cache.get(key) != [n, i]:
                failures.append(key)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert cache.get_many([f"thread-{n}-49" for n in range(8)]) == {
        f"thread-{n}-49": [n, 49] for n in range(8)
    }
