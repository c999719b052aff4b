"""The production default cache: Django's Redis cache, with one client per connection pool.

Django's `RedisCacheClient.get_client()` makes a new `redis.Redis` for every cache call, and
each one builds its table of reply callbacks (~170 entries): about 0.1 ms a call, which is most
of what a rate-limit count, a calendar feed's validator read or a 304 costs. A `redis.Redis` is
safe to share (each command takes a connection from the pool), so here one is kept per pool.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes (the stubs leave them out): the pool and the client class.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            make = self._client  # type: ignore[attr-defined]
            client = self._clients[id(pool)] = make(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClients
