"""Django's Redis cache, keeping one client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` around its pool for every operation,
and building one fills a table of some 170 response callbacks: about 0.05 ms, paid twice
per API request (the bearer token's graph bookmarks, read and kept). A `redis.Redis` is
safe to share between threads (each command borrows a connection from the pool), so
one per pool is kept instead.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django: Any = self  # its private helpers are not in django-stubs
        index = django._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # Two threads may both build one here; either is as good, and one is kept.
            pool = django._get_connection_pool(write)
            client = self._clients.setdefault(index, django._client(connection_pool=pool))
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
